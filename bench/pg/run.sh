#!/usr/bin/env bash
# The application post on PostgreSQL against SQLite, in the same run (docs/performance.md,
# "Application post on PostgreSQL"):
#
#   bench/pg/run.sh [POSTS] [ROUNDS]    (defaults: 300 posts per store, 3 interleaved rounds)
#
# One kaitori-cgi (release, --static-swift-stdlib), one process per post driven by
# bench/tools/cgi-time.c, against three copies of the sample shop that differ only in `store:`:
#   sqlite     var/kaitori.sqlite3 (WAL, synchronous=FULL), the baseline
#   pgbouncer  PostgreSQL through pgbouncer (transaction pooling, Unix socket, no password per
#              request), as docs/scaling.md deploys several hosts
#   direct     PostgreSQL over TCP with a SCRAM login per post (no pooler)
# PostgreSQL is scripts/pg-test-server.sh with fsync on. Then bench/pg/connect.c: what a bare libpq
# connection costs each way. Prints a markdown section. Needs root (PostgreSQL and pgbouncer run as
# unprivileged users). Building: bench/lib/common.sh (KAITORI_BIN_DIR, KAITORI_BENCH_BUILD).
set -euo pipefail
source "$(dirname "$0")/../lib/common.sh"
source "$BENCH_LIB/pg.sh"

POSTS=${1:-300}
ROUNDS=${2:-3}
WORK=$(mktemp -d /tmp/kaitori-bench-pg.XXXXXX)
[[ $(id -u) == 0 ]] || die "run as root: PostgreSQL and pgbouncer run as unprivileged users"
trap 'stop_pg_stack; rm -rf "$WORK"' EXIT
chmod 0755 "$WORK"

install_deps
build_kaitori
build_cgi_time "$WORK"
gcc -O2 -Wall -o "$WORK/connect" "$KAITORI_ROOT/bench/pg/connect.c" -I/usr/include/postgresql -lpq

# pgbouncer refuses root: it runs as nobody; the handlers here run as root, who reaches its socket.
start_pg_stack "$WORK/pg" nobody
new_shop "$WORK/shop-sqlite"
for side in pgbouncer direct; do
  "$KAITORI" init "$WORK/shop-$side" --sample "$KAITORI_ROOT" >/dev/null
done
store_settings >>"$WORK/shop-pgbouncer/shop.yml"
# direct: the same database, straight to the server over TCP, its password from a file.
cat >>"$WORK/shop-direct/shop.yml" <<EOF

store:
  engine: postgresql
  host: 127.0.0.1
  port: $PG_PORT
  database: kaitori
  user: kaitori
  password_file: $STORE_PASSWORD_FILE
EOF
for side in pgbouncer direct; do
  "$KAITORI" build --site "$WORK/shop-$side" >/dev/null
done

python3 "$BENCH_LIB/forms.py" apply --submission-id "pg-@@@@@@@@" >"$WORK/apply.body"
declare -A first=([sqlite]=0 [pgbouncer]=10000000 [direct]=20000000)
for side in sqlite pgbouncer direct; do
  cgi_env "$WORK/$side.env" "$WORK/shop-$side" /cgi-bin/kaitori /apply application/x-www-form-urlencoded "$WORK/apply.body"
  : >"$WORK/$side.ms"
  : >"$WORK/$side.cpu"
done
per_round=$((POSTS / ROUNDS))
log "pg: $per_round posts × $ROUNDS rounds per store"
for round in $(seq "$ROUNDS"); do
  warmup=0
  ((round == 1)) && warmup=5
  for side in sqlite pgbouncer direct; do
    "$CGI_TIME" -n "$per_round" -w "$warmup" -c "${first[$side]}" -e "$WORK/$side.env" -i "$WORK/apply.body" -s 303 \
      -o "$WORK/$side.ms" -u "$WORK/$side.cpu" -l "$WORK/$side.stderr" -- "$KAITORI_CGI" >/dev/null
    first[$side]=$((${first[$side]} + warmup + per_round))
  done
done

BINARY="kaitori-cgi release \`--static-swift-stdlib\`"
[[ -n ${KAITORI_BIN_DIR:-} ]] && BINARY="kaitori-cgi from $KAITORI_BIN_DIR"
declare -A wall=() p90=() cpu=()
for side in sqlite pgbouncer direct; do
  read -r wall[$side] p90[$side] _ < <(python3 "$BENCH_LIB/stats.py" "$WORK/$side.ms")
  read -r cpu[$side] _ _ < <(python3 "$BENCH_LIB/stats.py" "$WORK/$side.cpu")
done
stored=$(psql -X -A -t -d "$POOL_CONNINFO" -c "SELECT count(*) FROM cases")
sqlite_stored=$(sql "$WORK/shop-sqlite/var/kaitori.sqlite3" "SELECT count(*) FROM cases")
connect=$("$WORK/connect" 200 "$PG_CONNINFO" "$POOL_CONNINFO")
direct_ms=$(echo "$connect" | awk -F'\t' 'NR == 1 {print $2}' | awk '{print $2}')
pool_ms=$(echo "$connect" | awk -F'\t' 'NR == 2 {print $2}' | awk '{print $2}')

cat <<EOF

### Application post on PostgreSQL (bench/pg/run.sh $POSTS $ROUNDS)

$(machine_description); PostgreSQL $(psql --version | awk '{print $3}') (fsync on), pgbouncer $(pgbouncer --version | awk 'NR == 1 {print $2}'),
$BINARY, one process per post (bench/tools/cgi-time.c), $per_round × $ROUNDS
posts per store in interleaved blocks; the same shop, only \`store:\` differs.

| store | median ms | p90 ms | handler CPU ms | ratio to SQLite (wall) |
|---|---:|---:|---:|---:|
| SQLite (var/kaitori.sqlite3, synchronous=FULL) | ${wall[sqlite]} | ${p90[sqlite]} | ${cpu[sqlite]} | 1.00 |
| PostgreSQL through pgbouncer (Unix socket, transaction pooling) | ${wall[pgbouncer]} | ${p90[pgbouncer]} | ${cpu[pgbouncer]} | $(python3 "$BENCH_LIB/stats.py" ratio "${wall[pgbouncer]}" "${wall[sqlite]}") |
| PostgreSQL direct (TCP, SCRAM login per post) | ${wall[direct]} | ${p90[direct]} | ${cpu[direct]} | $(python3 "$BENCH_LIB/stats.py" ratio "${wall[direct]}" "${wall[sqlite]}") |

Handler CPU is the kaitori-cgi process only (PostgreSQL's and pgbouncer's work is not in it).
Cases stored: SQLite $sqlite_stored, PostgreSQL $stored (both stores' posts). A bare libpq connection
and one query (bench/pg/connect.c, 200 each): straight to the server with SCRAM $direct_ms ms, through
pgbouncer's socket $pool_ms ms (median).
EOF
