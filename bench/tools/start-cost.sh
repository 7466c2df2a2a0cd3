#!/bin/sh
# The cost of starting a process on this machine, which every CGI post pays before its program's
# own work: CPUID's cost here, then two programs that do nothing started N times each (default
# 2000), interleaved: one statically linked against glibc (as kaitori-cgi and the floor are), one
# with no C library at all. The difference is glibc's start-up, most of it identifying the CPU
# with CPUID (`init_cpu_features`, the cache sizes from leaves 2 and 4), which a hypervisor traps.
# With perf, also where the glibc program's samples fall. docs/performance.md ("Before main").
#
# Usage: bench/tools/start-cost.sh [N]
# Needs: gcc with glibc's static library; perf (optional).
set -eu
n=${1:-2000}
case $n in ''|*[!0-9]*|0*) echo "start-cost.sh: N must be a positive number of runs, not '$n'" >&2; exit 2 ;; esac
[ "$(uname -m)" = x86_64 ] || { echo "start-cost.sh: measures x86-64's CPUID; this machine is $(uname -m)" >&2; exit 2; }
here=$(cd "$(dirname "$0")" && pwd)
work=$(mktemp -d "${TMPDIR:-/tmp}/kaitori-start-cost.XXXXXX")
trap 'rm -rf "$work"' EXIT INT TERM
gcc -O2 -Wall -o "$work/start-cost" "$here/start-cost.c"
printf 'int main(void) { return 0; }\n' > "$work/glibc-static.c"
gcc -O2 -static -o "$work/glibc-static" "$work/glibc-static.c"
# An exit system call and nothing else: three instructions.
printf 'void _start(void) { __asm__ volatile("mov $60, %%eax\\n xor %%edi, %%edi\\n syscall"); }\n' > "$work/no-libc.c"
gcc -O2 -static -nostdlib -o "$work/no-libc" "$work/no-libc.c"
"$work/start-cost" cpuid
"$work/start-cost" spawn "$n" "$work/glibc-static" "$work/no-libc"
if command -v perf >/dev/null 2>&1; then
    echo "where glibc-static's CPU goes (perf, 500 runs; shares of its own samples):"
    perf record -q -F 20000 -o "$work/perf.data" -- "$work/start-cost" spawn 500 "$work/glibc-static" >/dev/null 2>&1 \
        && perf report -i "$work/perf.data" --comm glibc-static --percentage relative --no-children --sort sym --stdio 2>/dev/null \
            | awk '/^#/ || NF < 3 { next } { print "   ", $1, $3 } ++shown == 8 { exit }' \
        || echo "    (perf could not record here)"
fi
