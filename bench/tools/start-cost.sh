#!/bin/sh
# The cost of starting a process on this machine, which every CGI post pays before its program's
# own work: CPUID's cost here (cpuid-cost.c), then two CGI programs that answer an empty 200 at
# once, run by cgi-time.c as a web server would: one statically linked against glibc (as
# kaitori-cgi and the floor are), one with no C library at all (a write and an exit system call).
# BLOCKS blocks of 100 runs each (default 20), the two programs taking turns block by block; the
# medians of their CPU (user + system, from wait4) and wall time a run. The difference is glibc's
# start-up, most of it identifying the CPU with CPUID (`init_cpu_features`, the cache sizes from
# leaves 2 and 4), which a hypervisor traps. With gdb, also how many CPUIDs that start-up runs;
# with perf, where the glibc program's samples fall. docs/performance.md ("Before main").
#
# Usage: bench/tools/start-cost.sh [BLOCKS]
# Needs: x86-64, gcc with glibc's static library, objdump; gdb and perf (optional).
set -eu
blocks=${1:-20}
case $blocks in ''|*[!0-9]*|0*) echo "start-cost.sh: BLOCKS must be a positive number, not '$blocks'" >&2; exit 2 ;; esac
[ "$(uname -m)" = x86_64 ] || { echo "start-cost.sh: measures x86-64's CPUID; this machine is $(uname -m)" >&2; exit 2; }
here=$(cd "$(dirname "$0")" && pwd)
work=$(mktemp -d "${TMPDIR:-/tmp}/kaitori-start-cost.XXXXXX")
trap 'rm -rf "$work"' EXIT INT TERM
gcc -O2 -Wall -o "$work/cpuid-cost" "$here/cpuid-cost.c"
gcc -O2 -Wall -o "$work/cgi-time" "$here/cgi-time.c"
# The end of an empty header block: a CGI answer of 200 with nothing in it.
printf '#include <unistd.h>\nint main(void) { return write(1, "\\r\\n\\r\\n", 4) != 4; }\n' > "$work/glibc-static.c"
gcc -O2 -static -o "$work/glibc-static" "$work/glibc-static.c"
printf '%s\n' 'void _start(void) {' \
    '    static const char answer[] = "\r\n\r\n";' \
    '    long ignored;' \
    '    __asm__ volatile("syscall" : "=a"(ignored) : "a"(1L), "D"(1L), "S"(answer), "d"(4L) : "rcx", "r11", "memory");' \
    '    __asm__ volatile("syscall" : : "a"(60L), "D"(0L));' \
    '}' > "$work/no-libc.c"
gcc -O2 -static -nostdlib -o "$work/no-libc" "$work/no-libc.c"
: > "$work/environment"
: > "$work/body"
time_runs() { # time_runs PROGRAM RUNS
    "$work/cgi-time" -n "$2" -w 0 -e "$work/environment" -i "$work/body" -s 200 \
        -o "$work/$(basename "$1").wall" -u "$work/$(basename "$1").cpu" -- "$1" >/dev/null
}
median() { sort -g "$1" | awk '{ v[NR] = $1 } END { printf "%.3f", NR % 2 ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2 }'; }
"$work/cpuid-cost"
for block in $(seq "$blocks"); do
    if [ $((block % 2)) -eq 1 ]; then order="glibc-static no-libc"; else order="no-libc glibc-static"; fi
    for program in $order; do time_runs "$work/$program" 100; done
done
printf '%-24s %12s %12s\n' program "CPU ms" "wall ms"
for program in glibc-static no-libc; do
    printf '%-24s %12s %12s\n' "$program" "$(median "$work/$program.cpu")" "$(median "$work/$program.wall")"
done
echo "(median of $((blocks * 100)) runs each, cgi-time.c)"
if command -v gdb >/dev/null 2>&1; then
    # A breakpoint on every CPUID in the glibc program, counted as it runs once.
    objdump -d --no-show-raw-insn "$work/glibc-static" | awk '/\tcpuid/ { sub(":", "", $1); print "break *0x" $1 }' > "$work/breaks"
    { echo "set pagination off"; cat "$work/breaks"; echo run; i=0; while [ $i -lt 1000 ]; do echo continue; i=$((i + 1)); done; } > "$work/gdb"
    executed=$(gdb -q -batch -x "$work/gdb" "$work/glibc-static" </dev/null 2>&1 | grep -c '^Breakpoint [0-9]*, ' || true)
    echo "CPUIDs glibc-static runs (gdb): $executed, at $(wc -l < "$work/breaks") places in its code"
fi
if command -v perf >/dev/null 2>&1; then
    echo "where glibc-static's CPU goes (perf, 500 runs; shares of its own samples):"
    perf record -q -F 20000 -o "$work/perf.data" -- "$work/cgi-time" -n 500 -w 0 -e "$work/environment" \
            -i "$work/body" -s 200 -- "$work/glibc-static" >/dev/null 2>&1 \
        && perf report -i "$work/perf.data" --comm glibc-static --percentage relative --no-children --sort sym --stdio 2>/dev/null \
            | awk '/^#/ || NF < 3 { next } { print "   ", $1, $3 } ++shown == 8 { exit }' \
        || echo "    (perf could not record here)"
fi
