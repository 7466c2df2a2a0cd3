#!/usr/bin/env bash
# Every benchmark of docs/performance.md in one run, written as markdown figures:
#
#   bench/run.sh [FIGURES.md]        (default: bench/results/figures.md; also printed at the end)
#   BENCH_QUICK=1 bench/run.sh       fewer and shorter runs, to try the harness (no verdicts)
#
# The yardsticks, and what keeps them fair (docs/performance.md, "Against the floor and the peers"):
# - the C floor (bench/handler/floor.c) is linked statically like the deployed handler, prepares
#   each statement once per process like KaitoriCore, runs only on stores Kaitori created, and
#   must store the same rows: every section diffs one case of every program (bench/lib/case_rows.py);
# - PHP runs as Debian installs it, php-cgi under mod_cgi and php-fpm (opcache on) under
#   mod_fastcgi, both behind the same lighttpd, both running bench/php/apply.php;
# - only 303 answers count: any other answer or socket error fails the run;
# - every figure is repeated (at least 5 times in a full run) and every verdict is judged on the
#   worst of the same-run ratios, not on one lucky run.
#
# 1. posts: POST /apply as a process: kaitori-cgi vs the floor vs php-cgi, each spawned by
#    bench/tools/cgi-time.c, in BENCH_ROUNDS blocks of posts taken by turns; then one post at a time through
#    lighttpd (wrk, 1 connection) for the five programs served (floor, kaitori-cgi, php-cgi,
#    php-fpm, kaitori-fcgi): wall time per post and the server's CPU time per post.
# 2. throughput: requests/s through lighttpd with wrk, BENCH_CONNECTIONS connections, the same
#    five programs, BENCH_WRK_RUNS runs each in random order, the first dropped.
# 3. build: full `kaitori build` of BENCH_CASES assessed cases plus the content pages vs Hugo fed
#    the same data as JSON, both output folders cleared before every build, on 1 and 2 cores;
#    per-case writes on a small shop and on that large one.
# 4. upload: peak memory of a 10 MB ID upload through kaitori-cgi (/usr/bin/time -v).
# 5. zengin: `kaitori zengin export` at 10,000 and 100,000 purchased bank-transfer cases: time per
#    case and peak memory (the export streams: within 10 %).
# 6. tail: p50/p99 of 1,000 posts from BENCH_CONNECTIONS clients through lighttpd, CGI and FastCGI
#    as deployed, BENCH_TAIL_ROUNDS rounds (bench/tail/run.sh; needs root).
# 7. rss: kaitori-fcgi's resident memory after 1,000 and after BENCH_RSS_REQUESTS requests
#    (bench/tail/run.sh TAIL_RSS=1; needs root).
#
# Sizes (environment; full defaults, then BENCH_QUICK=1 defaults, in brackets): BENCH_POSTS
# [300 / 50] posts per program as processes in BENCH_ROUNDS [10 / 5] blocks (posts by turns);
# BENCH_SEQ_SECONDS [10 / 2] per one-connection run; BENCH_WRK_SECONDS [30 / 3] per throughput run;
# BENCH_WRK_RUNS [6 / 3] runs per program, in both, the first dropped; BENCH_CONNECTIONS [32];
# BENCH_CASES [10000 / 1000] case pages; BENCH_BUILD_RUNS [5 / 2] full builds per builder and core
# count; BENCH_REBUILDS [10 / 3] one-case rebuilds; BENCH_UPLOAD_MB [10];
# BENCH_ZENGIN_SIZES ["10000 100000" / "1000 10000"]; BENCH_TAIL_ROUNDS [5 / 2];
# BENCH_RSS_REQUESTS [100000 / 10000]; BENCH_MAX_STEAL [2], BENCH_STEAL_RETRIES [3]: a wrk run
# during which the hypervisor took more than this percent of the CPU is made again, at most so
# many times (wrk_runs); BENCH_WORK [a new /tmp/kaitori-bench.XXXXXX];
# BENCH_ONLY ["posts throughput build upload zengin tail rss"] to run some sections only.
# Building: see bench/lib/common.sh (KAITORI_BENCH_BUILD, KAITORI_BIN_DIR, KAITORI_SKIP_DEPS);
# with KAITORI_BIN_DIR, kaitori-fcgi is taken from there too.
set -euo pipefail
source "$(dirname "$0")/lib/common.sh"
source "$(dirname "$0")/lib/steal.sh"

if [[ ${BENCH_QUICK:-0} == 1 ]]; then
  quick=(50 5 2 3 3 1000 2 3 "1000 10000" 2 10000)
else
  quick=(300 10 10 30 6 10000 5 10 "10000 100000" 5 100000)
fi
BENCH_POSTS=${BENCH_POSTS:-${quick[0]}}
BENCH_ROUNDS=${BENCH_ROUNDS:-${quick[1]}}
BENCH_SEQ_SECONDS=${BENCH_SEQ_SECONDS:-${quick[2]}}
BENCH_WRK_SECONDS=${BENCH_WRK_SECONDS:-${quick[3]}}
BENCH_WRK_RUNS=${BENCH_WRK_RUNS:-${quick[4]}}
BENCH_CONNECTIONS=${BENCH_CONNECTIONS:-32}
BENCH_CASES=${BENCH_CASES:-${quick[5]}}
BENCH_BUILD_RUNS=${BENCH_BUILD_RUNS:-${quick[6]}}
BENCH_REBUILDS=${BENCH_REBUILDS:-${quick[7]}}
BENCH_UPLOAD_MB=${BENCH_UPLOAD_MB:-10}
BENCH_ZENGIN_SIZES=${BENCH_ZENGIN_SIZES:-${quick[8]}}
BENCH_TAIL_ROUNDS=${BENCH_TAIL_ROUNDS:-${quick[9]}}
BENCH_RSS_REQUESTS=${BENCH_RSS_REQUESTS:-${quick[10]}}
BENCH_ONLY=${BENCH_ONLY:-posts throughput build upload zengin tail rss}
BENCH_MAX_STEAL=${BENCH_MAX_STEAL:-2}
BENCH_STEAL_RETRIES=${BENCH_STEAL_RETRIES:-3}
[[ $BENCH_MAX_STEAL =~ ^-?[0-9]+([.][0-9]+)?$ ]] || die "BENCH_MAX_STEAL must be a percentage, such as 2 or 0.5"
[[ $BENCH_STEAL_RETRIES =~ ^[0-9]$ ]] || die "BENCH_STEAL_RETRIES must be 0 to 9"
WORK=${BENCH_WORK:-$(mktemp -d /tmp/kaitori-bench.XXXXXX)}
mkdir -p "$WORK"
FIGURES=${1:-$KAITORI_ROOT/bench/results/figures.md}
mkdir -p "$(dirname "$FIGURES")"
((BENCH_POSTS >= BENCH_ROUNDS)) || die "BENCH_POSTS ($BENCH_POSTS) must be at least BENCH_ROUNDS ($BENCH_ROUNDS)"
# bench/wrk/post.lua numbers submission ids with one digit per run.
((BENCH_WRK_RUNS >= 2 && BENCH_WRK_RUNS <= 9)) || die "BENCH_WRK_RUNS must be 2 to 9 (the first is dropped)"
# A verdict needs this many repetitions; fewer (BENCH_QUICK) give figures but no verdict.
VERDICT_REPETITIONS=5
PHP_CGI=$(command -v php-cgi) || die "php-cgi is not installed (Debian: php-cgi php-sqlite3)"
PHP_FPM=$(command -v php-fpm8.2 || command -v php-fpm) || die "php-fpm is not installed (Debian: php-fpm)"
# The programs served through lighttpd, by their path there.
PROGRAMS=(floor kaitori php fpm fcgi)
declare -A URL_PATH=([floor]=/cgi-bin/floor/apply [kaitori]=/cgi-bin/kaitori/apply [php]=/cgi-bin/php/apply
  [fpm]=/php-fpm/apply [fcgi]=/kaitori.fcgi/apply)
declare -A SERVED=(
  [floor]="C floor (bench/handler/floor.c, static), mod_cgi"
  [kaitori]="kaitori-cgi, static executable (as deployed), mod_cgi"
  [php]="PHP php-cgi (bench/php/apply.php), mod_cgi"
  [fpm]="PHP php-fpm + opcache (bench/php/apply.php), mod_fastcgi"
  [fcgi]="kaitori-fcgi (2 processes, as deploy/ ships it), mod_fastcgi")
# wrk on a core of its own where there are enough cores to spare one, the servers on the others.
if (($(nproc) >= 3)); then
  WRK_PIN=(taskset -c "$(($(nproc) - 1))")
  SERVER_PIN=(taskset -c "0-$(($(nproc) - 2))")
  PINNING="wrk pinned to CPU $(($(nproc) - 1)), lighttpd and everything it runs to CPUs 0-$(($(nproc) - 2))"
else
  WRK_PIN=()
  SERVER_PIN=()
  PINNING="wrk shares the machine's $(nproc) cores with the servers (too few cores to give it one of its own)"
fi

trap 'stop_servers; [[ -f $WORK/tail-folders ]] && xargs rm -rf <"$WORK/tail-folders"' EXIT

# Appends markdown to the figures file as it is measured, so an interrupted run keeps what it has.
emit() {
  printf '%s\n' "$@" >>"$FIGURES"
}

# ms_to_s MS: seconds with two decimals.
ms_to_s() {
  awk -v ms="$1" 'BEGIN { printf "%.2f", ms / 1000 }'
}

# ratio A B: A/B with two decimals.
ratio() {
  python3 "$BENCH_LIB/stats.py" ratio "$1" "$2"
}

# load: the machine's load averages, for the figures (the machine is shared).
load() {
  cut -d' ' -f1-3 /proc/loadavg
}

# goal WORST OP LIMIT REPETITIONS: "met" or "**missed**" for a goal like "ratio <= 1.5", judged on
# the worst ratio of REPETITIONS side-by-side repetitions; no verdict from fewer than
# VERDICT_REPETITIONS.
goal() {
  if (($4 < VERDICT_REPETITIONS)); then
    echo "no verdict ($4 repetitions, fewer than $VERDICT_REPETITIONS)"
  elif awk -v v="$1" -v l="$3" "BEGIN { exit !(v $2 l) }"; then
    echo "met"
  else
    echo "**missed**"
  fi
}

# verdict VALUE OP LIMIT: "met" or "**missed**" for a goal on one measurement (memory).
verdict() {
  if awk -v v="$1" -v l="$3" "BEGIN { exit !(v $2 l) }"; then echo "met"; else echo "**missed**"; fi
}

# check_cases DB EXPECTED [applications]: there are EXPECTED cases, each with its customer,
# declared items and history, and each application with the two messages its post queues: every
# case is one, unless `applications` says only the received cases are (the others were seeded).
check_cases() {
  local db=$1 expected=$2 only=${3:-} counts
  local scope="1"
  [[ $only == applications ]] && scope="c.status = 'received'"
  counts=$(sqlite3 -batch "$db" "PRAGMA busy_timeout=10000;
    SELECT count(*),
      (SELECT count(*) FROM cases c WHERE NOT EXISTS (SELECT 1 FROM customers u WHERE u.case_id = c.id)
         OR NOT EXISTS (SELECT 1 FROM declared_items d WHERE d.case_id = c.id)
         OR NOT EXISTS (SELECT 1 FROM history h WHERE h.case_id = c.id)
         OR ($scope AND (SELECT count(*) FROM outbox o WHERE o.case_id = c.id) <> 2))
    FROM cases;" | tail -1)
  [[ $counts == "$expected|0" ]] || die "$db: expected $expected whole cases, found (cases|incomplete) $counts"
}

# same_rows SUBMISSION_ID REFERENCE_DB NAME=DB...: every program stored the application numbered
# SUBMISSION_ID as the same rows as the reference (kaitori-cgi), placeholders aside
# (bench/lib/case_rows.py); otherwise the run fails, showing the difference.
same_rows() {
  local id=$1 reference=$2 pair
  shift 2
  python3 "$BENCH_LIB/case_rows.py" "$reference" "$id" >"$WORK/rows-reference.txt" || die "no case $id in $reference"
  for pair in "$@"; do
    python3 "$BENCH_LIB/case_rows.py" "${pair#*=}" "$id" >"$WORK/rows-${pair%%=*}.txt" || die "no case $id in ${pair#*=}"
    diff -u "$WORK/rows-reference.txt" "$WORK/rows-${pair%%=*}.txt" >&2 \
      || die "${pair%%=*} stored application $id differently from kaitori-cgi (diff above)"
  done
}

# schema_version DB: the store's PRAGMA user_version.
schema_version() {
  sql "$1" "PRAGMA user_version"
}

# The C floor: bench/handler/floor.c, the storage work of one application post and nothing else,
# linked statically. Its two messages are the texts kaitori-cgi stores for the benchmark's
# application in this shop (bench/handler/messages.py): one post through kaitori-cgi on a copy
# of the shop gives them.
build_floor() {
  local dir="$WORK/floor"
  mkdir -p "$dir"
  rm -rf "$dir/shop"
  cp -a "$WORK/shop" "$dir/shop"
  python3 "$BENCH_LIB/forms.py" apply --submission-id bench-template >"$dir/apply.body"
  cgi_env "$dir/apply.env" "$dir/shop" /cgi-bin/kaitori /apply application/x-www-form-urlencoded "$dir/apply.body"
  "$CGI_TIME" -n 1 -e "$dir/apply.env" -i "$dir/apply.body" -s 303 -l "$dir/kaitori.stderr" -- "$KAITORI_CGI_STATIC" >/dev/null \
    || die "kaitori-cgi did not store the template application: $dir/kaitori.stderr"
  python3 "$KAITORI_ROOT/bench/handler/messages.py" "$dir/shop/var/kaitori.sqlite3" bench-template \
    "$(python3 -c 'import sys; sys.path.insert(0, sys.argv[1]); import forms; print(dict(forms.APPLICATION)["email"])' "$BENCH_LIB")" \
    >"$dir/messages.h"
  FLOOR="$WORK/bin/kaitori-floor"
  # libsqlite3.a can load extensions with dlopen, which the linker warns about; the floor never does.
  gcc -O2 -Wall -static -I "$dir" -o "$FLOOR" "$KAITORI_ROOT/bench/handler/floor.c" -lsqlite3 -lm 2>"$dir/gcc.log" \
    || die "could not build the floor statically (needs libsqlite3-dev's libsqlite3.a)"
}

# serve DIR: the five programs behind one lighttpd (bench/lighttpd/bench.conf.in), each on its
# own copy of the shop in DIR/shop-NAME, php-fpm (bench/php/php-fpm.conf.in) beside it. Sets PORT.
serve() {
  local dir=$1 who
  mkdir -p "$dir/run"
  for who in "${PROGRAMS[@]}"; do
    rm -rf "$dir/shop-$who"
    cp -a "$WORK/shop" "$dir/shop-$who"
  done
  "$KAITORI_ROOT/deploy/render.sh" "$KAITORI_ROOT/bench/php/php-fpm.conf.in" RUN_DIR="$dir/run" >"$dir/php-fpm.conf"
  "${SERVER_PIN[@]}" "$PHP_FPM" -F -R -y "$dir/php-fpm.conf" 2>>"$dir/run/php-fpm-stderr.log" &
  FPM_PID=$!
  local i
  for i in $(seq 100); do
    [[ -S $dir/run/php-fpm.sock ]] && break
    kill -0 "$FPM_PID" 2>/dev/null || die "php-fpm exited; see $dir/run"
    sleep 0.1
  done
  [[ -S $dir/run/php-fpm.sock ]] || die "php-fpm did not open its socket"
  PORT=$(free_port)
  "$KAITORI_ROOT/deploy/render.sh" "$KAITORI_ROOT/bench/lighttpd/bench.conf.in" PORT="$PORT" RUN_DIR="$dir/run" \
    FLOOR="$FLOOR" FLOOR_SITE_DIR="$dir/shop-floor" KAITORI_CGI="$KAITORI_CGI_STATIC" KAITORI_SITE_DIR="$dir/shop-kaitori" \
    PHP_SCRIPT="$KAITORI_ROOT/bench/php/apply.php" PHP_CGI="$PHP_CGI" PHP_SITE_DIR="$dir/shop-php" \
    FPM_SITE_DIR="$dir/shop-fpm" KAITORI_FCGI="$KAITORI_FCGI" FCGI_SITE_DIR="$dir/shop-fcgi" >"$dir/lighttpd.conf"
  lighttpd -tt -f "$dir/lighttpd.conf" >/dev/null || die "lighttpd refuses $dir/lighttpd.conf"
  "${SERVER_PIN[@]}" lighttpd -D -f "$dir/lighttpd.conf" 2>>"$dir/run/lighttpd-stderr.log" &
  LIGHTTPD_PID=$!
  for i in $(seq 100); do
    if curl -s -o /dev/null "http://127.0.0.1:$PORT/"; then break; fi
    kill -0 "$LIGHTTPD_PID" 2>/dev/null || die "lighttpd exited; see $dir/run"
    sleep 0.1
  done
  # One post each, outside the figures: every program answers before anything is measured.
  python3 "$BENCH_LIB/forms.py" apply --submission-id "bench-check" >"$dir/check.body"
  for who in "${PROGRAMS[@]}"; do
    local status
    status=$(curl -s -o /dev/null -w '%{http_code}' -H 'Content-Type: application/x-www-form-urlencoded' \
      --data-binary @"$dir/check.body" "http://127.0.0.1:$PORT${URL_PATH[$who]}")
    [[ $status == 303 ]] || die "$who answered $status to a first post (logs in $dir/run, $dir/shop-$who/var)"
  done
}

stop_servers() {
  stop_lighttpd
  if [[ -n ${FPM_PID:-} ]]; then
    kill "$FPM_PID" 2>/dev/null || true
    wait "$FPM_PID" 2>/dev/null || true
    FPM_PID=
  fi
}

# wrk_runs DIR THREADS CONNECTIONS SECONDS: BENCH_WRK_RUNS runs of every served program, in a new
# random order each time. A run counts only 303 answers: any other answer or socket error stops
# the benchmark. Appends, for runs 2 and on, per program: requests/s (303s / duration) to
# DIR/NAME.rate, median latency in ms to DIR/NAME.p50, the server's CPU ms per request
# (bench/lib/cpu_tree.py over lighttpd and php-fpm) to DIR/NAME.cpu and the run's steal time (%)
# to DIR/NAME.steal; DIR/NAME.ok counts the 303s and DIR/NAME.runs the runs made.
# A counted run during which the hypervisor took more than BENCH_MAX_STEAL percent of the machine's
# CPU (steal time: the guest was ready to run and was not let; on this kind of shared machine it
# came and went in stretches of 0-27 % and moved one program's rate by a quarter between runs) is
# made again, at most BENCH_STEAL_RETRIES times, with submission ids of its own. Every program is
# held to the same rule; DIR/repeated lists the runs made again. Where the hypervisor takes
# nothing, nothing is repeated.
wrk_runs() {
  local dir=$1 threads=$2 connections=$3 seconds=$4 run who out before after ok other socket
  local attempt body stolen_before steal
  for who in "${PROGRAMS[@]}"; do
    : >"$dir/$who.rate"
    : >"$dir/$who.p50"
    : >"$dir/$who.cpu"
    : >"$dir/$who.steal"
    echo 0 >"$dir/$who.ok"
    echo 0 >"$dir/$who.runs"
  done
  : >"$dir/repeated"
  for run in $(seq "$BENCH_WRK_RUNS"); do
    for who in $(shuf -e "${PROGRAMS[@]}"); do
      for attempt in $(seq 0 "$BENCH_STEAL_RETRIES"); do
        out="$dir/$who-$run-$attempt.txt"
        body="$dir/apply.body"
        if ((attempt > 0)); then
          body="$dir/apply-$who-$run-$attempt.body"
          python3 "$BENCH_LIB/forms.py" apply --submission-id "bench-r$run$attempt$who-@@@@@@@@" >"$body"
        fi
        stolen_before=$(steal_ticks)
        before=$(python3 "$BENCH_LIB/cpu_tree.py" "$LIGHTTPD_PID" "$FPM_PID")
        WRK_BODY="$body" WRK_RUN=$run "${WRK_PIN[@]}" wrk -t"$threads" -c"$connections" -d"${seconds}s" \
          --timeout 30s -s "$KAITORI_ROOT/bench/wrk/post.lua" "http://127.0.0.1:$PORT${URL_PATH[$who]}" >"$out"
        after=$(python3 "$BENCH_LIB/cpu_tree.py" "$LIGHTTPD_PID" "$FPM_PID")
        steal=$(steal_percent "$stolen_before" "$(steal_ticks)")
        read -r ok other < <(awk '/^statuses/ { for (i = 2; i <= NF; i++) { split($i, a, "=");
          if (a[1] == 303) ok += a[2]; else other += a[2] } } END { print ok + 0, other + 0 }' "$out")
        socket=$(awk '/^socket_errors/ { for (i = 2; i <= NF; i++) { split($i, a, "="); n += a[2] } } END { print n + 0 }' "$out")
        ((other == 0 && socket == 0)) || die "$who, run $run: $other answers other than 303 and $socket socket errors ($out)"
        ((ok > 0)) || die "$who, run $run: no answer at all ($out)"
        echo $(($(cat "$dir/$who.ok") + ok)) >"$dir/$who.ok"
        echo $(($(cat "$dir/$who.runs") + 1)) >"$dir/$who.runs"
        # Only the counted rounds are held to the rule: the first is dropped anyway.
        if ((run > 1 && attempt < BENCH_STEAL_RETRIES)) && awk -v s="$steal" -v m="$BENCH_MAX_STEAL" 'BEGIN { exit !(s > m) }'; then
          echo "$who run $run: steal $steal %, run again" >>"$dir/repeated"
          log "wrk: $who, run $run: the hypervisor took $steal % of the CPU; running it again"
          continue
        fi
        break
      done
      ((run == 1)) && continue
      echo "$steal" >>"$dir/$who.steal"
      awk -v ok="$ok" '/^duration_s/ { printf "%.2f\n", ok / $2 }' "$out" >>"$dir/$who.rate"
      awk '/^latency_ms/ { split($2, a, "="); print a[2] }' "$out" >>"$dir/$who.p50"
      awk -v b="$before" -v a="$after" -v n="$ok" 'BEGIN { printf "%.3f\n", (a - b) / n }' >>"$dir/$who.cpu"
    done
  done
}

# served_checks DIR CONNECTIONS: every 303 of every program is a stored case (wrk abandons the
# requests in flight when time is up; their cases may still be stored), and the first post of
# run 2 that all stored was stored as the same rows by all.
served_checks() {
  local dir=$1 connections=$2 who stored ok
  for who in "${PROGRAMS[@]}"; do
    stored=$(sql "$dir/shop-$who/var/kaitori.sqlite3" "SELECT count(*) FROM cases")
    ok=$(($(cat "$dir/$who.ok") + 1)) # and the check post of serve()
    ((stored >= ok && stored <= ok + $(cat "$dir/$who.runs") * connections)) \
      || die "$who answered $ok × 303 but stored $stored cases"
  done
  local id
  id=$(python3 "$BENCH_LIB/case_rows.py" --common bench-2 "$dir"/shop-*/var/kaitori.sqlite3)
  same_rows "$id" "$dir/shop-kaitori/var/kaitori.sqlite3" floor="$dir/shop-floor/var/kaitori.sqlite3" \
    php="$dir/shop-php/var/kaitori.sqlite3" fpm="$dir/shop-fpm/var/kaitori.sqlite3" fcgi="$dir/shop-fcgi/var/kaitori.sqlite3"
}

# 1. One application post: as a process, then one at a time through lighttpd.
bench_posts() {
  local dir="$WORK/posts" who round warmup load_before
  local large_posts=$(((BENCH_POSTS / BENCH_ROUNDS + 4) / 5))
  log "posts: $BENCH_POSTS per program in $BENCH_ROUNDS blocks, posts by turns"
  drop_programs
  load_before=$(load)
  mkdir -p "$dir"
  python3 "$BENCH_LIB/forms.py" apply --submission-id "bench-@@@@@@@@" >"$dir/apply.body"
  for who in kaitori static floor php large; do
    rm -rf "$dir/shop-$who"
    cp -a "$WORK/shop" "$dir/shop-$who"
    : >"$dir/$who.ms"
    : >"$dir/$who.cpu"
  done
  # A shop in steady use: BENCH_CASES cases waiting for the customer's answer, their pages built.
  seed "$dir/shop-large/var/kaitori.sqlite3" "$KAITORI_ROOT/bench/sql/assessed-cases.sql" "$BENCH_CASES" 0
  "$KAITORI" build --site "$dir/shop-large" >/dev/null
  local type=application/x-www-form-urlencoded
  for who in kaitori static floor large; do
    cgi_env "$dir/$who.env" "$dir/shop-$who" /cgi-bin/kaitori /apply "$type" "$dir/apply.body"
  done
  # php-cgi refuses to run unless a web server says it redirected there (cgi.force_redirect), and
  # finds its script from SCRIPT_FILENAME: the two variables every server sets for PHP.
  cgi_env "$dir/php.env" "$dir/shop-php" /cgi-bin/kaitori /apply "$type" "$dir/apply.body" \
    "SCRIPT_FILENAME=$KAITORI_ROOT/bench/php/apply.php" REDIRECT_STATUS=200
  declare -A program=([kaitori]=$KAITORI_CGI [static]=$KAITORI_CGI_STATIC [floor]=$FLOOR
    [php]=$PHP_CGI [large]=$KAITORI_CGI_STATIC)
  local per_round=$((BENCH_POSTS / BENCH_ROUNDS))
  declare -A count=([kaitori]=$per_round [static]=$per_round [floor]=$per_round [php]=$per_round [large]=$large_posts)
  declare -A numbered=()
  local post programs
  # Each round is one block of posts per program, taken by turns: one post to each program, in a
  # new random order, then the next. Blocks of consecutive posts per program (as in the seventh to
  # ninth sessions) met the machine's drift at different moments: two identical binaries differed
  # by up to 20 % a block there, and by a few percent taken by turns (bench/handler/interleave.sh).
  for round in $(seq "$BENCH_ROUNDS"); do
    for post in $(seq "$per_round"); do
      warmup=0
      ((round == 1 && post == 1)) && warmup=3
      programs=(kaitori static floor php)
      ((post <= large_posts)) && programs+=(large)
      for who in $(shuf -e "${programs[@]}"); do
        "$CGI_TIME" -n 1 -w "$warmup" -c "${numbered[$who]:-0}" -e "$dir/$who.env" -i "$dir/apply.body" \
          -s 303 -o "$dir/$who.ms" -u "$dir/$who.cpu" -l "$dir/$who.stderr" -- "${program[$who]}" >/dev/null
        numbered[$who]=$((${numbered[$who]:-0} + warmup + 1))
      done
    done
  done
  for who in kaitori static floor php; do
    check_cases "$dir/shop-$who/var/kaitori.sqlite3" "${numbered[$who]}"
  done
  check_cases "$dir/shop-large/var/kaitori.sqlite3" $((${numbered[large]} + BENCH_CASES)) applications
  same_rows bench-00000000 "$dir/shop-static/var/kaitori.sqlite3" "kaitori-cgi (stdlib)=$dir/shop-kaitori/var/kaitori.sqlite3" \
    floor="$dir/shop-floor/var/kaitori.sqlite3" php-cgi="$dir/shop-php/var/kaitori.sqlite3"

  # Medians and p90 of wall and CPU time per program, then one table row each; the ratios to the
  # floor block by block (each block's median against the floor's in the same round).
  declare -A wall=() p90=() cpu=()
  local n kind
  for who in kaitori static floor php large; do
    read -r wall[$who] p90[$who] n < <(python3 "$BENCH_LIB/stats.py" "$dir/$who.ms")
    read -r cpu[$who] _ _ < <(python3 "$BENCH_LIB/stats.py" "$dir/$who.cpu")
    for kind in ms cpu; do
      python3 "$BENCH_LIB/stats.py" chunks "$dir/$who.$kind" "${count[$who]}" >"$dir/$who.$kind.blocks"
    done
  done
  declare -A wall_r=() cpu_r=()
  for who in kaitori static floor php large; do
    wall_r[$who]=$(python3 "$BENCH_LIB/stats.py" pairs "$dir/$who.ms.blocks" "$dir/floor.ms.blocks")
    cpu_r[$who]=$(python3 "$BENCH_LIB/stats.py" pairs "$dir/$who.cpu.blocks" "$dir/floor.cpu.blocks")
  done
  # range "MEDIAN MIN MAX": "median× (min–max)".
  span() { awk '{ printf "%s× (%s–%s)", $1, $2, $3 }' <<<"$1"; }
  declare -A label=(
    [static]="kaitori-cgi, static executable (\`scripts/build-handler.sh\`, as deploy/README.md installs it)"
    [kaitori]="kaitori-cgi, \`--static-swift-stdlib\` (as scripts/run.sh builds it)"
    [floor]="C floor (bench/handler/floor.c, static)"
    [php]="PHP $(php-cgi -v | head -1 | cut -d' ' -f2) php-cgi + PDO SQLite (bench/php/apply.php)"
    [large]="kaitori-cgi, static executable, shop with $BENCH_CASES open reviews, ${count[large]} × $BENCH_ROUNDS posts"
  )
  emit "" "## Application post as a process" "" \
    "${count[kaitori]} × $BENCH_ROUNDS posts per program (\`BENCH_POSTS\`, \`BENCH_ROUNDS\`) in $BENCH_ROUNDS blocks, each block's posts taken by turns: one post to" \
    "each program in a new random order, then the next, so machine noise falls on all alike. Each program is spawned by bench/tools/cgi-time.c with the same CGI environment" \
    "and the same urlencoded application (bench/lib/forms.py, its own submission_id each time) on a pipe, must" \
    "answer 303, and must have stored a whole case (checked after the run); each has its own fresh shop, and" \
    "one case of each was diffed row by row against kaitori-cgi's (bench/lib/case_rows.py): identical. Every program's executable" \
    "was dropped from the page cache first (bench/tools/drop-cached.py), so none starts from a just-written copy. Wall" \
    "time is what a customer waits (fsync included); CPU time (user + system, from wait4) is what the" \
    "machine spends, and moves much less on a busy machine. Ratios: each block's median against the" \
    "floor's block in the same round; median of the $BENCH_ROUNDS blocks and (lowest–highest) range. Load average $load_before at the start, $(load) at the end." "" \
    "| program | wall median ms | wall p90 ms | CPU median ms | wall vs floor, by block | CPU vs floor, by block |" \
    "|---|---:|---:|---:|---:|---:|"
  for who in static kaitori floor php large; do
    emit "| ${label[$who]} | ${wall[$who]} | ${p90[$who]} | ${cpu[$who]} | $(span "${wall_r[$who]}") | $(span "${cpu_r[$who]}") |"
  done
  local worst_wall worst_cpu worst_php
  worst_wall=$(cut -d' ' -f3 <<<"${wall_r[static]}")
  worst_cpu=$(cut -d' ' -f3 <<<"${cpu_r[static]}")
  worst_php=$(python3 "$BENCH_LIB/stats.py" pairs "$dir/static.ms.blocks" "$dir/php.ms.blocks" | cut -d' ' -f3)
  emit "" "Goals for kaitori-cgi as deployed (static executable), on the worst of the $BENCH_ROUNDS blocks: wall ≤ 1.5× the floor —" \
    "$(goal "$worst_wall" '<=' 1.5 "$BENCH_ROUNDS") (worst ${worst_wall}×); CPU ≤ 1.5× the floor — $(goal "$worst_cpu" '<=' 1.5 "$BENCH_ROUNDS")" \
    "(worst ${worst_cpu}×); wall ≤ 0.5× php-cgi — $(goal "$worst_php" '<=' 0.5 "$BENCH_ROUNDS") (worst ${worst_php}×)."

  # The same post, one at a time through lighttpd, for the five programs served.
  log "posts: one connection through lighttpd, ${BENCH_SEQ_SECONDS}s x $BENCH_WRK_RUNS per program"
  load_before=$(load)
  local seq="$dir/served"
  mkdir -p "$seq"
  cp "$dir/apply.body" "$seq/apply.body"
  serve "$seq"
  wrk_runs "$seq" 1 1 "$BENCH_SEQ_SECONDS"
  stop_servers
  served_checks "$seq" 1
  local counted=$((BENCH_WRK_RUNS - 1))
  emit "" "### One post at a time through lighttpd" "" \
    "lighttpd $(lighttpd -v | cut -d' ' -f1 | cut -d/ -f2) (bench/lighttpd/bench.conf.in) serving the five programs, each on its own shop; wrk, 1 thread," \
    "1 connection, POST /apply as above (bench/wrk/post.lua), ${BENCH_SEQ_SECONDS} s per run (\`BENCH_SEQ_SECONDS\`), $BENCH_WRK_RUNS runs per program in a" \
    "new random order each time, the first dropped (warm-up: php-fpm's opcache, the FastCGI processes' caches). Wall: wrk's median" \
    "latency; CPU: what lighttpd, the programs it ran and php-fpm spent per post (bench/lib/cpu_tree.py), wrk excluded." \
    "Median of the $counted runs and (lowest–highest) range of the same-run ratios. $PINNING. Load average $load_before at the start, $(load) at the end." "" \
    "| program | wall ms, median | server CPU ms per post, median | wall vs floor | CPU vs floor | wall vs php-fpm |" \
    "|---|---:|---:|---:|---:|---:|"
  for who in "${PROGRAMS[@]}"; do
    emit "| ${SERVED[$who]} | $(python3 "$BENCH_LIB/stats.py" range "$seq/$who.p50" | cut -d' ' -f1) | $(python3 "$BENCH_LIB/stats.py" range "$seq/$who.cpu" | cut -d' ' -f1) | $(span "$(python3 "$BENCH_LIB/stats.py" pairs "$seq/$who.p50" "$seq/floor.p50")") | $(span "$(python3 "$BENCH_LIB/stats.py" pairs "$seq/$who.cpu" "$seq/floor.cpu")") | $(span "$(python3 "$BENCH_LIB/stats.py" pairs "$seq/$who.p50" "$seq/fpm.p50")") |"
  done
  local fpm_vs_cgi
  fpm_vs_cgi=$(python3 "$BENCH_LIB/stats.py" pairs "$seq/fpm.p50" "$seq/php.p50")
  emit "" "php-fpm against php-cgi, wall per post: $(span "$fpm_vs_cgi")$(awk '{ if ($3 < 1) print " — a warm php-fpm beats a php-cgi process in every run"; else if ($1 < 1) print " — php-fpm is faster in most runs"; else print "" }' <<<"$fpm_vs_cgi")."
}

# 2. Requests per second through lighttpd.
bench_throughput() {
  local dir="$WORK/throughput" who load_before
  log "throughput: wrk, $BENCH_CONNECTIONS connections, ${BENCH_WRK_SECONDS}s x $BENCH_WRK_RUNS per program"
  drop_programs
  load_before=$(load)
  mkdir -p "$dir"
  python3 "$BENCH_LIB/forms.py" apply --submission-id "bench-@@@@@@@@" >"$dir/apply.body"
  serve "$dir"
  wrk_runs "$dir" 2 "$BENCH_CONNECTIONS" "$BENCH_WRK_SECONDS"
  stop_servers
  served_checks "$dir" "$BENCH_CONNECTIONS"
  local counted=$((BENCH_WRK_RUNS - 1))
  span() { awk '{ printf "%s× (%s–%s)", $1, $2, $3 }' <<<"$1"; }
  emit "" "## Throughput through lighttpd" "" \
    "lighttpd $(lighttpd -v | cut -d' ' -f1 | cut -d/ -f2) (bench/lighttpd/bench.conf.in) serving the five programs, each on its own fresh shop; wrk $(wrk --version 2>&1 | head -1 | cut -d' ' -f2), 2 threads," \
    "$BENCH_CONNECTIONS connections, POST /apply with the same application, its own submission_id each time" \
    "(bench/wrk/post.lua), ${BENCH_WRK_SECONDS} s per run, $BENCH_WRK_RUNS runs per program in a new random order each time, the first dropped;" \
    "every executable dropped from the page cache first (bench/tools/drop-cached.py)." \
    "Only 303 answers count, and any other answer or socket error would have failed the run; every 303 is a stored case, and one" \
    "case of each program was diffed row by row against kaitori-cgi's: identical. Requests/s = 303 answers / duration; median" \
    "and (lowest–highest) of the $counted runs; ratios run by run against the program in the same round. $PINNING." \
    "Load average $load_before at the start, $(load) at the end." "" \
    "Steal time (the CPU the hypervisor gave to others while a run wanted it) is read from /proc/stat around every run; a counted run" \
    "with more than $BENCH_MAX_STEAL % was made again (at most $BENCH_STEAL_RETRIES times, \`BENCH_MAX_STEAL\`, \`BENCH_STEAL_RETRIES\`): $(wc -l <"$dir/repeated") run(s)" \
    "made again$(awk 'NR == 1 { printf " (" } { printf "%s%s", (NR > 1 ? "; " : ""), $0 } END { if (NR) printf ")" }' "$dir/repeated")." "" \
    "| program | requests/s, median (range) | 303 answers | server CPU ms per post | steal % of counted runs, max | vs floor | vs php-fpm |" \
    "|---|---:|---:|---:|---:|---:|---:|"
  for who in "${PROGRAMS[@]}"; do
    emit "| ${SERVED[$who]} | $(python3 "$BENCH_LIB/stats.py" range "$dir/$who.rate" | awk '{ printf "%.1f (%.1f–%.1f)", $1, $2, $3 }') | $(cat "$dir/$who.ok") | $(python3 "$BENCH_LIB/stats.py" range "$dir/$who.cpu" | cut -d' ' -f1) | $(sort -g "$dir/$who.steal" | tail -1) | $(span "$(python3 "$BENCH_LIB/stats.py" pairs "$dir/$who.rate" "$dir/floor.rate")") | $(span "$(python3 "$BENCH_LIB/stats.py" pairs "$dir/$who.rate" "$dir/fpm.rate")") |"
  done
  local cgi_floor fcgi_floor fcgi_fpm fpm_php
  cgi_floor=$(python3 "$BENCH_LIB/stats.py" pairs "$dir/kaitori.rate" "$dir/floor.rate" | cut -d' ' -f2)
  fcgi_floor=$(python3 "$BENCH_LIB/stats.py" pairs "$dir/fcgi.rate" "$dir/floor.rate" | cut -d' ' -f2)
  fcgi_fpm=$(python3 "$BENCH_LIB/stats.py" pairs "$dir/fcgi.rate" "$dir/fpm.rate" | cut -d' ' -f2)
  fpm_php=$(python3 "$BENCH_LIB/stats.py" pairs "$dir/fpm.rate" "$dir/php.rate")
  emit "" "Goals, on the worst of the $counted runs: kaitori-cgi ≥ 0.8× the floor — $(goal "$cgi_floor" '>=' 0.8 "$counted") (worst ${cgi_floor}×);" \
    "kaitori-fcgi ≥ 2× the floor — $(goal "$fcgi_floor" '>=' 2 "$counted") (worst ${fcgi_floor}×); kaitori-fcgi ahead of php-fpm —" \
    "$(goal "$fcgi_fpm" '>' 1 "$counted") (worst ${fcgi_fpm}×). php-fpm against php-cgi: $(span "$fpm_php")."
}

# timed OUT COMMAND...: runs COMMAND (output to OUT.log) and appends its wall time to OUT.ms and
# its CPU time (user + system, children included) to OUT.cpu, in ms.
timed() {
  local out=$1
  shift
  /usr/bin/time -f '%e %U %S' -o "$out.time" "$@" >"$out.log" 2>&1 || return 1
  awk '{ printf "%.0f\n", $1 * 1000 }' "$out.time" >>"$out.ms"
  awk '{ printf "%.0f\n", ($2 + $3) * 1000 }' "$out.time" >>"$out.cpu"
}

# rebuild_case SITE CODE OUT: BENCH_REBUILDS timed `kaitori build --case CODE`, in ms, to OUT.
rebuild_case() {
  local run start
  : >"$3"
  for run in $(seq "$BENCH_REBUILDS"); do
    start=$(now_ms)
    "$KAITORI" build --site "$1" --case "$2" >/dev/null 2>>"$1.log" || die "kaitori build --case $2 failed: $1.log"
    echo $(($(now_ms) - start)) >>"$3"
  done
}

# answer_reviews SITE N OUT: the customer's answer "sell all" to N open review links (the newest
# cases), each a timed kaitori-cgi process, in ms, to OUT.
answer_reviews() {
  local token
  : >"$3"
  printf 'decision=all' >"$1.review.body"
  while read -r token; do
    cgi_env "$1.review.env" "$1" /cgi-bin/kaitori "/review/$token" application/x-www-form-urlencoded "$1.review.body"
    "$CGI_TIME" -n 1 -w 0 -e "$1.review.env" -i "$1.review.body" -s 303 -o "$3" -l "$1.log" -- "$KAITORI_CGI_STATIC" >/dev/null
  done < <(sqlite3 -batch "$1/var/kaitori.sqlite3" \
    "SELECT review_token FROM cases WHERE status = 'assessed' AND decision IS NULL ORDER BY id DESC LIMIT $2")
  [[ $(wc -l <"$3") == "$2" ]] || die "answered $(wc -l <"$3") of $2 reviews in $1"
}

# 3. Full build and one-case rebuild vs Hugo.
bench_build() {
  local dir="$WORK/build" run load_before
  log "build: $BENCH_CASES assessed cases, $BENCH_BUILD_RUNS full builds each of kaitori and hugo on 1 and $(nproc) cores"
  load_before=$(load)
  mkdir -p "$dir"
  rm -rf "$dir/shop" "$dir/small"
  cp -a "$WORK/shop" "$dir/shop"
  seed "$dir/shop/var/kaitori.sqlite3" "$KAITORI_ROOT/bench/sql/assessed-cases.sql" "$BENCH_CASES" 0
  python3 "$KAITORI_ROOT/bench/hugo/make_site.py" "$BENCH_CASES" "$KAITORI_ROOT/content" "$dir/hugo"
  local who cores all_cores="0-$(($(nproc) - 1))"
  local core_counts=(1)
  (($(nproc) > 1)) && core_counts+=("$(nproc)")
  for who in kaitori hugo; do
    for cores in "${core_counts[@]}"; do
      : >"$dir/$who-$cores.ms"
      : >"$dir/$who-$cores.cpu"
    done
  done
  # The same rule for both: the output folder is deleted before every build, so each writes every
  # page; the order of the four (builder, cores) builds is random in each round.
  for run in $(seq "$BENCH_BUILD_RUNS"); do
    for job in $(shuf -e "${core_counts[@]/#/kaitori-}" "${core_counts[@]/#/hugo-}"); do
      who=${job%-*}
      cores=${job#*-}
      local pin=(taskset -c 0)
      ((cores > 1)) && pin=(taskset -c "$all_cores")
      if [[ $who == kaitori ]]; then
        rm -rf "$dir/shop/public"
        timed "$dir/kaitori-$cores" "${pin[@]}" "$KAITORI" build --site "$dir/shop" || die "kaitori build failed: $dir/kaitori-$cores.log"
      else
        rm -rf "$dir/hugo/public"
        timed "$dir/hugo-$cores" "${pin[@]}" hugo --quiet --source "$dir/hugo" --destination "$dir/hugo/public" \
          || die "hugo failed: $dir/hugo-$cores.log"
      fi
    done
  done
  # Counted now: the review answers below add ID pages.
  local k_pages h_pages k_review h_review k_token_pages
  k_pages=$(find "$dir/shop/public" -name '*.html' | wc -l)
  h_pages=$(find "$dir/hugo/public" -name '*.html' | wc -l)
  k_token_pages=$(find "$dir/shop/public/review" -mindepth 2 -name index.html | wc -l)
  ((k_token_pages == BENCH_CASES)) || die "kaitori build wrote $k_token_pages review pages for $BENCH_CASES assessed cases"
  k_review=$(find "$dir/shop/public/review" -mindepth 2 -name index.html -printf '%s\n' | awk '{ s += $1 } END { printf "%.0f", s / NR }')
  h_review=$(find "$dir/hugo/public/review" -mindepth 2 -name index.html -printf '%s\n' | awk '{ s += $1 } END { printf "%.0f", s / NR }')

  # The same per-case writes on a small shop, to tell their own cost from what grows with the shop.
  local small=$((2 * BENCH_REBUILDS))
  cp -a "$WORK/shop" "$dir/small"
  seed "$dir/small/var/kaitori.sqlite3" "$KAITORI_ROOT/bench/sql/assessed-cases.sql" "$small" 0
  "$KAITORI" build --site "$dir/small" >/dev/null
  local code=BNCH-2222 shop
  for shop in shop small; do
    rebuild_case "$dir/$shop" "$code" "$dir/case-$shop.ms"
    answer_reviews "$dir/$shop" "$BENCH_REBUILDS" "$dir/review-$shop.ms"
  done

  # Pages per second of each build, then the ratio kaitori/hugo round by round.
  local rows=() verdicts=() k_ms h_ms k_cpu h_cpu rates
  for cores in "${core_counts[@]}"; do
    awk -v p="$k_pages" '{ printf "%.3f\n", p / ($1 / 1000) }' "$dir/kaitori-$cores.ms" >"$dir/kaitori-$cores.rate"
    awk -v p="$h_pages" '{ printf "%.3f\n", p / ($1 / 1000) }' "$dir/hugo-$cores.ms" >"$dir/hugo-$cores.rate"
    read -r k_ms _ _ < <(python3 "$BENCH_LIB/stats.py" "$dir/kaitori-$cores.ms")
    read -r h_ms _ _ < <(python3 "$BENCH_LIB/stats.py" "$dir/hugo-$cores.ms")
    read -r k_cpu _ _ < <(python3 "$BENCH_LIB/stats.py" "$dir/kaitori-$cores.cpu")
    read -r h_cpu _ _ < <(python3 "$BENCH_LIB/stats.py" "$dir/hugo-$cores.cpu")
    rates=$(python3 "$BENCH_LIB/stats.py" pairs "$dir/kaitori-$cores.rate" "$dir/hugo-$cores.rate")
    rows+=("| kaitori build | $cores | $k_pages | $k_review | $(ms_to_s "$k_ms") | $(ms_to_s "$k_cpu") | $(awk -v p="$k_pages" -v ms="$k_ms" 'BEGIN { printf "%.0f", p / (ms / 1000) }') | $(awk '{ printf "%s× (%s–%s)", $1, $2, $3 }' <<<"$rates") |")
    rows+=("| hugo | $cores | $h_pages | $h_review | $(ms_to_s "$h_ms") | $(ms_to_s "$h_cpu") | $(awk -v p="$h_pages" -v ms="$h_ms" 'BEGIN { printf "%.0f", p / (ms / 1000) }') | |")
    verdicts+=("on $cores core(s) $(goal "$(cut -d' ' -f2 <<<"$rates")" '>=' 1 "$BENCH_BUILD_RUNS") (worst $(cut -d' ' -f2 <<<"$rates")×)")
  done
  local c_ms c_small r_ms r_small full_ms share
  read -r c_ms _ _ < <(python3 "$BENCH_LIB/stats.py" "$dir/case-shop.ms")
  read -r c_small _ _ < <(python3 "$BENCH_LIB/stats.py" "$dir/case-small.ms")
  read -r r_ms _ _ < <(python3 "$BENCH_LIB/stats.py" "$dir/review-shop.ms")
  read -r r_small _ _ < <(python3 "$BENCH_LIB/stats.py" "$dir/review-small.ms")
  read -r full_ms _ _ < <(python3 "$BENCH_LIB/stats.py" "$dir/kaitori-1.ms")
  share=$(awk -v c="$c_ms" -v f="$full_ms" 'BEGIN { printf "1/%.0f", f / c }')
  emit "" "## Site build" "" \
    "$BENCH_CASES assessed cases (\`BENCH_CASES\`, inserted by bench/sql/assessed-cases.sql) plus the sample shop's" \
    "content pages, against Hugo $(hugo version | cut -d' ' -f2 | cut -d+ -f1) building the same content pages and $BENCH_CASES review pages of the" \
    "same make-up (bench/hugo/make_site.py; code, three priced items, total, answer form). Hugo is fed the data as JSON" \
    "front matter, its fastest to read (this Hugo has no content adapters, so each page still needs a file of its own)." \
    "Both output folders are deleted before every build. $BENCH_BUILD_RUNS full builds per builder and core count (\`taskset\`)," \
    "in a new random order each round; medians, and the pages/s ratio round by round, median (lowest–highest)." \
    "CPU is user + system time. Load average $load_before at the start, $(load) at the end." "" \
    "| builder | cores | HTML pages | review page, mean bytes | full build, wall s | CPU s | pages/s (wall) | pages/s vs Hugo |" \
    "|---|---:|---:|---:|---:|---:|---:|---:|" "${rows[@]}" "" \
    "One-case rebuild (\`kaitori build --case $code\`), median of $BENCH_REBUILDS: ${c_ms} ms = $share of the full build on 1 core." "" \
    "Per-case writes, median of $BENCH_REBUILDS each, on a shop with $small assessed cases and on the $BENCH_CASES-case shop above:" "" \
    "| per-case write | $small cases | $BENCH_CASES cases |" "|---|---:|---:|" \
    "| \`kaitori build --case CODE\` | $c_small ms | $c_ms ms |" \
    "| POST /review/{token} decision=all through kaitori-cgi, static (rewrites the case's pages) | $r_small ms | $r_ms ms |" "" \
    "Goals: at least Hugo's pages/s, on the worst round — $(IFS=';'; echo "${verdicts[*]}" | sed 's/;/; /g'); one-case rebuild ≤ 1/200 of a full build — $(goal "$(awk -v c="$c_ms" -v f="$full_ms" 'BEGIN { print c * 200 / f }')" '<=' 1 "$BENCH_REBUILDS") ($share)."
}

# 4. Peak memory of an ID upload.
bench_upload() {
  local dir="$WORK/upload" token boundary=----KaitoriBenchBoundary7MA4YWxkTrZu0gW
  log "upload: ${BENCH_UPLOAD_MB} MB ID image through kaitori-cgi"
  mkdir -p "$dir"
  cp -a "$WORK/shop" "$dir/shop"
  local db="$dir/shop/var/kaitori.sqlite3"
  seed "$db" "$KAITORI_ROOT/bench/sql/assessed-cases.sql" 1 0
  token=$(sql "$db" "SELECT replace(replace(lower(hex(randomblob(16))), '0', 'g'), '1', 'h')")
  sql "$db" "UPDATE cases SET decision = 'all', decided_at = strftime('%s', 'now') WHERE code = 'BNCH-2222';
    INSERT INTO id_checks (case_id, token, created_at) SELECT id, '$token', strftime('%s', 'now') FROM cases WHERE code = 'BNCH-2222';
    SELECT changes();" >/dev/null
  python3 "$BENCH_LIB/forms.py" kyc --mb "$BENCH_UPLOAD_MB" --boundary="$boundary" >"$dir/kyc.body"
  python3 "$BENCH_LIB/forms.py" apply >"$dir/apply.body"
  cgi_env "$dir/kyc.env" "$dir/shop" /cgi-bin/kaitori "/kyc/$token" "multipart/form-data; boundary=$boundary" "$dir/kyc.body"
  cgi_env "$dir/apply.env" "$dir/shop" /cgi-bin/kaitori /apply application/x-www-form-urlencoded "$dir/apply.body"

  local kind rss=() bytes
  for kind in apply kyc; do
    local envs=()
    mapfile -t envs <"$dir/$kind.env"
    env -i "${envs[@]}" /usr/bin/time -v -o "$dir/$kind.time" "$KAITORI_CGI_STATIC" <"$dir/$kind.body" >"$dir/$kind.out" 2>"$dir/$kind.stderr"
    head -1 "$dir/$kind.out" | grep -q '^Status: 303' || die "$kind post was not answered 303: $(head -c 300 "$dir/$kind.out")"
    rss+=("$(awk -F': ' '/Maximum resident set size/ {print $2}' "$dir/$kind.time")")
  done
  [[ $(sql "$db" "SELECT state FROM id_checks WHERE token = '$token'") == submitted ]] || die "the ID upload was not stored"
  bytes=$(sql "$db" "SELECT size FROM stored_files WHERE kind = 'id_front'")
  local upload_mb peak_mb times
  upload_mb=$(awk -v b="$(stat -c %s "$dir/kyc.body")" 'BEGIN { printf "%.1f", b / 1e6 }')
  peak_mb=$(awk -v k="${rss[1]}" 'BEGIN { printf "%.1f", k * 1024 / 1e6 }')
  times=$(awk -v p="$peak_mb" -v u="$upload_mb" 'BEGIN { printf "%.2f", p / u }')
  emit "" "## Peak memory of an ID upload" "" \
    "POST /kyc/{token} with a ${BENCH_UPLOAD_MB} MB JPEG front side (\`BENCH_UPLOAD_MB\`; stored file $bytes bytes), multipart body" \
    "$upload_mb MB, kaitori-cgi (static executable) run directly as a process under \`/usr/bin/time -v\`." "" \
    "| request | max RSS |" "|---|---:|" \
    "| POST /apply (for comparison) | $(awk -v k="${rss[0]}" 'BEGIN { printf "%.1f MB", k * 1024 / 1e6 }') |" \
    "| POST /kyc with the upload | $peak_mb MB |" "" \
    "Goal: ≤ 3× the upload (≤ $(awk -v u="$upload_mb" 'BEGIN { printf "%.0f", 3 * u }') MB) — $(verdict "$times" '<=' 3) (${times}×)."
}

# 5. Zengin export at growing sizes.
bench_zengin() {
  local dir="$WORK/zengin" size start ms rows=()
  mkdir -p "$dir"
  for size in $BENCH_ZENGIN_SIZES; do
    log "zengin: export of $size purchased bank-transfer cases"
    rm -rf "$dir/shop-$size"
    cp -a "$WORK/shop" "$dir/shop-$size"
    seed "$dir/shop-$size/var/kaitori.sqlite3" "$KAITORI_ROOT/bench/sql/purchased-cases.sql" "$size" 0
    start=$(now_ms)
    /usr/bin/time -v -o "$dir/$size.time" "$KAITORI" zengin export --site "$dir/shop-$size" --date 1225 \
      -o "$dir/transfer-$size.txt" 2>"$dir/$size.stderr" || die "zengin export of $size failed: $(cat "$dir/$size.stderr")"
    ms=$(($(now_ms) - start))
    local expected=$(((size + 3) * 122)) actual
    actual=$(stat -c %s "$dir/transfer-$size.txt")
    ((actual == expected)) || die "zengin export of $size cases wrote $actual bytes, expected $expected ($size + 3 records of 120 bytes + CR LF)"
    rows+=("| $size | $(ms_to_s "$ms") | $(awk -v ms="$ms" -v n="$size" 'BEGIN { printf "%.0f", ms * 1000 / n }') | $(awk -F': ' '/Maximum resident set size/ {printf "%.0f", $2 / 1024}' "$dir/$size.time") MB |")
    rm -rf "$dir/shop-$size"
  done
  emit "" "## Zengin export scaling" "" \
    "\`kaitori zengin export --date 1225 -o FILE\` over purchased, unpaid bank-transfer cases (bench/sql/purchased-cases.sql;" \
    "\`BENCH_ZENGIN_SIZES\`), wall time including start-up, the batch record and the file's size check." "" \
    "| cases | seconds | µs per case | max RSS |" "|---:|---:|---:|---:|" "${rows[@]}" "" \
    "Goal: time per case roughly constant (linear)."
  local sizes=($BENCH_ZENGIN_SIZES) first last growth
  if ((${#sizes[@]} > 1)); then
    first=$(awk -F': ' '/Maximum resident set size/ {print $2}' "$dir/${sizes[0]}.time")
    last=$(awk -F': ' '/Maximum resident set size/ {print $2}' "$dir/${sizes[-1]}.time")
    growth=$(ratio "$last" "$first")
    emit "Goal: peak memory at ${sizes[-1]} cases within 10 % of that at ${sizes[0]} (the export streams) — $(verdict "$growth" '<=' 1.10) (${growth}×)."
  fi
}

# The deployed builds in one folder for bench/tail/run.sh: the static kaitori-cgi and kaitori-fcgi.
tail_bin_dir() {
  local bin="$WORK/tail-bin"
  mkdir -p "$bin"
  cp "$KAITORI_CGI_STATIC" "$bin/kaitori-cgi"
  cp "$KAITORI_FCGI" "$bin/kaitori-fcgi"
  echo "$bin"
}

# A work folder for bench/tail/run.sh outside WORK (which only its owner may enter): lighttpd
# runs as nobody there. Removed when the benchmark ends.
tail_work() {
  local folder
  folder=$(mktemp -d /tmp/kaitori-bench-tail.XXXXXX)
  chmod 0755 "$folder"
  echo "$folder" >>"$WORK/tail-folders"
  echo "$folder"
}

need_root() {
  [[ $(id -u) == 0 ]] || die "the $1 section needs root (lighttpd drops to nobody, as deployed); run as root or leave it out of BENCH_ONLY"
}

# 6. Tail latency: bench/tail/run.sh with the deployed builds, BENCH_TAIL_ROUNDS rounds of 1,000
# posts from BENCH_CONNECTIONS clients through lighttpd with the shipped configs, CGI and FastCGI.
bench_tail() {
  need_root tail
  local dir="$WORK/tail" bin kind worst rounds bad verdicts=()
  mkdir -p "$dir"
  bin=$(tail_bin_dir)
  log "tail: $BENCH_TAIL_ROUNDS rounds of 1000 posts from $BENCH_CONNECTIONS clients, CGI and FastCGI"
  KAITORI="$KAITORI" TAIL_ROUNDS=$BENCH_TAIL_ROUNDS TAIL_CLIENTS=$BENCH_CONNECTIONS TAIL_WORK="$(tail_work)" \
    "$KAITORI_ROOT/bench/tail/run.sh" "deployed=$bin" >"$dir/out.md" 2>"$dir/stderr" \
    || die "bench/tail/run.sh failed: $(tail -3 "$dir/stderr")"
  for kind in cgi fastcgi; do
    # Columns: build, handler, round, answers, p50, p99, max, p99/p50, store.
    rounds=$(awk -F' *[|] *' -v k="$kind" '$3 == k' "$dir/out.md" | wc -l)
    bad=$(awk -F' *[|] *' -v k="$kind" -v n="1000 × 303" '$3 == k && ($5 != n || $10 != "ok")' "$dir/out.md" | wc -l)
    ((bad == 0)) || die "tail, $kind: $bad round(s) with an answer other than 303 or a store that failed its check ($dir/out.md)"
    worst=$(awk -F' *[|] *' -v k="$kind" '$3 == k && $9 + 0 > w { w = $9 + 0 } END { print w }' "$dir/out.md")
    verdicts+=("$kind p99/p50 ≤ 10 — $(goal "$worst" '<=' 10 "$rounds") (worst $worst)")
  done
  emit "" "## Tail latency at $BENCH_CONNECTIONS clients" "" \
    "\`bench/tail/run.sh\` with the deployed builds (static kaitori-cgi; kaitori-fcgi, 2 processes as deploy/ ships it):" \
    "lighttpd with the shipped configs, $BENCH_TAIL_ROUNDS rounds (\`BENCH_TAIL_ROUNDS\`) of 1,000 application posts from $BENCH_CONNECTIONS clients" \
    "(reliability/load.py: every answer a 303 with its own code), each round on a fresh copy of the shop, the store checked" \
    "case by case afterwards (reliability/check_store.py)." "" \
    "$(grep -E '^[|]' "$dir/out.md")" "" \
    "Goals, on the worst round: $(IFS=';'; echo "${verdicts[*]}" | sed 's/;/; /g')."
}

# 7. FastCGI memory: kaitori-fcgi's resident memory after 1,000 and after BENCH_RSS_REQUESTS requests.
bench_rss() {
  need_root rss
  local dir="$WORK/rss" bin first last growth
  mkdir -p "$dir"
  bin=$(tail_bin_dir)
  log "rss: $BENCH_RSS_REQUESTS requests to kaitori-fcgi"
  KAITORI="$KAITORI" TAIL_RSS=1 TAIL_RSS_POSTS=$BENCH_RSS_REQUESTS TAIL_RSS_EVERY=$(((BENCH_RSS_REQUESTS - 1001 + 2) / 3)) \
    TAIL_CLIENTS=$BENCH_CONNECTIONS TAIL_WORK="$(tail_work)" "$KAITORI_ROOT/bench/tail/run.sh" "deployed=$bin" >"$dir/out.md" 2>"$dir/stderr" \
    || die "bench/tail/run.sh (TAIL_RSS=1) failed: $(tail -3 "$dir/stderr")"
  # The sum over the processes, first reading and last.
  first=$(awk -F' *[|] *' 'NR > 2 && $2 ~ /^[0-9,]+$/ { n = split($4, a, " "); t = 0; for (i = 1; i <= n; i++) t += a[i]; print t; exit }' "$dir/out.md")
  last=$(awk -F' *[|] *' 'NR > 2 && $2 ~ /^[0-9,]+$/ { n = split($4, a, " "); t = 0; for (i = 1; i <= n; i++) t += a[i]; v = t } END { print v }' "$dir/out.md")
  growth=$(ratio "$last" "$first")
  emit "" "## FastCGI memory over $BENCH_RSS_REQUESTS requests" "" \
    "\`bench/tail/run.sh\` with \`TAIL_RSS=1\`: kaitori-fcgi (2 processes, 16 threads each, as deploy/ ships it) behind lighttpd;" \
    "500 applications from $BENCH_CONNECTIONS clients and 500 incomplete forms (422: parsed, validated, the form rendered" \
    "with its errors), so every thread has answered both kinds before the first reading, then incomplete forms with" \
    "ApacheBench; the resident set size of each process from /proc after each step." "" \
    "$(grep -E '^[|]' "$dir/out.md")" "" \
    "Goal: flat, the last reading within 10 % of the first (both processes together) — $(verdict "$growth" '<=' 1.10) (${growth}×)."
}

# drop_programs: every compared program's executable out of the page cache before a section, so
# each is read back from disk alike (bench/tools/drop-cached.py says why: a program just built or
# copied starts faster than one the kernel has evicted once, the state a server runs it in).
drop_programs() {
  local file files=()
  for file in "${KAITORI_CGI:-}" "${KAITORI_CGI_STATIC:-}" "${KAITORI_FCGI:-}" "${FLOOR:-}" "$PHP_CGI" "$PHP_FPM"; do
    [[ -n $file ]] && files+=("$file")
  done
  python3 "$KAITORI_ROOT/bench/tools/drop-cached.py" "${files[@]}"
}

install_deps
mkdir -p "$WORK/bin"
build_kaitori
build_cgi_time "$WORK/bin"
build_static_cgi
log "work folder: $WORK"
rm -rf "$WORK/shop"
new_shop "$WORK/shop"
if [[ " $BENCH_ONLY " == *" posts "* || " $BENCH_ONLY " == *" throughput "* ]]; then
  build_fcgi
  build_floor
elif [[ " $BENCH_ONLY " == *" tail "* || " $BENCH_ONLY " == *" rss "* ]]; then
  build_fcgi
fi

: >"$FIGURES"
emit "# Benchmark figures" "" \
  "Written by \`bench/run.sh\` on $(date -u '+%Y-%m-%d %H:%M UTC') at $(git -C "$KAITORI_ROOT" rev-parse --short HEAD 2>/dev/null || echo 'an uncommitted tree'):" \
  "$(machine_description); $(php-cgi -v | head -1 | cut -d' ' -f1-2), lighttpd $(lighttpd -v | cut -d' ' -f1 | cut -d/ -f2). A shared machine: read the same-run ratios, not the absolute times." "" \
  "Settings: BENCH_QUICK=${BENCH_QUICK:-0} BENCH_ONLY=\"$BENCH_ONLY\" BENCH_POSTS=$BENCH_POSTS BENCH_ROUNDS=$BENCH_ROUNDS BENCH_SEQ_SECONDS=$BENCH_SEQ_SECONDS BENCH_WRK_SECONDS=$BENCH_WRK_SECONDS BENCH_WRK_RUNS=$BENCH_WRK_RUNS BENCH_MAX_STEAL=$BENCH_MAX_STEAL BENCH_STEAL_RETRIES=$BENCH_STEAL_RETRIES BENCH_CONNECTIONS=$BENCH_CONNECTIONS BENCH_CASES=$BENCH_CASES BENCH_BUILD_RUNS=$BENCH_BUILD_RUNS BENCH_REBUILDS=$BENCH_REBUILDS BENCH_UPLOAD_MB=$BENCH_UPLOAD_MB BENCH_ZENGIN_SIZES=\"$BENCH_ZENGIN_SIZES\" BENCH_TAIL_ROUNDS=$BENCH_TAIL_ROUNDS BENCH_RSS_REQUESTS=$BENCH_RSS_REQUESTS."
for section in $BENCH_ONLY; do
  case $section in
    posts | throughput | build | upload | zengin | tail | rss) "bench_$section" ;;
    *) die "BENCH_ONLY: unknown section \"$section\" (posts throughput build upload zengin tail rss)" ;;
  esac
done
log "figures: $FIGURES"
cat "$FIGURES"
