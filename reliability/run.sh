#!/usr/bin/env bash
# The reliability suite of docs/reliability.md in one run, written as markdown figures:
#
#   reliability/run.sh [FIGURES.md]   (default: reliability/results/figures.md; also printed)
#
# 1. Load: RELIABILITY_POSTS [1000] applications from RELIABILITY_CLIENTS [32] concurrent clients
#    through lighttpd (deploy/lighttpd/lighttpd.conf.in) and kaitori-cgi: every post a 303 with
#    its own case code, no 5xx, every case stored whole.
# 2. Crashes: RELIABILITY_KILLS [200] posts to kaitori-cgi processes SIGKILLed at random moments,
#    RELIABILITY_PARALLEL [4] at a time: every post answered 303 is stored, integrity_check ok, no
#    half-stored case, and the next post succeeds.
# 3. Full disk and read-only database: var/ on a RELIABILITY_TMPFS_MB [4] MB tmpfs filled to the
#    last byte, then remounted read-only, then a read-only database file for the handler's user:
#    503 pages, nothing half-written, and posts succeed once space or write access returns.
# 4. Fuzzing: each libFuzzer target (fuzz/*/build.sh) replays its committed corpus
#    (fuzz/NAME/corpus), then runs for RELIABILITY_FUZZ_SECONDS [30] s: 0 crashes.
# 5. Syscall kills: one application post SIGKILLed at each of its writes and syncs in turn
#    (reliability/syscall_kill.py, strace --inject): the case is absent or whole, and a 303 only
#    ever follows the commit's fdatasync.
# 6. ENOSPC: one post with var/ on an ext4 loop image left with 0, 4, 8 ... KB free
#    (reliability/enospc.py): every step a 303 with the case whole or a 503 with nothing stored.
# 7. Two hosts: two lighttpd, each with its own shop folder, on one PostgreSQL store through
#    pgbouncer (reliability/two-hosts.sh): RELIABILITY_POSTS applications from RELIABILITY_CLIENTS
#    clients split across both, a case applied on one host read on the other, SIGKILLed posts.
# 8. Power cut: one post's writes and syncs traced, and the disk rebuilt as a lost page cache
#    would leave it after each call (reliability/powercut.py): no acknowledged case lost, no half case.
#
# Needs root (tmpfs mounts, dropping to `nobody` for lighttpd and the read-only file test).
# RELIABILITY_WORK [a new /tmp/kaitori-reliability.XXXXXX], RELIABILITY_SEED [random],
# RELIABILITY_ONLY ["load kills disk fuzz"] to run some sections only.
# Building: see bench/lib/common.sh (KAITORI_BENCH_BUILD, KAITORI_BIN_DIR, KAITORI_SKIP_DEPS).
set -euo pipefail
source "$(dirname "$0")/../bench/lib/common.sh"
HERE="$KAITORI_ROOT/reliability"

RELIABILITY_POSTS=${RELIABILITY_POSTS:-1000}
RELIABILITY_CLIENTS=${RELIABILITY_CLIENTS:-32}
RELIABILITY_KILLS=${RELIABILITY_KILLS:-200}
RELIABILITY_PARALLEL=${RELIABILITY_PARALLEL:-4}
RELIABILITY_TMPFS_MB=${RELIABILITY_TMPFS_MB:-4}
RELIABILITY_FUZZ_SECONDS=${RELIABILITY_FUZZ_SECONDS:-30}
RELIABILITY_SEED=${RELIABILITY_SEED:-$RANDOM}
RELIABILITY_ONLY=${RELIABILITY_ONLY:-load kills disk fuzz syscalls enospc hosts powercut}
WORK=${RELIABILITY_WORK:-$(mktemp -d /tmp/kaitori-reliability.XXXXXX)}
FIGURES=${1:-$KAITORI_ROOT/reliability/results/figures.md}
[[ $(id -u) == 0 ]] || die "run as root: the suite mounts a tmpfs and runs the handler as nobody"

# The web server and the read-only test run the handler as nobody, who must reach the shops.
mkdir -p "$WORK" "$(dirname "$FIGURES")"
chmod 0755 "$WORK"
MOUNTED=()
cleanup() {
  stop_lighttpd
  local mount
  for mount in "${MOUNTED[@]}"; do
    umount "$mount" 2>/dev/null || true
  done
}
trap cleanup EXIT

FAILURES=0
emit() {
  printf '%s\n' "$@" >>"$FIGURES"
}

# result OK_OR_NOT TEXT: one line of the figures; a failed check is counted and shown in bold.
result() {
  if [[ $1 == ok ]]; then
    emit "- $2"
  else
    FAILURES=$((FAILURES + 1))
    emit "- **FAILED**: $2"
    log "FAILED: $2"
  fi
}

# json FILE KEY: one value of a JSON summary.
json() {
  python3 -c 'import json, sys; print(json.load(open(sys.argv[1]))[sys.argv[2]])' "$1" "$2"
}

# cgi_post SITE PATH_INFO CONTENT_TYPE BODY OUT [RUNNER...]: runs kaitori-cgi once (RUNNER, e.g.
# setpriv, goes in front) and prints the response's status; the response is in OUT.
cgi_post() {
  local site=$1 path=$2 type=$3 body=$4 out=$5
  shift 5
  local envs=()
  cgi_env "$out.env" "$site" /cgi-bin/kaitori "$path" "$type" "$body"
  mapfile -t envs <"$out.env"
  "$@" env -i "${envs[@]}" "$KAITORI_CGI" <"$body" >"$out" 2>"$out.stderr" || true
  awk 'NR == 1 { if ($1 == "Status:") print $2; else print 200; exit }' "$out"
}

# is_page FILE: the response is a complete HTML page (headers, then a document that ends).
is_page() {
  grep -qi '^Content-Type: text/html' "$1" && grep -q '</html>' "$1"
}

# open_id_check DB: makes the sample case BNCH-2222 (seeded) wait for its ID and prints the token.
open_id_check() {
  local token
  seed "$1" "$KAITORI_ROOT/bench/sql/assessed-cases.sql" 1 0
  token=$(sql "$1" "SELECT replace(replace(lower(hex(randomblob(16))), '0', 'g'), '1', 'h')")
  sql "$1" "UPDATE cases SET decision = 'all', decided_at = strftime('%s', 'now') WHERE code = 'BNCH-2222';
    INSERT INTO id_checks (case_id, token, created_at) SELECT id, '$token', strftime('%s', 'now') FROM cases WHERE code = 'BNCH-2222';
    SELECT 1;" >/dev/null
  echo "$token"
}

# 1. Concurrent applications through lighttpd: kaitori-cgi as CGI, then kaitori-fcgi as FastCGI.
test_load() {
  load_through cgi
  load_through fastcgi
}

# load_through cgi|fastcgi
load_through() {
  local kind=$1 dir="$WORK/load-$1" port path=/cgi-bin/kaitori/apply
  log "load ($kind): $RELIABILITY_POSTS applications from $RELIABILITY_CLIENTS clients through lighttpd"
  mkdir -p "$dir/run"
  cp -a "$WORK/shop" "$dir/shop"
  chown -R nobody:nogroup "$dir/shop" "$dir/run"
  port=$(free_port)
  "$KAITORI_ROOT/deploy/render.sh" "$KAITORI_ROOT/deploy/lighttpd/lighttpd.conf.in" SITE_DIR="$dir/shop" \
    BIN="$KAITORI_CGI" STAFF_BIN="$WORK/bin/kaitori-staff" PORT="$port" LISTEN=127.0.0.1 USER=nobody GROUP=nogroup RUN_DIR="$dir/run" >"$dir/lighttpd.conf"
  if [[ $kind == fastcgi ]]; then
    # The shipped FastCGI snippet, included as deploy/README.md says.
    "$KAITORI_ROOT/deploy/render.sh" "$KAITORI_ROOT/deploy/lighttpd/kaitori-fastcgi.conf.in" SITE_DIR="$dir/shop" \
      BIN="$KAITORI_FCGI" RUN_DIR="$dir/run" >"$dir/kaitori-fastcgi.conf"
    echo 'include "kaitori-fastcgi.conf"' >>"$dir/lighttpd.conf"
    path=/kaitori.fcgi/apply
  fi
  start_lighttpd "$dir/lighttpd.conf" "$dir/run" "$port"
  python3 "$HERE/load.py" "http://127.0.0.1:$port$path" "$RELIABILITY_POSTS" "$RELIABILITY_CLIENTS" \
    >"$dir/load.json" || true
  stop_lighttpd
  python3 -c 'import json, sys; json.dump(json.load(open(sys.argv[1]))["codes"], open(sys.argv[2], "w"))' \
    "$dir/load.json" "$dir/expected.json"
  python3 "$HERE/check_store.py" "$dir/shop/var/kaitori.sqlite3" --expect "$dir/expected.json" \
    --count "$RELIABILITY_POSTS" --items 3 >"$dir/check.json" || true

  local statuses
  statuses=$(python3 -c 'import json, sys; s = json.load(open(sys.argv[1]))["statuses"]; print(", ".join(f"{n} × {k}" for k, n in sorted(s.items())))' "$dir/load.json")
  local handler="kaitori-cgi (static executable) as CGI"
  [[ $kind == fastcgi ]] && handler="kaitori-fcgi as FastCGI (deploy/lighttpd/kaitori-fastcgi.conf.in: 2 processes)"
  emit "" "## Load ($kind): $RELIABILITY_POSTS applications, $RELIABILITY_CLIENTS concurrent clients" "" \
    "lighttpd $(lighttpd -v | cut -d' ' -f1 | cut -d/ -f2) with the shipped config (deploy/lighttpd/lighttpd.conf.in, as nobody), $handler;" \
    "reliability/load.py posts from $RELIABILITY_CLIENTS threads, each post with its own submission_id." ""
  local problems
  problems=$(json "$dir/load.json" problems)
  [[ $problems == "[]" ]] && result ok "answers: $statuses in $(json "$dir/load.json" seconds) s (p50 $(json "$dir/load.json" latency_p50_ms) ms, p99 $(json "$dir/load.json" latency_p99_ms) ms, max $(json "$dir/load.json" latency_max_ms) ms)"
  python3 -c 'import json, sys; d = json.load(open(sys.argv[1])); sys.exit(0 if d["latency_p99_ms"] <= 10 * d["latency_p50_ms"] else 1)' "$dir/load.json" \
    && result ok "tail: p99 within 10× p50" || result failed "tail: p99 above 10× p50" \
    || result failed "answers: $statuses; $problems"
  [[ $(json "$dir/load.json" server_errors) == 0 ]] && result ok "5xx answers: 0" \
    || result failed "5xx answers: $(json "$dir/load.json" server_errors) (see $dir/run/lighttpd-error.log)"
  [[ $(json "$dir/load.json" unique_codes) == "$RELIABILITY_POSTS" ]] && result ok "unique case codes: $RELIABILITY_POSTS of $RELIABILITY_POSTS" \
    || result failed "unique case codes: $(json "$dir/load.json" unique_codes) of $RELIABILITY_POSTS"
  [[ $(json "$dir/check.json" problems) == "[]" ]] \
    && result ok "store: $(json "$dir/check.json" cases) cases, each whole (customer, 3 declared items, history, event, 2 queued messages), every 303 stored under its code, integrity_check $(json "$dir/check.json" integrity)" \
    || result failed "store: $(json "$dir/check.json" problems)"
}

# 2. SIGKILL at random moments.
test_kills() {
  local dir="$WORK/kill"
  log "kills: $RELIABILITY_KILLS posts, $RELIABILITY_PARALLEL at a time, SIGKILL at random moments (seed $RELIABILITY_SEED)"
  mkdir -p "$dir"
  cp -a "$WORK/shop" "$dir/shop"
  python3 "$HERE/kill.py" "$KAITORI_CGI" "$dir/shop" "$RELIABILITY_KILLS" "$RELIABILITY_PARALLEL" \
    "$dir/expected.json" "$RELIABILITY_SEED" >"$dir/kill.json" || true
  python3 "$HERE/check_store.py" "$dir/shop/var/kaitori.sqlite3" --expect "$dir/expected.json" --items 3 \
    >"$dir/check.json" || true
  emit "" "## Crashes: SIGKILL during $RELIABILITY_KILLS posts" "" \
    "reliability/kill.py runs kaitori-cgi directly, $RELIABILITY_PARALLEL processes at a time, and SIGKILLs each after a random delay" \
    "between 0 and 1.5× the median post time ($(json "$dir/kill.json" median_post_ms) ms), seed $RELIABILITY_SEED." ""
  local answered stored
  answered=$(json "$dir/kill.json" answered_303)
  # Five calibration posts and the one after the kills are stored too.
  stored=$(($(json "$dir/check.json" cases) - 5 - $([[ $(json "$dir/kill.json" post_after_kills_ok) == True ]] && echo 1 || echo 0)))
  result ok "killed while running: $(json "$dir/kill.json" killed) of $RELIABILITY_KILLS posts; answered 303 before the kill: $answered"
  [[ $(json "$dir/check.json" lost) == 0 && $(json "$dir/check.json" problems) == "[]" ]] \
    && result ok "stored: $stored of the $RELIABILITY_KILLS posts — the $answered answered 303, each under its code, and $((stored - answered)) killed after their commit but before their answer; the other $((RELIABILITY_KILLS - stored)) left nothing (no row without its case); 0 half-stored cases, integrity_check $(json "$dir/check.json" integrity)" \
    || result failed "store after kills: $(json "$dir/check.json" problems)"
  [[ $(json "$dir/kill.json" post_after_kills_ok) == True ]] && result ok "a post after the kills succeeds (no stale lock)" \
    || result failed "the post after the kills was not answered 303"
}

# 3. Full disk, read-only mount, read-only database file.
test_disk() {
  local dir="$WORK/disk" shop="$WORK/disk/shop" token out=$WORK/disk/out
  log "disk: var/ on a ${RELIABILITY_TMPFS_MB} MB tmpfs, full, then read-only"
  mkdir -p "$dir" "$out"
  cp -a "$WORK/shop" "$shop"
  token=$(open_id_check "$shop/var/kaitori.sqlite3")
  python3 "$BENCH_LIB/forms.py" apply >"$dir/apply.body"
  local boundary=----KaitoriReliabilityBoundary
  python3 "$BENCH_LIB/forms.py" kyc --mb 1 --boundary="$boundary" >"$dir/kyc.body"
  local kyc_type="multipart/form-data; boundary=$boundary" form=application/x-www-form-urlencoded
  mv "$shop/var" "$shop/var.seed"
  mkdir -m 0700 "$shop/var"
  mount -t tmpfs -o "size=${RELIABILITY_TMPFS_MB}m,mode=0700" kaitori-reliability "$shop/var"
  MOUNTED+=("$shop/var")
  cp -a "$shop/var.seed/." "$shop/var/"
  local db="$shop/var/kaitori.sqlite3" status before seeded
  seeded=$(sql "$db" "SELECT max(id) FROM cases")

  emit "" "## Full disk and read-only database" "" \
    "The shop's var/ (database, uploads, site.json) on a ${RELIABILITY_TMPFS_MB} MB tmpfs; kaitori-cgi run directly as a process." ""
  status=$(cgi_post "$shop" /apply "$form" "$dir/apply.body" "$out/sanity")
  [[ $status == 303 ]] || { result failed "the first post on the tmpfs answered $status: $(cat "$out/sanity.stderr")"; return; }

  # Full: fill what is left to the last block (dd stops at ENOSPC). The checks read the database
  # once space is back: even a reader needs room for its WAL index.
  before=$(sql "$db" "SELECT count(*) FROM cases")
  dd if=/dev/zero of="$shop/var/filler" bs=4k status=none 2>/dev/null || true
  local answers=() stored=0 pages=0 attempt
  for attempt in 1 2 3 4 5; do
    status=$(cgi_post "$shop" /apply "$form" "$dir/apply.body" "$out/full-$attempt")
    answers+=("$status")
    [[ $status == 303 ]] && stored=$((stored + 1))
    [[ $status == 503 ]] && is_page "$out/full-$attempt" && pages=$((pages + 1))
  done

  # Nearly full: room for the database's journal, not for the 1 MB image, so the upload itself
  # is what fails.
  rm "$shop/var/filler"
  local free_kb kyc_status files
  free_kb=$(df -k --output=avail "$shop/var" | tail -1)
  dd if=/dev/zero of="$shop/var/filler" bs=1k count=$((free_kb - 256)) status=none 2>/dev/null || true
  kyc_status=$(cgi_post "$shop" "/kyc/$token" "$kyc_type" "$dir/kyc.body" "$out/full-kyc")
  files=$(find "$shop/var/uploads" -type f 2>/dev/null | wc -l)
  rm "$shop/var/filler"

  local after
  after=$(sql "$db" "SELECT count(*) FROM cases")
  python3 "$HERE/check_store.py" "$db" --after-id "$seeded" >"$out/full-check.json" || true
  # A post may still fit in space SQLite already holds; it must then be stored whole.
  [[ $pages -ge 1 && $((pages + stored)) == 5 && $((after - before)) == "$stored" ]] \
    && result ok "disk full: 5 application posts answered ${answers[*]} — every 503 a complete HTML page; cases stored: $((after - before)), as many as 303 answers" \
    || result failed "disk full: answers ${answers[*]}, $pages complete 503 pages, $((after - before)) cases stored for $stored × 303 ($(head -c 200 "$out/full-1.stderr"))"
  [[ $kyc_status == 503 && $files == 0 && $(sql "$db" "SELECT state FROM id_checks WHERE token = '$token'") == open ]] \
    && is_page "$out/full-kyc" \
    && result ok "disk nearly full (256 KB left): a 1 MB ID upload answered 503 (a complete page), no file left in var/uploads, the ID request still open" \
    || result failed "disk nearly full: ID upload answered $kyc_status, $files files left in var/uploads ($(head -c 200 "$out/full-kyc.stderr"))"
  [[ $(json "$out/full-check.json" problems) == "[]" ]] \
    && result ok "after the full disk: integrity_check $(json "$out/full-check.json" integrity), 0 half-stored cases" \
    || result failed "after the full disk: $(json "$out/full-check.json" problems)"

  status=$(cgi_post "$shop" /apply "$form" "$dir/apply.body" "$out/freed")
  kyc_status=$(cgi_post "$shop" "/kyc/$token" "$kyc_type" "$dir/kyc.body" "$out/freed-kyc")
  python3 "$HERE/check_store.py" "$db" --after-id "$seeded" >"$out/freed-check.json" || true
  [[ $status == 303 && $kyc_status == 303 && $(json "$out/freed-check.json" problems) == "[]" ]] \
    && result ok "space back: the next application and the ID upload answered 303, integrity_check $(json "$out/freed-check.json" integrity)" \
    || result failed "space back: application $status, ID upload $kyc_status, $(json "$out/freed-check.json" problems)"

  # Read-only file system.
  before=$(sql "$db" "SELECT count(*) FROM cases")
  mount -o remount,ro "$shop/var"
  status=$(cgi_post "$shop" /apply "$form" "$dir/apply.body" "$out/ro-mount")
  mount -o remount,rw "$shop/var"
  after=$(sql "$db" "SELECT count(*) FROM cases")
  [[ $status == 503 && $after == "$before" ]] && is_page "$out/ro-mount" \
    && result ok "var/ mounted read-only: 503, a complete page, nothing stored" \
    || result failed "var/ mounted read-only: answered $status, $((after - before)) cases stored ($(head -c 200 "$out/ro-mount.stderr"))"

  # Read-only database file, for the handler's (unprivileged) user; root would write anyway.
  chown -R nobody:nogroup "$shop"
  chmod 0444 "$db"
  local nobody=(setpriv --reuid=nobody --regid=nogroup --clear-groups)
  before=$(sql "$db" "SELECT count(*) FROM cases")
  status=$(cgi_post "$shop" /apply "$form" "$dir/apply.body" "$out/ro-file" "${nobody[@]}")
  after=$(sql "$db" "SELECT count(*) FROM cases")
  local ro_ok=0
  [[ $status == 503 && $after == "$before" ]] && is_page "$out/ro-file" && ro_ok=1
  chmod 0600 "$db"
  status=$(cgi_post "$shop" /apply "$form" "$dir/apply.body" "$out/rw-file" "${nobody[@]}")
  python3 "$HERE/check_store.py" "$db" --after-id "$seeded" >"$out/final-check.json" || true
  ((ro_ok)) && result ok "database file read-only for the handler's user: 503, a complete page, nothing stored" \
    || result failed "database file read-only: answered $(awk 'NR == 1 {print $2}' "$out/ro-file"), $((after - before)) cases stored ($(head -c 200 "$out/ro-file.stderr"))"
  [[ $status == 303 && $(json "$out/final-check.json" problems) == "[]" ]] \
    && result ok "write access back: the next post answered 303; integrity_check $(json "$out/final-check.json" integrity), $(json "$out/final-check.json" cases) cases, 0 half-stored" \
    || result failed "write access back: answered $status, $(json "$out/final-check.json" problems)"
  umount "$shop/var"
  MOUNTED=()
}

# 4. libFuzzer targets.
test_fuzz() {
  local dir="$WORK/fuzz" name seeds
  mkdir -p "$dir"
  emit "" "## Fuzzing" "" \
    "Each libFuzzer target built by its fuzz/NAME/build.sh (AddressSanitizer) and run for ${RELIABILITY_FUZZ_SECONDS} s" \
    "(\`RELIABILITY_FUZZ_SECONDS\`) from its seed corpus; a crash, a failed check or a leak stops the target." "" \
    "| target | what it checks | executions | corpus | crashes |" "|---|---|---:|---:|---:|"
  declare -A what=(
    [urlencoded]="urlencoded form and media type parsers: limits, encode/decode round trip"
    [multipart]="streaming multipart parser: limits, same result for every read size"
    [zengin]="Zengin reader and kana converter: decode/encode round trip, accepted characters"
  )
  for name in urlencoded multipart zengin; do
    [[ -x $KAITORI_ROOT/fuzz/$name/build.sh ]] || { result failed "fuzz/$name/build.sh is missing"; continue; }
    log "fuzz: building and running $name for ${RELIABILITY_FUZZ_SECONDS}s"
    if ! "$KAITORI_ROOT/fuzz/$name/build.sh" "$dir/$name-fuzzer" >"$dir/$name-build.log" 2>&1; then
      emit "| $name | ${what[$name]} | build failed | | |"
      result failed "fuzz/$name/build.sh failed: $(grep -m3 error: "$dir/$name-build.log" | tr '\n' ' ')"
      continue
    fi
    mkdir -p "$dir/$name-corpus" "$dir/$name-artifacts"
    # The committed corpus first, each input once (-runs=0): what once found new paths still passes.
    local replay=0
    if [[ -d $KAITORI_ROOT/fuzz/$name/corpus ]]; then
      "$dir/$name-fuzzer" -runs=0 -artifact_prefix="$dir/$name-artifacts/" "$KAITORI_ROOT/fuzz/$name/corpus" \
        >"$dir/$name-replay.log" 2>&1 || replay=$?
      ((replay == 0)) || result failed "fuzz $name: replaying fuzz/$name/corpus failed (exit $replay): $(grep -m1 -E 'ERROR|Fatal|panic' "$dir/$name-replay.log")"
    fi
    seeds=()
    [[ -d $KAITORI_ROOT/fuzz/$name/corpus ]] && seeds+=("$KAITORI_ROOT/fuzz/$name/corpus")
    [[ $name == zengin ]] && seeds+=("$KAITORI_ROOT/Tests/ZenginTests/Golden")
    local rc=0
    "$dir/$name-fuzzer" -max_total_time="$RELIABILITY_FUZZ_SECONDS" -print_final_stats=1 -timeout=10 \
      -artifact_prefix="$dir/$name-artifacts/" "$dir/$name-corpus" "${seeds[@]}" >"$dir/$name.log" 2>&1 || rc=$?
    local runs corpus crashes
    runs=$(awk '/^stat::number_of_executed_units:/ {print $2}' "$dir/$name.log")
    corpus=$(find "$dir/$name-corpus" -type f | wc -l)
    crashes=$(find "$dir/$name-artifacts" -type f | wc -l)
    emit "| $name | ${what[$name]} | ${runs:-?} | $corpus | $crashes |"
    if ((rc != 0 || crashes != 0)); then
      result failed "fuzz $name: exit $rc, $crashes artifacts in $dir/$name-artifacts: $(grep -m1 -E 'ERROR|Fatal|panic' "$dir/$name.log")"
    fi
  done
  emit ""
}

# 5. SIGKILL at each write and sync of one post.
test_syscalls() {
  local dir="$WORK/syscalls"
  command -v strace >/dev/null || { emit "" "## Syscall kills" "" "- skipped: strace is not installed (Debian \`strace\`)"; return; }
  log "syscalls: one post killed at each of its writes and syncs (strace --inject)"
  mkdir -p "$dir"
  python3 "$HERE/syscall_kill.py" "$KAITORI_CGI" "$WORK/shop" "$dir/runs" >"$dir/sweep.json" || true
  emit "" "## Syscall kills: one post, SIGKILL at each write and sync" "" \
    "reliability/syscall_kill.py runs kaitori-cgi under \`strace -f --inject=SYSCALL:signal=KILL:when=N\` for every write" \
    "(write, pwrite64, writev) and sync (fsync, fdatasync) the post makes, one run each, from the same store." ""
  result ok "the post's calls: $(python3 -c 'import json, sys; d = json.load(open(sys.argv[1])); print(", ".join(f"{n} × {k}" for k, n in d["syscalls"].items() if n))' "$dir/sweep.json"); $(json "$dir/sweep.json" runs) runs"
  [[ $(json "$dir/sweep.json" problems) == "[]" ]] \
    && result ok "every run: integrity_check ok and the case absent ($(json "$dir/sweep.json" killed_with_nothing_stored) runs) or whole ($(json "$dir/sweep.json" killed_with_case_whole_no_answer) runs killed after the commit, before the answer); the untouched post synced the write-ahead log before writing its 303" \
    || result failed "syscall kills: $(json "$dir/sweep.json" problems)"
}

# 6. ENOSPC on a small ext4 file system, in 4 KB steps.
test_enospc() {
  local dir="$WORK/enospc"
  log "enospc: one post on an ext4 loop image with 0, 4, 8 ... KB free"
  mkdir -p "$dir"
  python3 "$HERE/enospc.py" "$KAITORI_CGI" "$WORK/shop" "$dir/work" >"$dir/sweep.json" || true
  emit "" "## Full disk in 4 KB steps (ext4)" ""
  if python3 -c 'import json, sys; sys.exit(0 if "skipped" in json.load(open(sys.argv[1])) else 1)' "$dir/sweep.json"; then
    emit "- skipped: $(json "$dir/sweep.json" skipped)"
    return
  fi
  emit "reliability/enospc.py: var/ on a fresh 8 MB ext4 image (mkfs.ext4 -m 0) per step, filled with fallocate to leave the step's free space." ""
  result ok "$(json "$dir/sweep.json" steps) steps from 0 to $(json "$dir/sweep.json" max_kb) KB free: answers $(json "$dir/sweep.json" answers)"
  [[ $(json "$dir/sweep.json" problems) == "[]" ]] \
    && result ok "every step a 303 with the case whole or a 503 page with nothing stored; integrity_check ok after each" \
    || result failed "ENOSPC steps: $(json "$dir/sweep.json" problems)"
}

# 7. Two hosts on one PostgreSQL store (reliability/two-hosts.sh appends its own section).
test_hosts() {
  log "hosts: two web hosts on one PostgreSQL store through pgbouncer"
  local rc=0
  KAITORI="$KAITORI" KAITORI_CGI="$KAITORI_CGI" HOSTS_POSTS="$RELIABILITY_POSTS" HOSTS_CLIENTS="$RELIABILITY_CLIENTS" \
    HOSTS_SEED="$RELIABILITY_SEED" HOSTS_WORK="$WORK/hosts" "$HERE/two-hosts.sh" "$FIGURES" >/dev/null || rc=$?
  ((rc == 0)) || result failed "two hosts: reliability/two-hosts.sh exited $rc (see $WORK/hosts)"
}

# 8. A power cut after each write and sync of one post, replayed from its trace.
test_powercut() {
  local dir="$WORK/powercut"
  command -v strace >/dev/null || { emit "" "## Power cut" "" "- skipped: strace is not installed (Debian \`strace\`)"; return; }
  log "powercut: one post traced, the disk rebuilt as a lost page cache leaves it after each call"
  mkdir -p "$dir"
  RELIABILITY_SEED=$RELIABILITY_SEED python3 "$HERE/powercut.py" "$KAITORI_CGI" "$WORK/shop" "$dir/work" >"$dir/sweep.json" || true
  emit "" "## Power cut: one post, the page cache lost after each call" "" \
    "reliability/powercut.py traces one post (\`strace -f -y -xx\`: every byte written, every sync) and rebuilds var/ as a" \
    "power cut after each call would leave it: synced writes kept, the others lost (and, in 3 more states per cut, a random" \
    "subset of them kept), the -shm index gone; then sqlite3 recovers it and check_store.py checks it." ""
  result ok "the post's calls: $(python3 -c 'import json, sys; d = json.load(open(sys.argv[1])); print(", ".join(f"{n} × {k}" for k, n in d["calls"].items()))' "$dir/sweep.json"); the 303 written after call $(json "$dir/sweep.json" answered_after_call); $(json "$dir/sweep.json" states) disk states"
  [[ $(json "$dir/sweep.json" problems) == "[]" ]] \
    && result ok "every state: integrity_check ok, the case absent ($(json "$dir/sweep.json" states_without_case)) or whole ($(json "$dir/sweep.json" states_with_case)); every cut after the 303 has the case" \
    || result failed "power cut: $(json "$dir/sweep.json" problems)"
}

install_deps
build_kaitori
build_static_cgi
build_fcgi
# The handler as deploy/README.md installs it (a static executable), copied where nobody, whom
# lighttpd drops to before running it, can execute it.
mkdir -p "$WORK/bin"
cp "$KAITORI_CGI_STATIC" "$WORK/bin/kaitori-cgi"
KAITORI_CGI="$WORK/bin/kaitori-cgi"
cp "$KAITORI_FCGI" "$WORK/bin/kaitori-fcgi"
KAITORI_FCGI="$WORK/bin/kaitori-fcgi"
log "work folder: $WORK"
new_shop "$WORK/shop"

: >"$FIGURES"
emit "# Reliability figures" "" \
  "Written by \`reliability/run.sh\` on $(date -u '+%Y-%m-%d %H:%M UTC') at $(git -C "$KAITORI_ROOT" rev-parse --short HEAD 2>/dev/null || echo 'an uncommitted tree'):" \
  "$(machine_description)." "" \
  "Settings: RELIABILITY_ONLY=\"$RELIABILITY_ONLY\" RELIABILITY_POSTS=$RELIABILITY_POSTS RELIABILITY_CLIENTS=$RELIABILITY_CLIENTS RELIABILITY_KILLS=$RELIABILITY_KILLS RELIABILITY_PARALLEL=$RELIABILITY_PARALLEL RELIABILITY_TMPFS_MB=$RELIABILITY_TMPFS_MB RELIABILITY_FUZZ_SECONDS=$RELIABILITY_FUZZ_SECONDS RELIABILITY_SEED=$RELIABILITY_SEED."
for section in $RELIABILITY_ONLY; do
  case $section in
    load | kills | disk | fuzz | syscalls | enospc | hosts | powercut) "test_$section" ;;
    *) die "RELIABILITY_ONLY: unknown section \"$section\" (load kills disk fuzz syscalls enospc hosts powercut)" ;;
  esac
done
emit "Result: $( ((FAILURES == 0)) && echo "every check passed" || echo "**$FAILURES checks failed**")."
log "figures: $FIGURES"
cat "$FIGURES"
((FAILURES == 0))
