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
# FastCGI memory: TAIL_RSS=1 instead posts TAIL_RSS_POSTS (100000) through kaitori-fcgi of the
# first build and prints the resident set size of its processes after 1,000 and after every
# TAIL_RSS_EVERY (25000) posts.
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
  total=${TAIL_RSS_POSTS:-100000} every=${TAIL_RSS_EVERY:-25000}
  label=${1%%=*} bin=${1#*=}
  serve "$label" "$bin" fastcgi "$WORK/rss"
  done_posts=0
  echo "| posts answered | kaitori-fcgi RSS (KB, each process) |"
  echo "|---:|---|"
  for target in 1000 $(seq "$every" "$every" "$total"); do
    python3 "$KAITORI_ROOT/reliability/load.py" "$URL" $((target - done_posts)) "$TAIL_CLIENTS" >"$WORK/rss/load-$target.json" \
      || die "posts failed: $(python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["problems"][:3])' "$WORK/rss/load-$target.json")"
    done_posts=$target
    echo "| $target | $(fcgi_rss) |"
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
