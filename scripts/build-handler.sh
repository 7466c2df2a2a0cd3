#!/usr/bin/env bash
# Builds kaitori-cgi as shops deploy it (deploy/README.md) and prints the binary's path.
#
#   scripts/build-handler.sh [--scratch-path DIR] [more swift build arguments]
#
# Release, a fully static executable (-static-executable: no dynamic loader on each request), its
# code linked by lld with the code one application post runs packed together: every module is
# compiled with one section per function (-function-sections) and per global (-data-sections),
# and lld places the sections that deploy/kaitori-cgi.order lists first, in that order (the
# functions, then the data the post touches). A CGI handler is a new process per request
# that maps its code page by page, so code spread over the whole 8 MB executable costs page faults
# and TLB misses on every post (docs/performance.md, "The handler's code, packed": code page
# faults per post 100 -> 58, CPU per post about 6 % lower). Functions the file names that no
# longer exist are skipped (--no-warn-symbol-ordering); bench/handler/order.sh writes the file
# again after the post's code has changed a lot. The default build folder is .build/static.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
scratch=$root/.build/static
if [[ ${1:-} == --scratch-path ]]; then
  [[ $# -ge 2 ]] || { echo "build-handler.sh: --scratch-path needs a folder" >&2; exit 2; }
  scratch=$2
  shift 2
fi
order=$root/deploy/kaitori-cgi.order
[[ -s $order ]] || { echo "build-handler.sh: $order is missing (bench/handler/order.sh writes it)" >&2; exit 1; }
# The linker reads the list from a copy named by its contents: swift build relinks when a flag
# changes, not when a file a flag names does, so a new list must change the flag.
mkdir -p "$scratch"
listed=$scratch/kaitori-cgi-$(sha256sum "$order" | cut -c1-16).order
[[ -f $listed ]] || cp "$order" "$listed"
flags=(-c release --package-path "$root" --scratch-path "$scratch" --product kaitori-cgi
  -Xswiftc -static-executable -Xswiftc -Xfrontend -Xswiftc -function-sections -Xswiftc -Xllvm -Xswiftc -data-sections
  -Xswiftc -use-ld=lld -Xlinker --symbol-ordering-file="$listed" -Xlinker --no-warn-symbol-ordering "$@")
swift build "${flags[@]}" >&2
echo "$(swift build "${flags[@]}" --show-bin-path)/kaitori-cgi"
