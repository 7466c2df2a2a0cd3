#!/bin/sh
# Several CGI programs side by side on the application post, in interleaved blocks: each round,
# every program makes N posts in a row (drive.c) on its own copy of SHOP, one program after the
# other in a new random order, so machine noise falls on all alike; the programs are dropped from
# the page cache first and each warmed by 20 posts (bench/tools/drop-cached.py says why). Prints
# each block's wall / CPU ms per post and its ratio to the first program's block of the same
# round, then the means of the ratios.
# Used to compare two builds of kaitori-cgi (e.g. before and after a change) against the floor.
#
# Usage: bench/handler/compare.sh SHOP ROUNDS N PROGRAM...
#   SHOP     a built shop with its store, e.g.: kaitori init S --sample . && kaitori build --site S
#            && kaitori case list --site S   (the floor needs the store Kaitori made)
#   PROGRAM  CGI programs: the first is the yardstick (the floor as bench/handler/run.sh builds it)
# Needs: gcc, shuf.
set -eu
. "$(dirname "$0")/common.sh"
bench_setup compare 4 2,14p "$@"
shop=$1 rounds=$2 n=$3
shift 3
i=0
for program in "$@"; do
    i=$((i + 1))
    fresh_shop "$shop" "$work/shop$i" "$program" 20
done
round=1
while [ "$round" -le "$rounds" ]; do
    sed "s/@@@@@@@@/c${round}@@@@@@/; s/c${round}@@@@@@/c${round}x@@@@@@@@/" "$here/application.txt" > "$work/body.txt"
    # The programs run in a new random order each round (a program that always ran first or
    # last would always meet the same state of the machine); the line keeps the argument order.
    for i in $(shuf -i 1-$#); do
        eval "program=\${$i}"
        "$drive" "$n" "$work/body.txt" "$work/shop$i" "$program" > "$work/result$i"
    done
    line="$round"
    i=0
    for program in "$@"; do
        i=$((i + 1))
        line="$line $(cat "$work/result$i")"
    done
    echo "$line"
    round=$((round + 1))
done | awk -v programs="$*" '
    BEGIN { count = split(programs, name, " "); printf "round"; for (p = 1; p <= count; p++) printf "  %s (wall/CPU ms, vs first)", name[p]; print "" }
    { printf "%s", $1
      for (p = 1; p <= count; p++) {
          w = $(2 * p); c = $(2 * p + 1); rw = w / $2; rc = c / $3
          sw[p] += rw; sc[p] += rc
          printf "  %.3f/%.3f (%.2f/%.2f)", w, c, rw, rc
      }
      print ""; rows++ }
    END { printf "mean"; for (p = 1; p <= count; p++) printf "  %.2f/%.2f", sw[p] / rows, sc[p] / rows; print "" }'
