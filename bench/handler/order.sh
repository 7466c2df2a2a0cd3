#!/bin/sh
# Writes deploy/kaitori-cgi.order, the list of functions scripts/build-handler.sh has lld place
# first in the deployed handler: those one application post runs in the sample shop, as callgrind
# sees them, less those in large sections that are mostly cold (bench/handler/order.py says why).
# Run it again after the post's code has changed a lot: a stale list only packs less well.
#
# Usage: bench/handler/order.sh [OUT]    (default: deploy/kaitori-cgi.order)
# KAITORI_BENCH_BUILD names the build folder to reuse (default /tmp/kaitori-bench-build).
# Needs: swift, valgrind, gcc, python3.
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
mv "$work/order" "$out"
echo "wrote $out" >&2
