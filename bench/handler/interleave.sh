#!/bin/sh
# Several CGI programs compared post by post: each round makes one application post to every
# program (bench/handler/interleave.c), in a new random order, so the machine's drift falls on
# all of them together rather than on one program's block of posts at a time. Each program has its
# own copy of SHOP and is dropped from the page cache, then warmed by 10 posts (as compare.sh
# does; bench/tools/drop-cached.py says why). Prints, per program, the median CPU and wall time
# of a post, the mean user and system time, and against the first program: the ratio of the
# medians and the median and range of the ratios of BLOCK-round blocks (CPU summed per block).
# Identical programs agree within a few percent here; in blocks of posts (compare.sh) they did
# not within twenty (docs/performance.md).
#
# Usage: bench/handler/interleave.sh SHOP ROUNDS PROGRAM...   (BLOCK: rounds per block, 50)
#   SHOP     a built shop with its store (see bench/handler/compare.sh)
#   PROGRAM  CGI programs: the first is the yardstick (the floor as bench/handler/run.sh builds it)
# Needs: gcc, python3.
set -eu
. "$(dirname "$0")/common.sh"
bench_setup interleave 3 2,15p "$@"
shop=$1 rounds=$2
shift 2
case "$rounds" in '' | *[!0-9]*) sed -n 2,15p "$0" >&2; exit 2 ;; esac
gcc -O2 -Wall -o "$work/interleave" "$here/interleave.c"
i=0
set_args=""
for program in "$@"; do
    i=$((i + 1))
    fresh_shop "$shop" "$work/shop$i" "$program" 10
    set_args="$set_args $work/shop$i $program"
done
# shellcheck disable=SC2086 # the folders and programs are words of their own
"$work/interleave" "$rounds" "$measured" $set_args > "$work/posts"
python3 - "$work/posts" "${BLOCK:-50}" "$@" <<'PY'
import statistics, sys
path, block, names = sys.argv[1], int(sys.argv[2]), sys.argv[3:]
posts = {}
for line in open(path):
    r, p, wall, cpu, user, system = line.split()
    posts.setdefault(int(r), {})[int(p)] = (float(wall), float(cpu), float(user), float(system))
rounds = sorted(posts)
def column(p, k): return [posts[r][p][k] for r in rounds]
first = statistics.median(column(0, 1))
print(f"{len(rounds)} rounds, one post to each program per round (ms a post; CPU = user + system of the process)")
for p, name in enumerate(names):
    cpu = column(p, 1)
    line = (f"  {name}: CPU median {statistics.median(cpu):.3f}, wall median {statistics.median(column(p, 0)):.3f}, "
            f"user mean {statistics.mean(column(p, 2)):.3f}, system mean {statistics.mean(column(p, 3)):.3f}")
    if p > 0:
        blocks = [rounds[i:i + block] for i in range(0, len(rounds) - block + 1, block)]
        ratios = sorted(sum(posts[r][p][1] for r in b) / sum(posts[r][0][1] for r in b) for b in blocks)
        line += f"; CPU vs {names[0]}: {statistics.median(cpu) / first:.3f}x (medians)"
        if ratios:
            line += f", {len(ratios)} blocks of {block}: {statistics.median(ratios):.3f}x ({ratios[0]:.3f}-{ratios[-1]:.3f})"
    print(line)
PY
