#!/bin/sh
# Writes deploy/kaitori-cgi.order, the list of symbols scripts/build-handler.sh has lld place
# first in the deployed handler: the functions one application post runs in the sample shop, as
# callgrind sees them, less those in large sections that are mostly cold (bench/handler/order.py
# says why), then the data the post touches, in the order it first touches it, from a valgrind
# lackey trace (bench/handler/datasyms.py says why).
# Run it again after the post's code has changed a lot: a stale list only packs less well.
#
# Usage: bench/handler/order.sh [OUT]    (default: deploy/kaitori-cgi.order)
# KAITORI_BENCH_BUILD names the build folder to reuse (default /tmp/kaitori-bench-build).
# Needs: swift, valgrind, gcc, python3, readelf and nm (binutils).
set -eu
. "$(dirname "$0")/common.sh"
bench_setup order 0 2,9p "$@"
root=$(cd "$here/../.." && pwd)
out=${1:-$root/deploy/kaitori-cgi.order}
build=${KAITORI_BENCH_BUILD:-/tmp/kaitori-bench-build}

# The handler as deployed, with a link map naming each function's input section (mangled names,
# as callgrind gives them with --demangle=no).
cgi=$("$root/scripts/build-handler.sh" --scratch-path "$build/static" \
    -Xlinker -Map="$work/map" -Xlinker --no-demangle)
swift build --package-path "$root" --scratch-path "$build/stdlib" -c release --static-swift-stdlib \
    --product kaitori >&2
kaitori=$build/stdlib/release/kaitori

# The sample shop after one post (the shop of docs/performance.md's instruction counts).
mkdir "$work/shop"
cp -R "$root/shop.yml" "$root/site-templates" "$root/content" "$work/shop/"
"$kaitori" build --site "$work/shop" >/dev/null
"$kaitori" case list --site "$work/shop" >/dev/null
"$drive" 1 "$here/application.txt" "$work/shop" "$cgi" >/dev/null

KAITORI_CALLGRIND_ARGS=--demangle=no "$here/callgrind.sh" "$work/shop" "$work/profile" "$cgi" >&2
python3 "$here/order.py" "$work/map" "$work/profile/kaitori-cgi.callgrind" > "$work/order"

# The data: one more post, through drive.c (its CGI environment and 303 check) with the handler
# run under lackey, whose trace of every load and store is cut to each address's first touch.
cat > "$work/traced" <<EOF
#!/bin/sh
exec 8>&1
valgrind --tool=lackey --trace-mem=yes --log-fd=9 "$cgi" 9>&1 1>&8 \\
    | awk '\$1 ~ /^[LSM]\$/ { split(\$2, a, ","); if (!seen[a[1]]++) print a[1] }' > "$work/addresses"
EOF
chmod +x "$work/traced"
sed 's/@@@@@@@@/data@@@@@@@@/' "$here/application.txt" > "$work/application-data.txt" # a new submission
"$drive" 1 "$work/application-data.txt" "$work/shop" "$work/traced" >/dev/null
python3 "$here/datasyms.py" "$cgi" "$work/addresses" >> "$work/order"
mv "$work/order" "$out"
echo "wrote $out" >&2
