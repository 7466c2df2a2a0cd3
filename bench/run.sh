#!/usr/bin/env bash
# Every benchmark of docs/performance.md in one run, written as markdown figures:
#
#   bench/run.sh [FIGURES.md]        (default: bench/results/figures.md; also printed at the end)
#
# 1. POST /apply as a process: kaitori-cgi vs the C floor (bench/handler) vs PHP (php-cgi running
#    bench/php/apply.php): same CGI environment and body, interleaved blocks, median and p90; and
#    kaitori-cgi on a shop already holding BENCH_CASES cases.
# 2. Throughput through lighttpd (mod_cgi) with wrk, 32 connections: kaitori-cgi vs the floor.
#    kaitori-cgi is measured as deploy/README.md installs it (a fully static executable,
#    -static-executable) and as scripts/run.sh builds it (--static-swift-stdlib), in both 1 and 2;
#    the other parts use the static executable.
# 3. Full `kaitori build` of BENCH_CASES assessed cases plus the content pages vs Hugo on the
#    same pages; per-case writes (`kaitori build --case CODE`, a review answer through
#    kaitori-cgi) on a small shop and on that large one.
# 4. Peak memory of a 10 MB ID upload through kaitori-cgi (/usr/bin/time -v).
# 5. `kaitori zengin export` at 10,000 and 100,000 purchased bank-transfer cases.
#
# Sizes (environment; defaults in brackets): BENCH_POSTS [300] posts per program in
# BENCH_ROUNDS [10] interleaved blocks; BENCH_WRK_SECONDS [10] per wrk run, BENCH_WRK_ROUNDS [2]
# runs per program, BENCH_CONNECTIONS [32]; BENCH_CASES [10000] case pages, BENCH_BUILD_RUNS [3]
# full builds each, BENCH_REBUILDS [10] one-case rebuilds; BENCH_UPLOAD_MB [10];
# BENCH_ZENGIN_SIZES ["10000 100000"]; BENCH_WORK [a new /tmp/kaitori-bench.XXXXXX];
# BENCH_ONLY ["posts throughput build upload zengin"] to run some sections only.
# Building: see bench/lib/common.sh (KAITORI_BENCH_BUILD, KAITORI_BIN_DIR, KAITORI_SKIP_DEPS).
set -euo pipefail
source "$(dirname "$0")/lib/common.sh"

BENCH_POSTS=${BENCH_POSTS:-300}
BENCH_ROUNDS=${BENCH_ROUNDS:-10}
BENCH_WRK_SECONDS=${BENCH_WRK_SECONDS:-10}
BENCH_WRK_ROUNDS=${BENCH_WRK_ROUNDS:-2}
BENCH_CONNECTIONS=${BENCH_CONNECTIONS:-32}
BENCH_CASES=${BENCH_CASES:-10000}
BENCH_BUILD_RUNS=${BENCH_BUILD_RUNS:-3}
BENCH_REBUILDS=${BENCH_REBUILDS:-10}
BENCH_UPLOAD_MB=${BENCH_UPLOAD_MB:-10}
BENCH_ZENGIN_SIZES=${BENCH_ZENGIN_SIZES:-10000 100000}
BENCH_ONLY=${BENCH_ONLY:-posts throughput build upload zengin}
WORK=${BENCH_WORK:-$(mktemp -d /tmp/kaitori-bench.XXXXXX)}
mkdir -p "$WORK"
FIGURES=${1:-$KAITORI_ROOT/bench/results/figures.md}
mkdir -p "$(dirname "$FIGURES")"
((BENCH_POSTS >= BENCH_ROUNDS)) || die "BENCH_POSTS ($BENCH_POSTS) must be at least BENCH_ROUNDS ($BENCH_ROUNDS)"
# bench/wrk/post.lua numbers submission ids with one digit per run.
((BENCH_WRK_ROUNDS >= 1 && BENCH_WRK_ROUNDS <= 9)) || die "BENCH_WRK_ROUNDS must be 1 to 9"

trap stop_lighttpd EXIT

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

# verdict VALUE OP LIMIT: "met" or "**missed**" for a goal like "ratio <= 1.5".
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

# The C floor: bench/handler/floor.c, the storage work of one application post and nothing else.
build_floor() {
  FLOOR="$WORK/bin/kaitori-floor"
  gcc -O2 -Wall -o "$FLOOR" "$KAITORI_ROOT/bench/handler/floor.c" -lsqlite3
}

# 1. One application post, as a process.
bench_posts() {
  local dir="$WORK/posts" who round warmup
  local large_posts=$(((BENCH_POSTS / BENCH_ROUNDS + 4) / 5))
  log "posts: $BENCH_POSTS per program in $BENCH_ROUNDS interleaved blocks"
  mkdir -p "$dir"
  python3 "$BENCH_LIB/forms.py" apply --submission-id "bench-@@@@@@@@" >"$dir/apply.body"
  for who in kaitori static floor php large; do
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
    [php]=$(command -v php-cgi) [large]=$KAITORI_CGI_STATIC)
  local per_round=$((BENCH_POSTS / BENCH_ROUNDS))
  declare -A count=([kaitori]=$per_round [static]=$per_round [floor]=$per_round [php]=$per_round [large]=$large_posts)
  declare -A numbered=()
  for round in $(seq "$BENCH_ROUNDS"); do
    warmup=0
    ((round == 1)) && warmup=3
    for who in kaitori static floor php large; do
      "$CGI_TIME" -n "${count[$who]}" -w "$warmup" -c "${numbered[$who]:-0}" -e "$dir/$who.env" -i "$dir/apply.body" \
        -s 303 -o "$dir/$who.ms" -u "$dir/$who.cpu" -l "$dir/$who.stderr" -- "${program[$who]}" >/dev/null
      numbered[$who]=$((${numbered[$who]:-0} + warmup + count[$who]))
    done
  done
  for who in kaitori static floor php; do
    check_cases "$dir/shop-$who/var/kaitori.sqlite3" "${numbered[$who]}"
  done
  check_cases "$dir/shop-large/var/kaitori.sqlite3" $((${numbered[large]} + BENCH_CASES)) applications

  # Medians and p90 of wall and CPU time per program, then one table row each.
  declare -A wall=() p90=() cpu=()
  local n
  for who in kaitori static floor php large; do
    read -r wall[$who] p90[$who] n < <(python3 "$BENCH_LIB/stats.py" "$dir/$who.ms")
    read -r cpu[$who] _ _ < <(python3 "$BENCH_LIB/stats.py" "$dir/$who.cpu")
  done
  declare -A label=(
    [static]="kaitori-cgi, static executable (\`-Xswiftc -static-executable\`, as deploy/README.md installs it)"
    [kaitori]="kaitori-cgi, \`--static-swift-stdlib\` (as scripts/run.sh builds it)"
    [floor]="C floor (bench/handler/floor.c)"
    [php]="PHP $(php-cgi -v | head -1 | cut -d' ' -f2) php-cgi + PDO SQLite (bench/php/apply.php)"
    [large]="kaitori-cgi, static executable, shop with $BENCH_CASES open reviews, ${count[large]} × $BENCH_ROUNDS posts"
  )
  emit "" "## Application post as a process" "" \
    "${count[kaitori]} × $BENCH_ROUNDS sequential posts per program (\`BENCH_POSTS\`, \`BENCH_ROUNDS\`), in interleaved blocks so machine" \
    "noise falls on all alike. Each program is spawned by bench/tools/cgi-time.c with the same CGI environment" \
    "and the same urlencoded application (bench/lib/forms.py, its own submission_id each time) on a pipe, must" \
    "answer 303, and must have stored a whole case (checked after the run); each has its own fresh shop. Wall" \
    "time is what a customer waits (fsync included); CPU time (user + system, from wait4) is what the" \
    "machine spends, and moves much less on a busy machine." "" \
    "| program | wall median ms | wall p90 ms | CPU median ms | wall vs floor | CPU vs floor | wall vs PHP |" \
    "|---|---:|---:|---:|---:|---:|---:|"
  for who in static kaitori floor php large; do
    emit "| ${label[$who]} | ${wall[$who]} | ${p90[$who]} | ${cpu[$who]} | $(ratio "${wall[$who]}" "${wall[floor]}")× | $(ratio "${cpu[$who]}" "${cpu[floor]}")× | $(ratio "${wall[$who]}" "${wall[php]}")× |"
  done
  local k s kp sp
  k=$(ratio "${wall[kaitori]}" "${wall[floor]}")
  s=$(ratio "${wall[static]}" "${wall[floor]}")
  kp=$(ratio "${wall[kaitori]}" "${wall[php]}")
  sp=$(ratio "${wall[static]}" "${wall[php]}")
  emit "" "Goals, on the wall-time medians of kaitori-cgi as deployed (static executable): ≤ 1.5× the floor —" \
    "$(verdict "$s" '<=' 1.5) (${s}×; with \`--static-swift-stdlib\` ${k}×); ≤ 0.5× PHP — $(verdict "$sp" '<=' 0.5) (${sp}×;" \
    "with \`--static-swift-stdlib\` ${kp}×)."
}

# 2. Requests per second through lighttpd.
bench_throughput() {
  local dir="$WORK/throughput" port who round
  log "throughput: wrk, $BENCH_CONNECTIONS connections, ${BENCH_WRK_SECONDS}s x $BENCH_WRK_ROUNDS per program"
  mkdir -p "$dir/run"
  for who in kaitori static floor; do
    cp -a "$WORK/shop" "$dir/shop-$who"
  done
  python3 "$BENCH_LIB/forms.py" apply --submission-id "bench-@@@@@@@@" >"$dir/apply.body"
  port=$(free_port)
  "$KAITORI_ROOT/deploy/render.sh" "$KAITORI_ROOT/bench/lighttpd/bench.conf.in" PORT="$port" \
    KAITORI_SITE_DIR="$dir/shop-kaitori" STATIC_SITE_DIR="$dir/shop-static" FLOOR_SITE_DIR="$dir/shop-floor" \
    RUN_DIR="$dir/run" KAITORI_CGI="$KAITORI_CGI" KAITORI_CGI_STATIC="$KAITORI_CGI_STATIC" FLOOR="$FLOOR" \
    >"$dir/lighttpd.conf"
  start_lighttpd "$dir/lighttpd.conf" "$dir/run" "$port"
  declare -A total_ok=() total_other=() total_socket=() rates=()
  for round in $(seq "$BENCH_WRK_ROUNDS"); do
    for who in floor kaitori static; do
      WRK_BODY="$dir/apply.body" WRK_RUN=$round wrk -t2 -c"$BENCH_CONNECTIONS" -d"${BENCH_WRK_SECONDS}s" --timeout 30s \
        -s "$KAITORI_ROOT/bench/wrk/post.lua" "http://127.0.0.1:$port/cgi-bin/$who/apply" >"$dir/$who-$round.txt"
      local ok other socket
      read -r ok other < <(awk '/^statuses/ { for (i = 2; i <= NF; i++) { split($i, a, "=");
        if (a[1] == 303) ok += a[2]; else other += a[2] } } END { print ok + 0, other + 0 }' "$dir/$who-$round.txt")
      socket=$(awk '/^socket_errors/ { for (i = 2; i <= NF; i++) { split($i, a, "="); n += a[2] } } END { print n + 0 }' \
        "$dir/$who-$round.txt")
      total_ok[$who]=$((${total_ok[$who]:-0} + ok))
      total_other[$who]=$((${total_other[$who]:-0} + other))
      total_socket[$who]=$((${total_socket[$who]:-0} + socket))
      rates[$who]="${rates[$who]:-} $(awk '/^requests_per_sec/ {print $2}' "$dir/$who-$round.txt")"
    done
  done
  stop_lighttpd
  local k_rate s_rate f_rate stored
  k_rate=$(tr ' ' '\n' <<<"${rates[kaitori]}" | awk 'NF { s += $1; n++ } END { printf "%.1f", s / n }')
  s_rate=$(tr ' ' '\n' <<<"${rates[static]}" | awk 'NF { s += $1; n++ } END { printf "%.1f", s / n }')
  f_rate=$(tr ' ' '\n' <<<"${rates[floor]}" | awk 'NF { s += $1; n++ } END { printf "%.1f", s / n }')
  for who in kaitori static floor; do
    stored=$(sql "$dir/shop-$who/var/kaitori.sqlite3" "SELECT count(*) FROM cases")
    # wrk abandons the requests in flight when time is up; their cases may still be stored.
    ((stored >= total_ok[$who] && stored <= total_ok[$who] + BENCH_WRK_ROUNDS * BENCH_CONNECTIONS)) \
      || die "throughput: $who answered ${total_ok[$who]} × 303 but stored $stored cases"
  done
  local r rs
  r=$(ratio "$k_rate" "$f_rate")
  rs=$(ratio "$s_rate" "$f_rate")
  emit "" "## Throughput through lighttpd" "" \
    "lighttpd $(lighttpd -v | cut -d' ' -f1 | cut -d/ -f2) with mod_cgi (bench/lighttpd/bench.conf.in), wrk $(wrk --version 2>&1 | head -1 | cut -d' ' -f2), 2 threads," \
    "$BENCH_CONNECTIONS connections, POST /apply with the same application, its own submission_id each time" \
    "(bench/wrk/post.lua), ${BENCH_WRK_SECONDS} s per run," \
    "$BENCH_WRK_ROUNDS runs per program alternating floor, kaitori-cgi (\`--static-swift-stdlib\`), kaitori-cgi (static); each on its own fresh shop." "" \
    "| program | requests/s (mean of runs) | 303 answers | other answers | socket errors |" \
    "|---|---:|---:|---:|---:|" \
    "| kaitori-cgi, static executable (deployed) | $s_rate | ${total_ok[static]} | ${total_other[static]} | ${total_socket[static]} |" \
    "| kaitori-cgi, \`--static-swift-stdlib\` | $k_rate | ${total_ok[kaitori]} | ${total_other[kaitori]} | ${total_socket[kaitori]} |" \
    "| C floor | $f_rate | ${total_ok[floor]} | ${total_other[floor]} | ${total_socket[floor]} |" "" \
    "Goal: kaitori-cgi as deployed ≥ 0.8× the floor's requests/s — $(verdict "$rs" '>=' 0.8) (${rs}×; with \`--static-swift-stdlib\` ${r}×)."
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
  local dir="$WORK/build" run
  log "build: $BENCH_CASES assessed cases, $BENCH_BUILD_RUNS full builds each of kaitori and hugo"
  mkdir -p "$dir"
  cp -a "$WORK/shop" "$dir/shop"
  seed "$dir/shop/var/kaitori.sqlite3" "$KAITORI_ROOT/bench/sql/assessed-cases.sql" "$BENCH_CASES" 0
  python3 "$KAITORI_ROOT/bench/hugo/make_site.py" "$BENCH_CASES" "$KAITORI_ROOT/content" "$dir/hugo"
  local who
  for who in kaitori hugo; do
    : >"$dir/$who.ms"
    : >"$dir/$who.cpu"
  done
  for run in $(seq "$BENCH_BUILD_RUNS"); do
    timed "$dir/kaitori" "$KAITORI" build --site "$dir/shop" || die "kaitori build failed: $dir/kaitori.log"
    rm -rf "$dir/hugo/public"
    timed "$dir/hugo" hugo --quiet --source "$dir/hugo" --destination "$dir/hugo/public" || die "hugo failed: $dir/hugo.log"
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

  local k_ms h_ms k_cpu h_cpu k_rate h_rate
  read -r k_ms _ _ < <(python3 "$BENCH_LIB/stats.py" "$dir/kaitori.ms")
  read -r h_ms _ _ < <(python3 "$BENCH_LIB/stats.py" "$dir/hugo.ms")
  read -r k_cpu _ _ < <(python3 "$BENCH_LIB/stats.py" "$dir/kaitori.cpu")
  read -r h_cpu _ _ < <(python3 "$BENCH_LIB/stats.py" "$dir/hugo.cpu")
  local c_ms c_small r_ms r_small
  read -r c_ms _ _ < <(python3 "$BENCH_LIB/stats.py" "$dir/case-shop.ms")
  read -r c_small _ _ < <(python3 "$BENCH_LIB/stats.py" "$dir/case-small.ms")
  read -r r_ms _ _ < <(python3 "$BENCH_LIB/stats.py" "$dir/review-shop.ms")
  read -r r_small _ _ < <(python3 "$BENCH_LIB/stats.py" "$dir/review-small.ms")
  k_rate=$(awk -v p="$k_pages" -v ms="$k_ms" 'BEGIN { printf "%.0f", p / (ms / 1000) }')
  h_rate=$(awk -v p="$h_pages" -v ms="$h_ms" 'BEGIN { printf "%.0f", p / (ms / 1000) }')
  local speed share
  speed=$(ratio "$k_rate" "$h_rate")
  share=$(awk -v c="$c_ms" -v f="$k_ms" 'BEGIN { printf "1/%.0f", f / c }')
  emit "" "## Site build" "" \
    "$BENCH_CASES assessed cases (\`BENCH_CASES\`, inserted by bench/sql/assessed-cases.sql) plus the sample shop's" \
    "content pages, against Hugo $(hugo version | cut -d' ' -f2 | cut -d+ -f1) building the same content pages and $BENCH_CASES review pages of the" \
    "same make-up (bench/hugo/make_site.py; code, three priced items, total, answer form). Median of" \
    "$BENCH_BUILD_RUNS full builds each, alternating; Hugo uses both cores. CPU is user + system time." "" \
    "| builder | HTML pages | review page, mean bytes | full build, wall s | CPU s | pages/s (wall) |" \
    "|---|---:|---:|---:|---:|---:|" \
    "| kaitori build | $k_pages | $k_review | $(ms_to_s "$k_ms") | $(ms_to_s "$k_cpu") | $k_rate |" \
    "| hugo | $h_pages | $h_review | $(ms_to_s "$h_ms") | $(ms_to_s "$h_cpu") | $h_rate |" "" \
    "One-case rebuild (\`kaitori build --case $code\`), median of $BENCH_REBUILDS: ${c_ms} ms = $share of the full build." "" \
    "Per-case writes, median of $BENCH_REBUILDS each, on a shop with $small assessed cases and on the $BENCH_CASES-case shop above:" "" \
    "| per-case write | $small cases | $BENCH_CASES cases |" "|---|---:|---:|" \
    "| \`kaitori build --case CODE\` | $c_small ms | $c_ms ms |" \
    "| POST /review/{token} decision=all through kaitori-cgi, static (rewrites the case's pages) | $r_small ms | $r_ms ms |" "" \
    "Goals: at least Hugo's pages/s — $(verdict "$speed" '>=' 1) (${speed}×); one-case rebuild ≤ 1/200 of a full build — $(verdict "$(awk -v c="$c_ms" -v f="$k_ms" 'BEGIN { print c * 200 / f }')" '<=' 1) ($share)."
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
}

install_deps
mkdir -p "$WORK/bin"
build_kaitori
build_cgi_time "$WORK/bin"
build_static_cgi
if [[ " $BENCH_ONLY " == *" posts "* || " $BENCH_ONLY " == *" throughput "* ]]; then
  build_floor
fi
log "work folder: $WORK"
rm -rf "$WORK/shop"
new_shop "$WORK/shop"

: >"$FIGURES"
emit "# Benchmark figures" "" \
  "Written by \`bench/run.sh\` on $(date -u '+%Y-%m-%d %H:%M UTC') at $(git -C "$KAITORI_ROOT" rev-parse --short HEAD 2>/dev/null || echo 'an uncommitted tree'):" \
  "$(machine_description). One run on a shared machine: read the ratios, not the absolute times." "" \
  "Settings: BENCH_ONLY=\"$BENCH_ONLY\" BENCH_POSTS=$BENCH_POSTS BENCH_ROUNDS=$BENCH_ROUNDS BENCH_WRK_SECONDS=$BENCH_WRK_SECONDS BENCH_WRK_ROUNDS=$BENCH_WRK_ROUNDS BENCH_CONNECTIONS=$BENCH_CONNECTIONS BENCH_CASES=$BENCH_CASES BENCH_BUILD_RUNS=$BENCH_BUILD_RUNS BENCH_REBUILDS=$BENCH_REBUILDS BENCH_UPLOAD_MB=$BENCH_UPLOAD_MB BENCH_ZENGIN_SIZES=\"$BENCH_ZENGIN_SIZES\"."
for section in $BENCH_ONLY; do
  case $section in
    posts | throughput | build | upload | zengin) "bench_$section" ;;
    *) die "BENCH_ONLY: unknown section \"$section\" (posts throughput build upload zengin)" ;;
  esac
done
log "figures: $FIGURES"
cat "$FIGURES"
