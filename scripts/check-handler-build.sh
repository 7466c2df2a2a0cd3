#!/usr/bin/env bash
# The handler as deploy/README.md builds it (scripts/build-handler.sh), checked end to end: it is
# one static executable, it answers an application post on a new sample shop with 303 and stores
# the case, and its code is packed as deploy/kaitori-cgi.order asks (most listed functions still
# exist, and they sit together instead of spread over all of the code).
#
#   scripts/check-handler-build.sh KAITORI    (KAITORI: a built kaitori CLI, to make the shop)
#
# Run by scripts/test.sh. Builds in .build/static (about as long as a release build).
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
[[ $# -eq 1 && -x $1 ]] || { echo "usage: scripts/check-handler-build.sh KAITORI" >&2; exit 2; }
kaitori=$1
fail() { echo "check-handler-build: $*" >&2; exit 1; }

cgi=$("$root/scripts/build-handler.sh")
! readelf -lW "$cgi" | grep -qE '^ *(INTERP|DYNAMIC) ' || fail "$cgi is not a static executable (it asks for a dynamic loader)"

work=$(mktemp -d /tmp/kaitori-handler-build.XXXXXX)
trap 'rm -rf "$work"' EXIT
"$kaitori" init "$work/shop" --sample "$root" >/dev/null
"$kaitori" build --site "$work/shop" >/dev/null
# One application post as a web server makes it (bench/handler/drive.c: the CGI environment, the
# body on a pipe; it fails unless the answer is a 303).
gcc -O2 -Wall -o "$work/drive" "$root/bench/handler/drive.c"
"$work/drive" 1 "$root/bench/handler/application.txt" "$work/shop" "$cgi" > /dev/null \
  || fail "the handler did not answer the application post with 303"
cases=$("$kaitori" case list --site "$work/shop" --json | python3 -c 'import json, sys; print(len(json.load(sys.stdin)))')
[[ $cases == 1 ]] || fail "the store holds $cases cases after one post"

nm -S --defined-only "$cgi" > "$work/symbols"
# Sources/CProcessStart keeps the runtime's argv object (and its read of /proc/self/maps before
# main) out of the executable; a toolchain that renamed its functions would bring it back.
! grep -q argvGrabber "$work/symbols" \
  || fail "the Swift runtime's argv search (CommandLine.cpp) is linked in again: Sources/CProcessStart/arguments.c no longer replaces it"
python3 - "$work/symbols" "$root/deploy/kaitori-cgi.order" <<'PY' || fail "the code is not packed as deploy/kaitori-cgi.order asks (after large changes to the post's code: bench/handler/order.sh writes the list again)"
import sys
where = {}  # name -> [(address, size)]: a local name can be in several objects, lld moves them all
defined = set()  # every symbol: the list names data after the functions
text_start, text_end = None, 0
for line in open(sys.argv[1]):
    f = line.split()
    if len(f) == 4:
        defined.add(f[3])
    if len(f) == 4 and f[2] in "tTwW":
        address, size = int(f[0], 16), int(f[1], 16)
        where.setdefault(f[3], []).append((address, size))
        text_start = address if text_start is None else min(text_start, address)
        text_end = max(text_end, address + size)
listed = [name.strip() for name in open(sys.argv[2]) if name.strip()]
present = [name for name in listed if name in where]
found = [place for name in present for place in where[name]]
named = len([name for name in listed if name in defined])
share = named / len(listed)
span = max(a + s for a, s in found) - min(a for a, _ in found)
print(f"check-handler-build: {named} of {len(listed)} listed names in the executable ({share:.0%}: {len(present)} in the code, the rest data), "
      f"together within {span / 2**20:.1f} MB of {(text_end - text_start) / 2**20:.1f} MB of code")
# Below 80 %, the post's code has changed enough for bench/handler/order.sh to be run again; the
# listed functions of a packed build lie within ~2 MB (their sections), not the whole 8 MB.
sys.exit(0 if share >= 0.8 and span <= 0.4 * (text_end - text_start) else 1)
PY
echo "check-handler-build: $cgi answers a post with 303 and stores the case"
