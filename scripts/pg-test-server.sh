#!/usr/bin/env bash
# A throw-away PostgreSQL server for the tests (Debian `postgresql`).
#   scripts/pg-test-server.sh start [DIR]   initdb in DIR (default: a new temporary folder), start the
#                                           server on a Unix socket in DIR and on 127.0.0.1:PORT, and
#                                           print the variables the tests read (eval "$(... start)"):
#                                           KAITORI_TEST_POSTGRES (libpq keywords, no password),
#                                           KAITORI_TEST_POSTGRES_PASSWORD, KAITORI_TEST_POSTGRES_DIR.
#   scripts/pg-test-server.sh stop DIR      stop the server and delete DIR.
# PostgreSQL will not run as root: as root, the server runs as the unprivileged system user
# `kaitoripg` (created when missing), and DIR is owned by it. PORT: $KAITORI_TEST_POSTGRES_PORT or 54329.
# fsync: $KAITORI_TEST_POSTGRES_FSYNC or off (benchmarks and crash tests set on).
set -euo pipefail
bin=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -1)
[[ -x "$bin/initdb" ]] || { echo "pg-test-server: PostgreSQL is not installed (apt-get install postgresql)" >&2; exit 1; }

as_owner() {
  if [[ $(id -u) == 0 ]]; then runuser -u kaitoripg -- "$@"; else "$@"; fi
}

case "${1:-}" in
start)
  if [[ $(id -u) == 0 ]] && ! id kaitoripg >/dev/null 2>&1; then
    useradd --system --no-create-home --shell /usr/sbin/nologin kaitoripg
  fi
  dir=${2:-$(mktemp -d /tmp/kaitori-pg.XXXXXX)}
  mkdir -p "$dir"
  port=${KAITORI_TEST_POSTGRES_PORT:-54329}
  password=$(head -c 18 /dev/urandom | base64 | tr -d '/+=')
  [[ $(id -u) == 0 ]] && chown kaitoripg "$dir"
  chmod 700 "$dir"
  printf '%s\n' "$password" > "$dir/pwfile"
  [[ $(id -u) == 0 ]] && chown kaitoripg "$dir/pwfile"
  # Local socket: trust (only the owner can enter DIR); TCP: password (scram-sha-256).
  as_owner "$bin/initdb" -D "$dir/data" -U kaitori --pwfile="$dir/pwfile" -E UTF8 --locale=C.UTF-8 \
    --auth-local=trust --auth-host=scram-sha-256 >"$dir/initdb.log"
  rm -f "$dir/pwfile"
  as_owner "$bin/pg_ctl" -D "$dir/data" -l "$dir/server.log" -w -t 60 \
    -o "-c listen_addresses=127.0.0.1 -p $port -k $dir -c fsync=${KAITORI_TEST_POSTGRES_FSYNC:-off} -c max_connections=200" start >/dev/null
  echo "export KAITORI_TEST_POSTGRES='host=127.0.0.1 port=$port dbname=postgres user=kaitori'"
  echo "export KAITORI_TEST_POSTGRES_PASSWORD='$password'"
  echo "export KAITORI_TEST_POSTGRES_DIR='$dir'"
  ;;
stop)
  dir=${2:?usage: pg-test-server.sh stop DIR}
  [[ -d "$dir/data" ]] && as_owner "$bin/pg_ctl" -D "$dir/data" -m fast -w stop >/dev/null || true
  rm -rf "$dir"
  ;;
*)
  echo "usage: $0 start [DIR] | stop DIR" >&2; exit 2 ;;
esac
