#!/bin/sh
# Instructions of one application post per program (valgrind --tool=callgrind), each on its own
# fresh copy of SHOP with the same body and CGI environment as drive.c: instruction counts do not
# move with the machine's noise, so two builds can be compared exactly. Keeps each profile as
# OUT/NAME.callgrind for callgrind_annotate.
#
# Usage: bench/handler/callgrind.sh SHOP OUT PROGRAM...
#   SHOP  a built shop with its store (see bench/handler/compare.sh); for the figures in
#         docs/performance.md: the sample shop after one post
# KAITORI_CALLGRIND_ARGS: more valgrind arguments (bench/handler/order.sh: --demangle=no).
# Needs: valgrind, gcc.
set -eu
. "$(dirname "$0")/common.sh"
bench_setup callgrind 3 2,11p "$@"
shop=$1 out=$2
shift 2
mkdir -p "$out"
sed "s/@@@@@@@@/cg000001/" "$here/application.txt" > "$work/body.txt"
length=$(wc -c < "$work/body.txt")
for program in "$@"; do
    fresh_shop "$shop" "$work/shop" "$program" 0
    name=$(basename "$program")
    env -i GATEWAY_INTERFACE=CGI/1.1 SERVER_PROTOCOL=HTTP/1.1 SERVER_NAME=127.0.0.1 SERVER_PORT=80 \
        REQUEST_METHOD=POST SCRIPT_NAME=/cgi-bin/kaitori PATH_INFO=/apply QUERY_STRING= \
        CONTENT_TYPE=application/x-www-form-urlencoded CONTENT_LENGTH="$length" REMOTE_ADDR=127.0.0.1 \
        HTTP_HOST=127.0.0.1 HTTP_USER_AGENT=kaitori-bench KAITORI_SITE="$work/shop" \
        valgrind --tool=callgrind ${KAITORI_CALLGRIND_ARGS:-} --callgrind-out-file="$out/$name.callgrind" "$program" \
        < "$work/body.txt" > "$work/answer" 2> "$work/valgrind.log"
    head -1 "$work/answer" | grep -q "^Status: 303" || { echo "$name did not answer 303" >&2; cat "$work/answer" >&2; exit 1; }
    printf '%s %s\n' "$name" "$(sed -n 's/.*I *refs: *//p' "$work/valgrind.log")"
done
