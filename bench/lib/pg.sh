# A throwaway PostgreSQL behind pgbouncer, as docs/scaling.md deploys it, for reliability/two-hosts.sh
# and bench/pg/run.sh (sourced after common.sh, as root):
#
#   start_pg_stack DIR OWNER   PostgreSQL (scripts/pg-test-server.sh, fsync on, as its own user) with
#                              a database `kaitori`, pgbouncer (scripts/pgbouncer-test.sh: transaction
#                              pooling, a Unix socket in DIR/pgbouncer only OWNER reaches) in front.
#                              Sets PG_CONNINFO (straight to PostgreSQL over TCP, SCRAM; PG_PORT),
#                              POOL_CONNINFO (through pgbouncer), STORE_PASSWORD_FILE (OWNER's copy,
#                              mode 0600) and exports PGPASSWORD for psql.
#   stop_pg_stack              stops both and removes the server's folder.
#   store_settings             the `store:` block of shop.yml for the pgbouncer socket.

start_pg_stack() {
  PG_STACK_DIR=$1
  local owner=$2 port
  mkdir -p "$PG_STACK_DIR"
  port=$(free_port)
  PG_PORT=$port
  # fsync on: the figures and the kill test are about a store that keeps what it acknowledged.
  eval "$(KAITORI_TEST_POSTGRES_PORT=$port KAITORI_TEST_POSTGRES_FSYNC=on \
    "$KAITORI_ROOT/scripts/pg-test-server.sh" start "$PG_STACK_DIR/server")"
  export PGPASSWORD=$KAITORI_TEST_POSTGRES_PASSWORD
  PG_CONNINFO="host=127.0.0.1 port=$port dbname=kaitori user=kaitori"
  psql -X -q -d "host=127.0.0.1 port=$port dbname=postgres user=kaitori" -c "CREATE DATABASE kaitori" \
    || die "CREATE DATABASE kaitori failed"
  STORE_PASSWORD_FILE=$PG_STACK_DIR/store-password
  printf '%s\n' "$PGPASSWORD" >"$STORE_PASSWORD_FILE"
  chown "$owner" "$STORE_PASSWORD_FILE"
  chmod 0600 "$STORE_PASSWORD_FILE"
  "$KAITORI_ROOT/scripts/pgbouncer-test.sh" start "$PG_STACK_DIR/pgbouncer" 127.0.0.1 "$port" kaitori kaitori \
    "$STORE_PASSWORD_FILE" "$owner" >/dev/null || die "pgbouncer did not start (see $PG_STACK_DIR/pgbouncer)"
  POOL_CONNINFO="host=$PG_STACK_DIR/pgbouncer port=6432 dbname=kaitori user=kaitori"
}

stop_pg_stack() {
  [[ -n ${PG_STACK_DIR:-} ]] || return 0
  "$KAITORI_ROOT/scripts/pgbouncer-test.sh" stop "$PG_STACK_DIR/pgbouncer" || true
  "$KAITORI_ROOT/scripts/pg-test-server.sh" stop "$PG_STACK_DIR/server" || true
  PG_STACK_DIR=
}

store_settings() {
  cat <<EOF

store:
  engine: postgresql
  socket: $PG_STACK_DIR/pgbouncer
  port: 6432
  database: kaitori
  user: kaitori
EOF
}
