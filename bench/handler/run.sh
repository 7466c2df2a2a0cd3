#!/bin/sh
# One application post, side by side: kaitori-cgi (release) against floor.c, a C CGI program doing
# the same SQLite transaction and nothing else. Every side runs one process per request, N requests
# in a row, on the same body, each against a store of its own.
#
# The floor is bench/run.sh's: static, statements prepared once, on a store Kaitori created.
# kaitori-cgi is measured twice: linked with --static-swift-stdlib (libc, libstdc++ and libsqlite3
# still loaded at start), and as a fully static executable (-static-executable), which skips the
# dynamic loader altogether (scripts/build-handler.sh, as deploy/README.md builds it).
#
# Usage: bench/handler/run.sh [N] [ROUNDS]    (defaults: 300 requests, 3 rounds)
# Needs: swift, gcc, libsqlite3-dev (with libsqlite3.a), sqlite3. KAITORI_BENCH_BUILD names the
# build folder to reuse (default /tmp/kaitori-bench-build).
set -eu

requests=${1:-300}
rounds=${2:-3}
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
build=${KAITORI_BENCH_BUILD:-/tmp/kaitori-bench-build}
work=$(mktemp -d "${TMPDIR:-/tmp}/kaitori-bench.XXXXXX")
trap 'rm -rf "$work"' EXIT INT TERM

echo "building in $build (release)" >&2
swift build --package-path "$root" --scratch-path "$build/stdlib" -c release --static-swift-stdlib \
    --product kaitori-cgi >&2
swift build --package-path "$root" --scratch-path "$build/stdlib" -c release --static-swift-stdlib \
    --product kaitori >&2
static=$("$root/scripts/build-handler.sh" --scratch-path "$build/static")
mkdir "$work/bin"
cp "$build/stdlib/release/kaitori-cgi" "$work/bin/kaitori-cgi-stdlib"
cp "$static" "$work/bin/kaitori-cgi-static"
gcc -O2 -Wall -o "$work/bin/drive" "$here/drive.c"

# The sample shop, built once, copied for each side so that no two sides share a store.
mkdir "$work/shop"
cp -R "$root/shop.yml" "$root/site-templates" "$root/content" "$work/shop/"
# KAITORI_BENCH_SHOP_APPEND names a file added to the end of the bench shop's shop.yml (e.g. an
# `abuse:` section, to measure the spam limits' cost on the post).
if [ -n "${KAITORI_BENCH_SHOP_APPEND:-}" ]; then cat "$KAITORI_BENCH_SHOP_APPEND" >> "$work/shop/shop.yml"; fi
"$build/stdlib/release/kaitori" build --site "$work/shop" >/dev/null
# The store is Kaitori's: the floor only ever writes to one Kaitori created.
"$build/stdlib/release/kaitori" case list --site "$work/shop" >/dev/null
# The floor's two messages are the texts kaitori-cgi stores for this application in this shop
# (bench/handler/messages.py): one post on a copy of the shop gives them.
cp -R "$work/shop" "$work/template"
"$work/bin/drive" 1 "$here/application.txt" "$work/template" "$work/bin/kaitori-cgi-static" >/dev/null
python3 "$here/messages.py" "$work/template/var/kaitori.sqlite3" bench-00000000 taro@example.jp > "$work/messages.h"
gcc -O2 -Wall -static -I "$work" -o "$work/bin/floor" "$here/floor.c" -lsqlite3 -lm
sides="kaitori-cgi-stdlib kaitori-cgi-static floor"
# Every side's executable read back from disk alike (bench/tools/drop-cached.py says why).
python3 "$here/../tools/drop-cached.py" "$work/bin/kaitori-cgi-stdlib" "$work/bin/kaitori-cgi-static" "$work/bin/floor"
for side in $sides; do
    cp -R "$work/shop" "$work/$side"
    # Warms the page cache.
    "$work/bin/drive" 20 "$here/application.txt" "$work/$side" "$work/bin/$side" >/dev/null
done

echo "ms per request, wall / CPU ($requests sequential application posts per round)"
printf '%-6s %18s %18s %14s %16s %16s\n' round kaitori-cgi-stdlib kaitori-cgi-static floor \
    "ratio stdlib" "ratio static"
round=1
: > "$work/results"
while [ "$round" -le "$rounds" ]; do
    # New submission ids each round: every post stores a case.
    sed "s/@@@@@@@@/r${round}@@@@@@@@/" "$here/application.txt" > "$work/body.txt"
    line=""
    for side in $sides; do
        line="$line $("$work/bin/drive" "$requests" "$work/body.txt" "$work/$side" "$work/bin/$side")"
    done
    echo "$line" >> "$work/results"
    echo "$round $line" | awk '{ printf "%-6s %8.3f / %7.3f %8.3f / %7.3f %6.3f / %5.3f %7.2f / %6.2f %7.2f / %6.2f\n",
        $1, $2, $3, $4, $5, $6, $7, $2 / $6, $3 / $7, $4 / $6, $5 / $7 }'
    round=$((round + 1))
done
awk '{ for (c = 1; c <= 6; c++) v[c, NR] = $c; n = NR }
    function median(c,   i, j, x, a) {
        for (i = 1; i <= n; i++) a[i] = v[c, i]
        for (i = 1; i <= n; i++) for (j = i + 1; j <= n; j++) if (a[j] < a[i]) { x = a[i]; a[i] = a[j]; a[j] = x }
        return a[int((n + 1) / 2)]
    }
    END {
        for (c = 1; c <= 6; c++) m[c] = median(c)
        printf "%-6s %8.3f / %7.3f %8.3f / %7.3f %6.3f / %5.3f %7.2f / %6.2f %7.2f / %6.2f   (medians; goal: wall ratio <= 1.5)\n",
            "median", m[1], m[2], m[3], m[4], m[5], m[6], m[1] / m[5], m[2] / m[6], m[3] / m[5], m[4] / m[6]
    }' "$work/results"
for side in $sides; do
    printf '%s stored %s cases\n' "$side" "$(sqlite3 "$work/$side/var/kaitori.sqlite3" 'SELECT COUNT(*) FROM cases')"
done
