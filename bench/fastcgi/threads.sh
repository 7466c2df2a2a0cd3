#!/usr/bin/env bash
# How many requests each kaitori-fcgi process should answer at once (threads; their applications
# committed together, GroupCommit): application posts from wrk through lighttpd to kaitori-fcgi
# with PROCESSESxTHREADS configurations, FASTCGI_RUNS rounds in a new random order each, the first
# round dropped, FASTCGI_SECONDS s per run, FASTCGI_CONNECTIONS connections. Only 303 answers count
# (anything else stops the run); each run posts to its own fresh copy of the sample shop.
#
#   bench/fastcgi/threads.sh [CONFIG...]     default configs: 2x4 2x16 1x16 2x32
#
# Prints, per configuration: median requests/s and range, the ratio to the first configuration
# run by run, p50/p99 latency, and each process's resident memory after the run.
# Building: see bench/lib/common.sh (KAITORI_BENCH_BUILD, KAITORI_BIN_DIR, KAITORI_SKIP_DEPS).
set -euo pipefail
source "$(dirname "$0")/../lib/common.sh"

FASTCGI_RUNS=${FASTCGI_RUNS:-6}
FASTCGI_SECONDS=${FASTCGI_SECONDS:-15}
FASTCGI_CONNECTIONS=${FASTCGI_CONNECTIONS:-32}
CONFIGS=("${@:-2x4 2x16 1x16 2x32}")
read -r -a CONFIGS <<<"${CONFIGS[*]}"
WORK=$(mktemp -d /tmp/kaitori-fastcgi-threads.XXXXXX)
trap 'stop_lighttpd; rm -rf "$WORK"' EXIT

install_deps
build_kaitori
build_fcgi
new_shop "$WORK/shop"
python3 "$BENCH_LIB/forms.py" apply --submission-id "fcgi-@@@@@@@@" >"$WORK/apply.body"

run_one() { # CONFIG ROUND
  local procs=${1%x*} threads=${1#*x} dir="$WORK/run" port out ok other socket
  rm -rf "$dir"
  mkdir -p "$dir"
  cp -a "$WORK/shop" "$dir/shop"
  port=$(free_port)
  "$KAITORI_ROOT/deploy/render.sh" "$KAITORI_ROOT/bench/fastcgi/threads.conf.in" PORT="$port" RUN_DIR="$dir" \
    SITE_DIR="$dir/shop" KAITORI_FCGI="$KAITORI_FCGI" PROCS="$procs" THREADS="$threads" >"$dir/lighttpd.conf"
  start_lighttpd "$dir/lighttpd.conf" "$dir" "$port"
  out="$WORK/$1-$2.txt"
  WRK_BODY="$WORK/apply.body" WRK_RUN=$(($2 % 10)) wrk -t2 -c"$FASTCGI_CONNECTIONS" -d"${FASTCGI_SECONDS}s" --timeout 30s \
    -s "$KAITORI_ROOT/bench/wrk/post.lua" "http://127.0.0.1:$port/kaitori.fcgi/apply" >"$out"
  local pid rss=()
  for pid in $(pgrep -P "$LIGHTTPD_PID" -f kaitori-fcgi); do rss+=("$(awk '/^VmRSS:/ {print $2}' "/proc/$pid/status")"); done
  echo "${rss[*]}" >"$WORK/$1-$2.rss"
  stop_lighttpd
  read -r ok other < <(awk '/^statuses/ { for (i = 2; i <= NF; i++) { split($i, a, "=");
    if (a[1] == 303) ok += a[2]; else other += a[2] } } END { print ok + 0, other + 0 }' "$out")
  socket=$(awk '/^socket_errors/ { for (i = 2; i <= NF; i++) { split($i, a, "="); n += a[2] } } END { print n + 0 }' "$out")
  ((other == 0 && socket == 0 && ok > 0)) || die "$1, round $2: $ok × 303, $other other answers, $socket socket errors ($out)"
  local stored
  stored=$(sql "$dir/shop/var/kaitori.sqlite3" "SELECT count(*) FROM cases")
  ((stored >= ok)) || die "$1, round $2: $ok × 303 but $stored cases stored"
  ((${2} == 1)) && return 0
  awk -v ok="$ok" '/^duration_s/ { printf "%.2f\n", ok / $2 }' "$out" >>"$WORK/$1.rate"
  awk '/^latency_ms/ { split($2, a, "="); split($4, b, "="); print a[2], b[2] }' "$out" >>"$WORK/$1.latency"
  cat "$WORK/$1-$2.rss" >>"$WORK/$1.rss"; echo >>"$WORK/$1.rss"
}

for round in $(seq "$FASTCGI_RUNS"); do
  for config in $(shuf -e "${CONFIGS[@]}"); do
    log "round $round: $config"
    run_one "$config" "$round"
  done
done

echo "$(machine_description)"
echo
echo "kaitori-fcgi through lighttpd (mod_fastcgi), wrk -t2 -c$FASTCGI_CONNECTIONS, ${FASTCGI_SECONDS} s per run, $FASTCGI_RUNS rounds in random order, the first dropped; every answer a 303 and a stored case. Load average $(cut -d' ' -f1-3 /proc/loadavg) at the end."
echo
echo "| processes × threads | requests/s, median (range) | vs ${CONFIGS[0]}, run by run | p50 / p99 ms, median | RSS KB per process, last run |"
echo "|---|---:|---:|---:|---:|"
for config in "${CONFIGS[@]}"; do
  read -r median low high _ < <(python3 "$BENCH_LIB/stats.py" range "$WORK/$config.rate")
  rate="$median ($low–$high)"
  read -r median low high < <(python3 "$BENCH_LIB/stats.py" pairs "$WORK/$config.rate" "$WORK/${CONFIGS[0]}.rate")
  ratio="${median}× ($low–$high)"
  lat="$(cut -d' ' -f1 "$WORK/$config.latency" >"$WORK/p50"; cut -d' ' -f2 "$WORK/$config.latency" >"$WORK/p99"
    echo "$(python3 "$BENCH_LIB/stats.py" "$WORK/p50" | cut -d' ' -f1) / $(python3 "$BENCH_LIB/stats.py" "$WORK/p99" | cut -d' ' -f1)")"
  echo "| ${config/x/ × } | $rate | $ratio | $lat | $(tail -1 "$WORK/$config.rss") |"
done
