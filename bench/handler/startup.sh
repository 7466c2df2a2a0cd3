#!/bin/sh
# What starting a process costs before any of its work: a static C program and a static Swift
# program that both only answer 303 (bench/handler/startup/), the Swift one built twice: as is,
# and with Sources/CProcessStart/arguments.c linked in as kaitori-cgi has it (argv kept from the C
# library instead of the runtime's search through /proc/self/maps). ROUNDS rounds of N processes
# each, the three in a new random order every round, all dropped from the page cache first
# (bench/tools/drop-cached.py says why). `perf stat` counts the CPU time (task-clock: user and
# kernel, exact rather than sampled) and the page faults per process. The Swift
# programs' excess is the runtime's start-up (its image registration, argument and path set-up,
# the executable's code and data faulted in), which every kaitori-cgi post pays on top of the
# floor's (docs/performance.md, "Where the CGI gap stands"). Both Swift builds must print the
# arguments they are given, or the script fails.
#
# Usage: bench/handler/startup.sh [N] [ROUNDS]    (defaults: 300 processes, 10 rounds)
# Needs: swift, clang (the toolchain's), gcc (with a static libc), perf.
set -eu
. "$(dirname "$0")/common.sh"
bench_setup startup 0 2,12p "$@"
n=${1:-300} rounds=${2:-10}
case "$n$rounds" in *[!0-9]*) sed -n 2,12p "$0" >&2; exit 2 ;; esac
[ "$n" -gt 0 ] && [ "$rounds" -gt 0 ] || { sed -n 2,12p "$0" >&2; exit 2; }
gcc -O2 -static -o "$work/c" "$here/startup/minimal.c"
swiftc -O -static-executable -o "$work/swift" "$here/startup/minimal.swift" 2>"$work/swiftc.log" \
    || { cat "$work/swiftc.log" >&2; exit 1; }
start=$here/../../Sources/CProcessStart
clang -O2 -I"$start/include" -c -o "$work/arguments.o" "$start/arguments.c"
swiftc -O -static-executable -o "$work/swift-argv" "$here/startup/minimal.swift" "$work/arguments.o" 2>"$work/swiftc.log" \
    || { cat "$work/swiftc.log" >&2; exit 1; }
for program in c swift swift-argv; do
    "$work/$program" | head -1 | grep -q '^Status: 303' || { echo "startup.sh: $program did not answer 303" >&2; exit 1; }
done
for program in swift swift-argv; do
    said=$("$work/$program" "one two" 三)
    [ "$said" = "one two 三" ] || { echo "startup.sh: $program saw its arguments as \"$said\"" >&2; exit 1; }
done
python3 "$here/../tools/drop-cached.py" "$work/c" "$work/swift" "$work/swift-argv"
: > "$work/runs"
round=1
while [ "$round" -le "$rounds" ]; do
    for program in $(printf 'c\nswift\nswift-argv\n' | shuf); do
        perf stat -x, -r "$n" -e task-clock,page-faults "$work/$program" 2>"$work/stat" >/dev/null
        awk -F, -v p="$program" -v r="$round" '
            $3 == "task-clock" { ms = $1 } $3 == "page-faults" { faults = $1 }
            END { printf "%s %s %.4f %.1f\n", r, p, ms, faults }' "$work/stat" >> "$work/runs"
    done
    round=$((round + 1))
done
python3 - "$work/runs" "$n" "$rounds" <<'PY'
import statistics, sys
runs, n, rounds = sys.argv[1], sys.argv[2], sys.argv[3]
by = {}
for line in open(runs):
    r, program, ms, faults = line.split()
    by.setdefault(program, {})[r] = (float(ms), float(faults))
c = by["c"]
names = (("c", "C, static"), ("swift", "Swift, -static-executable"), ("swift-argv", "Swift, with arguments.c"))
print(f"{rounds} rounds of {n} processes each (perf stat task-clock and page-faults, per process; medians of the rounds)")
for key, name in names:
    data = by[key]
    print(f"  {name:26} CPU {statistics.median(v[0] for v in data.values()):.3f} ms, "
          f"page faults {statistics.median(v[1] for v in data.values()):.0f}")
for key, name in names[1:]:
    s = by[key]
    ratios = sorted(s[r][0] / c[r][0] for r in c)
    excess = sorted(s[r][0] - c[r][0] for r in c)
    print(f"  {name} / C, round by round: {statistics.median(ratios):.2f}x ({ratios[0]:.2f}-{ratios[-1]:.2f}); "
          f"excess {statistics.median(excess):.3f} ms ({excess[0]:.3f}-{excess[-1]:.3f})")
PY
