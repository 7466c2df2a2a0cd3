#!/usr/bin/env bash
# Starts a throwaway pgbouncer (transaction pooling, Unix socket only) in front of a PostgreSQL
# server, as docs/scaling.md sets it up for several web hosts, and prints the socket folder:
#
#   scripts/pgbouncer-test.sh start DIR PG_SOCKET_DIR PG_PORT DATABASE USER PASSWORD_FILE [OWNER]
#   scripts/pgbouncer-test.sh stop DIR
#
# DIR holds pgbouncer.ini, the user list, the log, the pid file and the socket (.s.PGSQL.6432).
# Clients connect with host=DIR port=6432 and the server's database and user name, without a
# password: the socket's folder is mode 0700, so only OWNER (the web server's user, who runs the
# handlers) and root reach it, as only they can open a SQLite store's file (auth_type trust on a
# socket nobody else can open; docs/scaling.md). pgbouncer itself logs in to PostgreSQL with SCRAM
# and the password from PASSWORD_FILE (its user list, mode 0600 in DIR), once per pooled server
# connection rather than once per request. OWNER [nobody]: the user pgbouncer runs as (it refuses
# root).
set -euo pipefail

POOL_PORT=6432

start() {
  local dir=$1 pg_socket=$2 pg_port=$3 database=$4 user=$5 password_file=$6 owner=${7:-nobody}
  command -v pgbouncer >/dev/null || { echo "pgbouncer is not installed (Debian: apt-get install pgbouncer)" >&2; exit 1; }
  mkdir -p "$dir"
  local password
  password=$(head -n 1 "$password_file")
  # The user list: "user" "password", the password pgbouncer logs in to the server with (SCRAM).
  printf '"%s" "%s"\n' "$user" "${password//\"/\"\"}" >"$dir/userlist.txt"
  cat >"$dir/pgbouncer.ini" <<EOF
[databases]
$database = host=$pg_socket port=$pg_port dbname=$database

[pgbouncer]
; Only the Unix socket: the web hosts on this machine reach it without TCP.
listen_addr =
listen_port = $POOL_PORT
unix_socket_dir = $dir
unix_socket_mode = 0700
; Who may connect is decided by the socket folder's mode (0700, OWNER's): no password per request.
auth_type = trust
auth_file = $dir/userlist.txt
; A server connection goes back to the pool at the end of each transaction: one CGI process per
; request holds none between its transactions, and many handlers share a few server logins.
pool_mode = transaction
default_pool_size = 20
max_client_conn = 400
; libpq sends these at start-up; pgbouncer must not refuse the connection over them.
ignore_startup_parameters = extra_float_digits, options
server_reset_query =
logfile = $dir/pgbouncer.log
pidfile = $dir/pgbouncer.pid
EOF
  chown -R "$owner" "$dir"
  chmod 0700 "$dir"
  chmod 0600 "$dir/userlist.txt"
  setpriv --reuid="$owner" --regid="$(id -gn "$owner")" --clear-groups pgbouncer -d "$dir/pgbouncer.ini" >/dev/null
  local i
  for i in $(seq 100); do
    [[ -S $dir/.s.PGSQL.$POOL_PORT ]] && { echo "$dir"; return 0; }
    sleep 0.05
  done
  echo "pgbouncer did not open $dir/.s.PGSQL.$POOL_PORT; see $dir/pgbouncer.log" >&2
  exit 1
}

stop() {
  local dir=$1 pid
  [[ -f $dir/pgbouncer.pid ]] || return 0
  pid=$(cat "$dir/pgbouncer.pid")
  kill "$pid" 2>/dev/null || return 0
  local i
  for i in $(seq 100); do
    kill -0 "$pid" 2>/dev/null || return 0
    sleep 0.05
  done
}

case ${1:-} in
  start) shift; start "$@" ;;
  stop) shift; stop "$@" ;;
  *) echo "usage: $0 start DIR PG_SOCKET_DIR PG_PORT DATABASE USER PASSWORD_FILE [OWNER] | stop DIR" >&2; exit 2 ;;
esac
