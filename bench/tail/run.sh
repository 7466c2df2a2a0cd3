#!/usr/bin/env bash
# Tail latency of the application post at many concurrent clients, CGI and FastCGI, for one or
# more builds side by side in the same run:
#
#   sudo bench/tail/run.sh LABEL=BIN_DIR [LABEL=BIN_DIR...]
#
# BIN_DIR holds kaitori-cgi and kaitori-fcgi. For each round (TAIL_ROUNDS, default 2), each build
# and each of CGI and FastCGI: a copy of one fresh sample shop, lighttpd with the shipped config
# (deploy/lighttpd/lighttpd.conf.in, and deploy/lighttpd/kaitori-fastcgi.conf.in: 2 processes),
# TAIL_POSTS (1000) application posts from TAIL_CLIENTS (32) clients (reliability/load.py: every
# answer must be a 303 with its own case code), and reliability/check_store.py on the store.
# Builds alternate within a round, so a busy machine slows each alike. Prints a markdown table:
# p50, p99, max, and p99/p50 (the issue's goal: at most 10).
#
# FastCGI memory: TAIL_RSS=1 instead sends TAIL_RSS_POSTS (100000) posts through kaitori-fcgi of
# the first build: 500 applications and 500 incomplete forms (422), then incomplete forms with
# ApacheBench (`ab`), and prints the resident set size of its processes after the first 1,000 and
# after every TAIL_RSS_EVERY (33000) more.
#
# KAITORI: the kaitori binary that makes the shop (default: .build/debug/kaitori).
# Needs root: lighttpd drops to nobody, as deployed.
set -euo pipefail
source "$(dirname "$0")/../lib/common.sh"
KAITORI=${KAITORI:-$KAITORI_ROOT/.build/debug/kaitori}
TAIL_POSTS=${TAIL_POSTS:-1000}
TAIL_CLIENTS=${TAIL_CLIENTS:-32}
TAIL_ROUNDS=${TAIL_ROUNDS:-2}
WORK=${TAIL_WORK:-$(mktemp -d /tmp/kaitori-tail.XXXXXX)}
[[ $(id -u) == 0 ]] || die "run as root: lighttpd drops to nobody"
(($#)) || die "usage: bench/tail/run.sh LABEL=BIN_DIR [LABEL=BIN_DIR...]"
mkdir -p "$WORK"
chmod 0755 "$WORK"
trap stop_lighttpd EXIT

new_shop "$WORK/shop"

# serve LABEL BIN_DIR KIND DIR: lighttpd for a copy of the shop; sets URL.
serve() {
  local label=$1 bin=$2 kind=$3 dir=$4 port
  rm -rf "$dir"
  mkdir -p "$dir/run" "$dir/bin"
  cp "$bin/kaitori-cgi" "$bin/kaitori-fcgi" "$dir/bin/"
  cp -a "$WORK/shop" "$dir/shop"
  chown -R nobody:nogroup "$dir"
  port=$(free_port)
  "$KAITORI_ROOT/deploy/render.sh" "$KAITORI_ROOT/deploy/lighttpd/lighttpd.conf.in" SITE_DIR="$dir/shop" \
    BIN="$dir/bin/kaitori-cgi" STAFF_BIN="$dir/bin/kaitori-staff" PORT="$port" LISTEN=127.0.0.1 USER=nobody \
    GROUP=nogroup RUN_DIR="$dir/run" >"$dir/lighttpd.conf"
  URL="http://127.0.0.1:$port/cgi-bin/kaitori/apply"
  if [[ $kind == fastcgi ]]; then
    "$KAITORI_ROOT/deploy/render.sh" "$KAITORI_ROOT/deploy/lighttpd/kaitori-fastcgi.conf.in" SITE_DIR="$dir/shop" \
      BIN="$dir/bin/kaitori-fcgi" RUN_DIR="$dir/run" >"$dir/kaitori-fastcgi.conf"
    echo 'include "kaitori-fastcgi.conf"' >>"$dir/lighttpd.conf"
    URL="http://127.0.0.1:$port/kaitori.fcgi/apply"
  fi
  start_lighttpd "$dir/lighttpd.conf" "$dir/run" "$port"
}

# fcgi_rss: the resident set size (KB) of each kaitori-fcgi process lighttpd started.
fcgi_rss() {
  local pid out=()
  for pid in $(pgrep -P "$LIGHTTPD_PID" -f kaitori-fcgi); do
    out+=("$(awk '/^VmRSS:/ {print $2}' "/proc/$pid/status")")
  done
  echo "${out[*]}"
}

if [[ ${TAIL_RSS:-0} == 1 ]]; then
  # 1,000 application posts (303, each stored), then TAIL_RSS_POSTS - 1,000 posts of an incomplete
  # form (422: parsed, validated, the form page rendered with its errors; nothing stored) with
  # ApacheBench in steps of TAIL_RSS_EVERY, the resident set size read after each step.
  total=${TAIL_RSS_POSTS:-100000} every=${TAIL_RSS_EVERY:-33000}
  label=${1%%=*} bin=${1#*=}
  serve "$label" "$bin" fastcgi "$WORK/rss"
  echo "submission_id=rss&name=&kana=" >"$WORK/rss/incomplete.body"
  status=$(curl -s -o /dev/null -w '%{http_code}' -H 'Content-Type: application/x-www-form-urlencoded' \
    --data-binary @"$WORK/rss/incomplete.body" "$URL")
  [[ $status == 422 ]] || die "the incomplete form answered $status, not 422"
  echo "| requests answered | of which | kaitori-fcgi RSS (KB, each process) |"
  echo "|---:|---|---|"
  # The first 1,000 are both kinds, so every thread has answered each kind once before the first
  # reading (each keeps its own parsed templates, read on its first form page).
  python3 "$KAITORI_ROOT/reliability/load.py" "$URL" 500 "$TAIL_CLIENTS" >"$WORK/rss/load.json" \
    || die "posts failed: $(python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["problems"][:3])' "$WORK/rss/load.json")"
  ab -q -n 500 -c "$TAIL_CLIENTS" -p "$WORK/rss/incomplete.body" -T application/x-www-form-urlencoded "$URL" \
    >"$WORK/rss/ab-first.txt" 2>&1 || die "ab failed: $(tail -3 "$WORK/rss/ab-first.txt")"
  grep -q "^Complete requests: *500$" "$WORK/rss/ab-first.txt" || die "ab: $(grep -E 'Complete|Failed' "$WORK/rss/ab-first.txt")"
  echo "| 1,001 | 500 applications (303), 501 incomplete forms (422) | $(fcgi_rss) |"
  answered=1001
  while ((answered < total)); do
    n=$((total - answered < every ? total - answered : every))
    ab -q -n "$n" -c "$TAIL_CLIENTS" -p "$WORK/rss/incomplete.body" -T application/x-www-form-urlencoded "$URL" \
      >"$WORK/rss/ab-$answered.txt" 2>&1 || die "ab failed: $(tail -3 "$WORK/rss/ab-$answered.txt")"
    grep -q "^Complete requests: *$n$" "$WORK/rss/ab-$answered.txt" || die "ab: $(grep -E 'Complete|Failed' "$WORK/rss/ab-$answered.txt")"
    answered=$((answered + n))
    echo "| $answered | + $n incomplete forms (422) | $(fcgi_rss) |"
  done
  stop_lighttpd
  exit 0
fi

echo "$(machine_description)."
echo "$TAIL_POSTS posts from $TAIL_CLIENTS clients per run; $TAIL_ROUNDS rounds."
echo
echo "| build | handler | round | answers | p50 (ms) | p99 (ms) | max (ms) | p99/p50 | store |"
echo "|---|---|---:|---|---:|---:|---:|---:|---|"
for round in $(seq "$TAIL_ROUNDS"); do
  for kind in cgi fastcgi; do
    for build in "$@"; do
      label=${build%%=*} bin=${build#*=}
      dir=$WORK/$label-$kind-$round
      serve "$label" "$bin" "$kind" "$dir"
      python3 "$KAITORI_ROOT/reliability/load.py" "$URL" "$TAIL_POSTS" "$TAIL_CLIENTS" >"$dir/load.json" || true
      stop_lighttpd
      python3 -c 'import json, sys; json.dump(json.load(open(sys.argv[1]))["codes"], open(sys.argv[2], "w"))' "$dir/load.json" "$dir/expected.json"
      python3 "$KAITORI_ROOT/reliability/check_store.py" "$dir/shop/var/kaitori.sqlite3" --expect "$dir/expected.json" \
        --count "$TAIL_POSTS" --items 3 >"$dir/check.json" || true
      python3 - "$dir/load.json" "$dir/check.json" "$label" "$kind" "$round" <<'PY'
import json, sys
load, check = json.load(open(sys.argv[1])), json.load(open(sys.argv[2]))
answers = ", ".join(f"{n} × {s}" for s, n in sorted(load["statuses"].items()))
store = "ok" if not check["problems"] else "FAILED: " + "; ".join(check["problems"])[:200]
p50, p99 = load["latency_p50_ms"], load["latency_p99_ms"]
print(f"| {sys.argv[3]} | {sys.argv[4]} | {sys.argv[5]} | {answers} | {p50} | {p99} | {load['latency_max_ms']} | {p99 / p50:.1f} | {store} |")
PY
    done
  done
done
echo
echo "work folder: $WORK"
