# Shared by bench/run.sh and reliability/run.sh (sourced, not run): building the binaries, making
# a shop to measure, the CGI environment of a post, running lighttpd, timing, and the figures file.
#
# Environment:
#   KAITORI_BENCH_BUILD  where the release builds go (default /tmp/kaitori-bench-build): stdlib/ for
#                        --static-swift-stdlib, static/ for scripts/build-handler.sh, the same folders as
#                        bench/handler/run.sh, so the benchmarks and the suite share one build and a
#                        second command only relinks
#   KAITORI_BIN_DIR      use kaitori, kaitori-cgi and kaitori-cgi-static (the scripts/build-handler.sh
#                        build) already built there instead of building
#   KAITORI_SKIP_DEPS    set to 1 to skip scripts/install-deps.sh --test

KAITORI_ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
BENCH_LIB="$KAITORI_ROOT/bench/lib"

log() {
  printf '[%s] %s\n' "$(date +%H:%M:%S)" "$*" >&2
}

die() {
  printf '%s: %s\n' "$(basename "$0")" "$*" >&2
  exit 1
}

install_deps() {
  [[ ${KAITORI_SKIP_DEPS:-0} == 1 ]] || "$KAITORI_ROOT/scripts/install-deps.sh" --test
}

# swift_build SCRATCH PRODUCT FLAGS...: one release build, its log kept in SCRATCH.
swift_build() {
  local scratch=$1 product=$2
  shift 2
  mkdir -p "$scratch"
  if ! (cd "$KAITORI_ROOT" && swift build -c release --scratch-path "$scratch" --product "$product" "$@" \
    >"$scratch/bench-build-$product.log" 2>&1); then
    grep -E 'error:' "$scratch/bench-build-$product.log" | head -20 >&2 || tail -20 "$scratch/bench-build-$product.log" >&2
    die "swift build --product $product $* failed (log: $scratch/bench-build-$product.log)"
  fi
  (cd "$KAITORI_ROOT" && swift build -c release --scratch-path "$scratch" "$@" --show-bin-path)
}

# Sets KAITORI and KAITORI_CGI: release binaries with the Swift runtime linked in, as shops deploy
# them (a CGI handler must not pay for loading the runtime's shared libraries on every request).
build_kaitori() {
  if [[ -n ${KAITORI_BIN_DIR:-} ]]; then
    KAITORI="$KAITORI_BIN_DIR/kaitori"
    KAITORI_CGI="$KAITORI_BIN_DIR/kaitori-cgi"
  else
    local scratch=${KAITORI_BENCH_BUILD:-/tmp/kaitori-bench-build}/stdlib bin
    log "building kaitori and kaitori-cgi (release, --static-swift-stdlib) in $scratch"
    swift_build "$scratch" kaitori-cgi --static-swift-stdlib >/dev/null
    bin=$(swift_build "$scratch" kaitori --static-swift-stdlib)
    KAITORI="$bin/kaitori"
    KAITORI_CGI="$bin/kaitori-cgi"
  fi
  [[ -x $KAITORI && -x $KAITORI_CGI ]] || die "kaitori or kaitori-cgi was not built (see the errors above)"
}

# Sets KAITORI_CGI_STATIC: kaitori-cgi as deploy/README.md builds it (scripts/build-handler.sh: a
# fully static executable, which spares every request the dynamic loader, its hot code packed).
build_static_cgi() {
  if [[ -n ${KAITORI_BIN_DIR:-} ]]; then
    KAITORI_CGI_STATIC="$KAITORI_BIN_DIR/kaitori-cgi-static"
  else
    local scratch=${KAITORI_BENCH_BUILD:-/tmp/kaitori-bench-build}/static
    log "building kaitori-cgi (scripts/build-handler.sh) in $scratch"
    mkdir -p "$scratch"
    KAITORI_CGI_STATIC=$("$KAITORI_ROOT/scripts/build-handler.sh" --scratch-path "$scratch" 2>"$scratch/bench-build-static.log") \
      || { tail -20 "$scratch/bench-build-static.log" >&2; die "scripts/build-handler.sh failed (log: $scratch/bench-build-static.log)"; }
  fi
  [[ -x $KAITORI_CGI_STATIC ]] || die "$KAITORI_CGI_STATIC was not built"
}

# Sets KAITORI_FCGI: kaitori-fcgi as deploy/README.md builds it (--static-swift-stdlib).
build_fcgi() {
  if [[ -n ${KAITORI_BIN_DIR:-} ]]; then
    KAITORI_FCGI="$KAITORI_BIN_DIR/kaitori-fcgi"
  else
    local scratch=${KAITORI_BENCH_BUILD:-/tmp/kaitori-bench-build}/stdlib
    log "building kaitori-fcgi (release, --static-swift-stdlib) in $scratch"
    KAITORI_FCGI="$(swift_build "$scratch" kaitori-fcgi --static-swift-stdlib)/kaitori-fcgi"
  fi
  [[ -x $KAITORI_FCGI ]] || die "$KAITORI_FCGI was not built"
}

# The request driver (bench/tools/cgi-time.c), built into $1.
build_cgi_time() {
  gcc -O2 -Wall -o "$1/cgi-time" "$KAITORI_ROOT/bench/tools/cgi-time.c"
  CGI_TIME="$1/cgi-time"
}

# new_shop DIR: the sample shop (the repository root), initialized and built, with its database
# created by the build.
new_shop() {
  "$KAITORI" init "$1" --sample "$KAITORI_ROOT" >/dev/null
  "$KAITORI" build --site "$1" >/dev/null
  [[ -f $1/var/site.json ]] || die "kaitori build did not publish $1/var/site.json"
  # The store is created by the first process that opens it; creating it here keeps every run
  # measuring a post, not a schema migration.
  "$KAITORI" case list --site "$1" >/dev/null
  [[ -f $1/var/kaitori.sqlite3 ]] || die "no database in $1/var after kaitori case list"
}

# cgi_env FILE SITE SCRIPT_NAME PATH_INFO CONTENT_TYPE BODY_FILE [NAME=VALUE...]: the environment a
# web server gives a CGI program for a POST (RFC 3875), written as NAME=VALUE lines.
cgi_env() {
  local file=$1 site=$2 script=$3 path_info=$4 type=$5 body=$6
  shift 6
  {
    echo "GATEWAY_INTERFACE=CGI/1.1"
    echo "SERVER_PROTOCOL=HTTP/1.1"
    echo "SERVER_SOFTWARE=kaitori-bench"
    echo "SERVER_NAME=127.0.0.1"
    echo "SERVER_PORT=8080"
    echo "REMOTE_ADDR=127.0.0.1"
    echo "REQUEST_METHOD=POST"
    echo "SCRIPT_NAME=$script"
    echo "PATH_INFO=$path_info"
    echo "REQUEST_URI=$script$path_info"
    echo "QUERY_STRING="
    echo "CONTENT_TYPE=$type"
    echo "CONTENT_LENGTH=$(stat -c %s "$body")"
    echo "HTTP_HOST=127.0.0.1:8080"
    echo "PATH=/usr/local/bin:/usr/bin:/bin"
    echo "KAITORI_SITE=$site"
    local pair
    for pair in "$@"; do echo "$pair"; done
  } >"$file"
}

# sql DB STATEMENT: one value from the shop database.
sql() {
  sqlite3 -batch -noheader "$1" "PRAGMA busy_timeout=10000; $2" | tail -1
}

# seed DB SQL_FILE COUNT FIRST: runs one of bench/sql/*.sql with its parameters.
seed() {
  sqlite3 -batch "$1" -cmd ".parameter set @count $3" -cmd ".parameter set @first $4" \
    -cmd ".parameter set @now $(date +%s)" <"$2" >/dev/null
}

# Milliseconds since the epoch, from bash's own clock (no process started to read it).
now_ms() {
  local t=${EPOCHREALTIME/./}
  echo $((t / 1000))
}

# free_port: a TCP port nothing listens on.
free_port() {
  python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'
}

# start_lighttpd CONF RUN_DIR PORT: runs lighttpd in the foreground in the background and waits
# until it answers; LIGHTTPD_PID is its process id.
start_lighttpd() {
  lighttpd -tt -f "$1" >/dev/null || die "lighttpd refuses $1"
  lighttpd -D -f "$1" 2>>"$2/lighttpd-stderr.log" &
  LIGHTTPD_PID=$!
  local i
  for i in $(seq 100); do
    if curl -s -o /dev/null "http://127.0.0.1:$3/"; then return 0; fi
    kill -0 "$LIGHTTPD_PID" 2>/dev/null || die "lighttpd exited; see $2"
    sleep 0.1
  done
  die "lighttpd did not answer on port $3"
}

stop_lighttpd() {
  if [[ -n ${LIGHTTPD_PID:-} ]]; then
    kill "$LIGHTTPD_PID" 2>/dev/null || true
    wait "$LIGHTTPD_PID" 2>/dev/null || true
    LIGHTTPD_PID=
  fi
}

# machine_description: one markdown line naming the machine and the tools measured.
machine_description() {
  local cpu
  cpu=$(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ *//')
  printf '%s cores (%s), %s MB RAM, Linux %s; %s; SQLite %s' \
    "$(nproc)" "$cpu" "$(free -m | awk '/Mem:/ {print $2}')" "$(uname -r)" \
    "$(swift --version 2>/dev/null | head -1 | sed 's/ (swift.*//')" "$(sqlite3 --version | cut -d' ' -f1)"
}
