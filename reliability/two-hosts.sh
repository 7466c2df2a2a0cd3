#!/usr/bin/env bash
# Two web hosts on one PostgreSQL store through pgbouncer (docs/scaling.md), checked by
# reliability/two_hosts.py:
#
#   reliability/two-hosts.sh [FIGURES.md]   (appends its section; default: print it only)
#
# A throwaway PostgreSQL (scripts/pg-test-server.sh, fsync on), pgbouncer in transaction
# pooling mode in front of it (scripts/pgbouncer-test.sh), two shop folders made with `kaitori
# init` (each its own var/ and public/, both `store:` → pgbouncer and `site.case_pages: handler`),
# two lighttpd (deploy/lighttpd/lighttpd.conf.in) on two loopback ports, then:
# HOSTS_POSTS [1000] applications from HOSTS_CLIENTS [32] clients split across both hosts, an
# application on host A read on host B, and HOSTS_KILLS [100] posts SIGKILLed at random moments.
#
# Needs root (PostgreSQL runs as its own user, pgbouncer and lighttpd as `nobody`). Binaries: $KAITORI and
# $KAITORI_CGI when set, else as bench/lib/common.sh builds them (KAITORI_BIN_DIR to use a build).
# HOSTS_WORK [a new /tmp/kaitori-hosts.XXXXXX], HOSTS_SEED [random].
set -euo pipefail
source "$(dirname "$0")/../bench/lib/common.sh"
source "$BENCH_LIB/pg.sh"
HERE="$KAITORI_ROOT/reliability"

HOSTS_POSTS=${HOSTS_POSTS:-1000}
HOSTS_CLIENTS=${HOSTS_CLIENTS:-32}
HOSTS_KILLS=${HOSTS_KILLS:-100}
HOSTS_SEED=${HOSTS_SEED:-$RANDOM}
WORK=${HOSTS_WORK:-$(mktemp -d /tmp/kaitori-hosts.XXXXXX)}
FIGURES=${1:-}
[[ $(id -u) == 0 ]] || die "run as root: PostgreSQL, pgbouncer and lighttpd run as nobody"
for tool in pgbouncer psql lighttpd setpriv; do
  command -v "$tool" >/dev/null || [[ -x /usr/sbin/$tool ]] || die "$tool is missing: run scripts/install-deps.sh --test"
done
PATH=$PATH:/usr/sbin

mkdir -p "$WORK"
chmod 0755 "$WORK"
PIDS=()
cleanup() {
  local pid
  for pid in "${PIDS[@]}"; do
    kill "$pid" 2>/dev/null || true
    wait "$pid" 2>/dev/null || true
  done
  stop_pg_stack
}
trap cleanup EXIT

if [[ -z ${KAITORI:-} || -z ${KAITORI_CGI:-} ]]; then
  install_deps
  build_kaitori
fi
[[ -x $KAITORI && -x $KAITORI_CGI ]] || die "kaitori or kaitori-cgi is missing"
# Where nobody (lighttpd's handlers) can run it.
mkdir -p "$WORK/bin"
cp "$KAITORI_CGI" "$WORK/bin/kaitori-cgi"
KAITORI_CGI="$WORK/bin/kaitori-cgi"

# 1. PostgreSQL and pgbouncer (bench/lib/pg.sh); the handlers run as nobody, who owns the socket.
log "hosts: PostgreSQL and pgbouncer in $WORK/pg"
start_pg_stack "$WORK/pg" nobody

# 3. Two shop folders, two lighttpd.
URLS=() SITES=()
for host in a b; do
  shop="$WORK/host-$host/shop"
  mkdir -p "$WORK/host-$host/run"
  "$KAITORI" init "$shop" --sample "$KAITORI_ROOT" >/dev/null
  store_settings >>"$shop/shop.yml"
  sed -i 's/^site:$/site:\n  case_pages: handler/' "$shop/shop.yml"
  "$KAITORI" build --site "$shop" >"$WORK/host-$host/build.log" 2>&1 || die "kaitori build ($host) failed: $WORK/host-$host/build.log"
  chown -R nobody:nogroup "$WORK/host-$host"
  port=$(free_port)
  "$KAITORI_ROOT/deploy/render.sh" "$KAITORI_ROOT/deploy/lighttpd/lighttpd.conf.in" SITE_DIR="$shop" \
    BIN="$KAITORI_CGI" STAFF_BIN="$WORK/bin/kaitori-staff" PORT="$port" LISTEN=127.0.0.1 USER=nobody GROUP=nogroup \
    RUN_DIR="$WORK/host-$host/run" >"$WORK/host-$host/lighttpd.conf"
  # The customer pages from the handler (deploy/README.md, "Several web hosts").
  "$KAITORI_ROOT/deploy/render.sh" "$KAITORI_ROOT/deploy/lighttpd/kaitori-case-pages.conf.in" \
    >"$WORK/host-$host/kaitori-case-pages.conf"
  echo 'include "kaitori-case-pages.conf"' >>"$WORK/host-$host/lighttpd.conf"
  start_lighttpd "$WORK/host-$host/lighttpd.conf" "$WORK/host-$host/run" "$port"
  PIDS+=("$LIGHTTPD_PID")
  LIGHTTPD_PID=
  URLS+=("http://127.0.0.1:$port/cgi-bin/kaitori/apply")
  SITES+=("$shop")
done

# 4. The checks.
log "hosts: $HOSTS_POSTS applications from $HOSTS_CLIENTS clients across two hosts, then $HOSTS_KILLS killed posts"
SECTION="$WORK/section.md"
{
  echo ""
  echo "## Two hosts, one PostgreSQL store through pgbouncer"
  echo ""
  echo "Two lighttpd $(lighttpd -v | cut -d' ' -f1 | cut -d/ -f2) (deploy/lighttpd/lighttpd.conf.in, as nobody) on two loopback ports, each"
  echo "with its own shop folder (\`kaitori init\`, \`site.case_pages: handler\`), kaitori-cgi as CGI, one"
  echo "PostgreSQL $(psql --version | awk '{print $3}') through pgbouncer $(pgbouncer --version | awk 'NR == 1 {print $2}') (transaction pooling, Unix socket);"
  echo "reliability/two_hosts.py, seed $HOSTS_SEED."
  echo ""
} >"$SECTION"
status=0
python3 "$HERE/two_hosts.py" --urls "$(IFS=,; echo "${URLS[*]}")" \
  --sites "$(IFS=,; echo "${SITES[*]}")" --cgi "$KAITORI_CGI" --kaitori "$KAITORI" \
  --db "postgresql:$POOL_CONNINFO" \
  --posts "$HOSTS_POSTS" --clients "$HOSTS_CLIENTS" --kills "$HOSTS_KILLS" --seed "$HOSTS_SEED" >>"$SECTION" || status=$?
cat "$SECTION"
[[ -n $FIGURES ]] && cat "$SECTION" >>"$FIGURES"
exit "$status"
