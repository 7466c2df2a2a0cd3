#!/bin/bash
# Two CGI programs under load at the same time: one lighttpd serves both, each on its own copy of
# SHOP, and two wrk clients post applications to them at once (CONNECTIONS each, one thread each)
# for SECONDS, ROUNDS times, the first round dropped. Whatever the machine does during a round
# (other guests, the host's memory scans) falls on both programs alike, so the ratio of their
# answers per second is steady from round to round where separate runs of one program after the
# other spread by a third on this kind of machine (docs/performance.md). Which client starts first
# alternates by round; identical programs came out within 2-3 % of each other.
#
# It measures what the throughput goal of bench/run.sh depends on besides each post's own CPU:
# how long a post holds the store's write queue while others wait in it (docs/performance.md,
# "Statements compiled before the write queue"). It does not measure the CPU a post costs: loaded
# at once, the cores are shared by process, so the costlier program's longer-lived processes take
# the larger share (the floor with 1.3x its CPU added outside the queue came out 1.06x the floor
# here; docs/performance.md, "What the throughput runs measure"). With APART=1 each round loads
# the two programs one after the other instead (the first alternating), as bench/run.sh does, which
# does count the CPU. Only 303 answers count; any other answer or a socket error fails the run.
#
# Usage: [APART=1] bench/handler/together.sh SHOP ROUNDS SECONDS CONNECTIONS PROGRAM-A PROGRAM-B
#   SHOP  a built shop with its store (see bench/handler/compare.sh)
# Prints each round's answers per second, B/A and steal time, then the median and range of B/A over the
# counted rounds. Needs: lighttpd, wrk, python3.
set -euo pipefail
[[ $# -eq 6 ]] || { sed -n 19,22p "$0" >&2; exit 2; }
shop=$1 rounds=$2 seconds=$3 connections=$4
programs=("$(realpath "$5")" "$(realpath "$6")")
for n in "$rounds" "$seconds" "$connections"; do
  [[ $n =~ ^[1-9][0-9]*$ ]] || { sed -n 19,22p "$0" >&2; exit 2; }
done
((rounds >= 2)) || { echo "together.sh: at least 2 rounds (the first is dropped)" >&2; exit 2; }
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
work=$(mktemp -d "${TMPDIR:-/tmp}/kaitori-together.XXXXXX")
lighttpd_pid=""
cleanup() {
  [[ -n $lighttpd_pid ]] && kill "$lighttpd_pid" 2>/dev/null && wait "$lighttpd_pid" 2>/dev/null
  rm -rf "$work"
}
trap cleanup EXIT INT TERM

port=$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
cat >"$work/lighttpd.conf" <<CONF
server.modules = ( "mod_alias", "mod_setenv", "mod_cgi" )
server.bind = "127.0.0.1"
server.port = $port
server.document-root = "$work"
server.errorlog = "$work/error.log"
server.max-request-size = 32768
server.max-keep-alive-requests = 100000
server.max-connections = 256
CONF
for i in 0 1; do
  cp -R "$shop" "$work/shop$i"
  # Read back from disk alike (bench/tools/drop-cached.py says why).
  python3 "$root/bench/tools/drop-cached.py" "${programs[$i]}"
  cat >>"$work/lighttpd.conf" <<CONF
\$HTTP["url"] =~ "^/cgi-bin/p$i(/|\$)" {
  alias.url = ( "/cgi-bin/p$i" => "${programs[$i]}" )
  cgi.assign = ( "" => "" )
  setenv.add-environment = ( "KAITORI_SITE" => "$work/shop$i" )
}
CONF
done
# Submission ids of their own (bench/wrk/post.lua numbers them by round, thread and request).
sed 's/@@@@@@@@/t@@@@@@@@/' "$here/application.txt" >"$work/body"
lighttpd -tt -f "$work/lighttpd.conf" >/dev/null
lighttpd -D -f "$work/lighttpd.conf" 2>>"$work/lighttpd-stderr.log" &
lighttpd_pid=$!
for _ in $(seq 100); do
  curl -s -o /dev/null "http://127.0.0.1:$port/" && break
  sleep 0.1
done

load() { # load INDEX ROUND: one wrk client on program INDEX
  WRK_BODY="$work/body" WRK_RUN=$(($2 % 10)) wrk -t1 -c"$connections" -d"${seconds}s" --timeout 30s \
    -s "$root/bench/wrk/post.lua" "http://127.0.0.1:$port/cgi-bin/p$1/apply" >"$work/p$1-$2.txt"
}
# The round's steal time, printed with it (bench/run.sh makes a run again when it is high).
source "$root/bench/lib/steal.sh"
for round in $(seq "$rounds"); do
  first=$((round % 2)) second=$((1 - round % 2))
  stolen_before=$(steal_ticks)
  if [[ ${APART:-} == 1 ]]; then
    load "$first" "$round"
    load "$second" "$round"
  else
    load "$first" "$round" &
    client=$!
    load "$second" "$round"
    wait "$client"
  fi
  line="$round $(steal_percent "$stolen_before" "$(steal_ticks)")"
  for i in 0 1; do
    out=$work/p$i-$round.txt
    read -r ok other socket < <(awk '
      /^statuses/ { for (i = 2; i <= NF; i++) { split($i, a, "="); if (a[1] == 303) ok += a[2]; else other += a[2] } }
      /^socket_errors/ { for (i = 2; i <= NF; i++) { split($i, a, "="); socket += a[2] } }
      END { print ok + 0, other + 0, socket + 0 }' "$out")
    ((other == 0 && socket == 0 && ok > 0)) || { echo "together.sh: ${programs[$i]}, round $round: $ok answers 303, $other others, $socket socket errors" >&2; cat "$out" >&2; exit 1; }
    line="$line $(awk -v ok="$ok" '/^duration_s/ { printf "%.1f", ok / $2 }' "$out")"
  done
  echo "$line" >>"$work/rates"
done
mode="loaded at once"
[[ ${APART:-} == 1 ]] && mode="loaded one after the other"
python3 - "$work/rates" "${programs[@]}" "$mode" <<'PY'
import statistics, sys
rows = [line.split() for line in open(sys.argv[1])]
a, b = sys.argv[2:4]
print(f"answers 303 a second, {len(rows)} rounds (the first dropped), {sys.argv[4]}: A = {a}, B = {b}")
for r, steal, ra, rb in rows:
    print(f"  round {r}: A {ra}, B {rb}, B/A {float(rb) / float(ra):.3f}, steal {steal} %")
counted = rows[1:]
ratios = [float(rb) / float(ra) for _, _, ra, rb in counted]
print(f"A median {statistics.median(float(x[2]) for x in counted):.1f}, B median {statistics.median(float(x[3]) for x in counted):.1f}; "
      f"B/A median {statistics.median(ratios):.3f} ({min(ratios):.3f}-{max(ratios):.3f})")
PY
