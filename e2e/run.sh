#!/usr/bin/env bash
# Browser and web-server tests: builds kaitori and kaitori-cgi, makes a throwaway shop with
# `kaitori init` + `kaitori build`, serves it with lighttpd, Apache and nginx + fcgiwrap (the
# rendered deploy/ templates) on free 127.0.0.1 ports under a temp folder, and runs e2e/ with
# pytest against them: the customer's whole flow in headless Chromium, accessibility (axe-core),
# and the same application through each server. Exit status: pytest's.
#
# Environment (all optional):
#   E2E_BIN_DIR=DIR         use kaitori, kaitori-cgi and kaitori-staff from DIR instead of building them
#   E2E_CONFIGURATION=release|debug   what to build (default: debug, which scripts/test.sh has built)
#   E2E_PYTHON=python3      the interpreter with pytest, selenium and axe-core-python
#   E2E_KEEP=1              keep the temp folder (shop, configs, logs; its path is printed first)
#   extra arguments go to pytest (e.g. -k without_javascript)
#
# As root (CI), the servers drop to www-data and the shop belongs to www-data, as in deploy/README.md;
# the CLI runs as www-data too, so the case store is never left with files the handler cannot write.
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
cd "$root"

say() { echo "e2e: $*" >&2; }
fail() { say "$*"; exit 1; }

python=${E2E_PYTHON:-python3}
"$python" -c 'import pytest, selenium, axe_core_python' 2>/dev/null \
  || fail "$python cannot import pytest, selenium and axe_core_python: run scripts/install-deps.sh --test"
for tool in chromium chromedriver lighttpd apache2 nginx fcgiwrap curl setpriv; do
  command -v "$tool" >/dev/null || [[ -x /usr/sbin/$tool ]] \
    || fail "$tool is missing: run scripts/install-deps.sh --test"
done
PATH=$PATH:/usr/sbin

# --- binaries -------------------------------------------------------------------------------
if [[ -n ${E2E_BIN_DIR:-} ]]; then
  built=$E2E_BIN_DIR
else
  configuration=${E2E_CONFIGURATION:-debug}
  say "building kaitori and kaitori-cgi ($configuration)"
  swift build -c "$configuration" --product kaitori >&2
  swift build -c "$configuration" --product kaitori-cgi >&2
  swift build -c "$configuration" --product kaitori-staff >&2
  built=$(swift build -c "$configuration" --show-bin-path)
fi
for name in kaitori kaitori-cgi kaitori-staff; do
  [[ -x $built/$name ]] || fail "$built/$name is missing or not executable"
done

# --- the temp folder and who runs what --------------------------------------------------------
work=$(mktemp -d /tmp/kaitori-e2e.XXXXXX)
chmod 755 "$work"
pids=()
cleanup() {
  local status=$?
  # Each server was started as the leader of its own process group: this stops its children too
  # (fcgiwrap's preforked workers outlive their parent otherwise).
  for pid in "${pids[@]}"; do
    kill -- "-$pid" 2>/dev/null || kill "$pid" 2>/dev/null || true
  done
  for pid in "${pids[@]}"; do
    wait "$pid" 2>/dev/null || true
  done
  mkdir -p "$root/e2e/artifacts/logs"
  cp "$work"/run/*/*.log "$root/e2e/artifacts/logs/" 2>/dev/null || true
  [[ -n ${E2E_KEEP:-} ]] || rm -rf "$work"
  exit "$status"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

if ((EUID == 0)); then
  run_user=www-data
  run_group=$(id -gn www-data)
  as_user=(setpriv --reuid="$run_user" --regid="$run_group" --init-groups --)
else
  run_user=$(id -un)
  run_group=$(id -gn)
  as_user=()
fi

# The servers run kaitori-cgi as $run_user: it gets its own copy, wherever the checkout lives.
mkdir -p "$work/bin"
cp "$built/kaitori" "$built/kaitori-cgi" "$built/kaitori-staff" "$work/bin/"
chmod 755 "$work/bin"/*
cgi="$work/bin/kaitori-cgi"
staff="$work/bin/kaitori-staff"
kaitori="$work/bin/kaitori"

free_port() {
  "$python" -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'
}
lighttpd_port=$(free_port)
apache_port=$(free_port)
nginx_port=$(free_port)

# --- the shop ---------------------------------------------------------------------------------
site="$work/shop"
# Initialised by whoever runs the tests (as an admin would), then handed to the handler's user.
"$kaitori" init "$site" --sample "$root" >/dev/null
# Links in messages and `case show --json` must lead to the server the browser uses, and mail
# goes to a stand-in for the MTA that keeps each message as a file.
mkdir -p "$work/mail"
printf '#!/bin/sh\nexec cat > "$(mktemp %s/message.XXXXXX)"\n' "$work/mail" > "$work/bin/sendmail-capture"
chmod 755 "$work/bin/sendmail-capture"
sed -i -e "s|^  base_url: .*|  base_url: http://127.0.0.1:$lighttpd_port|" \
  -e "s|^  email_method: .*|  email_method: sendmail|" \
  -e "s|^  sendmail_command: .*|  sendmail_command: $work/bin/sendmail-capture|" "$site/shop.yml"
grep -q "^  base_url: http://127.0.0.1:$lighttpd_port\$" "$site/shop.yml" || fail "could not set site.base_url in $site/shop.yml"
grep -q "^  sendmail_command: $work/bin/sendmail-capture\$" "$site/shop.yml" || fail "could not set delivery.sendmail_command"
chown -R "$run_user:$run_group" "$work"
"${as_user[@]}" "$kaitori" check --site "$site" >&2 || fail "kaitori check failed on the new shop"
"${as_user[@]}" "$kaitori" build --site "$site" >&2 || fail "kaitori build failed on the new shop"

# --- the servers ------------------------------------------------------------------------------
render() { "$root/deploy/render.sh" "$@"; }
for server in lighttpd apache nginx; do
  mkdir -p "$work/run/$server"
done
chown -R "$run_user:$run_group" "$work/run"

render lighttpd/lighttpd.conf.in SITE_DIR="$site" BIN="$cgi" STAFF_BIN="$staff" PORT="$lighttpd_port" LISTEN=127.0.0.1 \
  USER="$run_user" GROUP="$run_group" RUN_DIR="$work/run/lighttpd" > "$work/run/lighttpd/lighttpd.conf"
check_config() {
  local name=$1
  shift
  "$@" >"$work/run/$name/configtest.log" 2>&1 || { cat "$work/run/$name/configtest.log" >&2; fail "$name: the rendered config is refused"; }
}
check_config lighttpd lighttpd -tt -f "$work/run/lighttpd/lighttpd.conf"
setsid lighttpd -D -f "$work/run/lighttpd/lighttpd.conf" >>"$work/run/lighttpd/lighttpd-stderr.log" 2>&1 &
pids+=($!)

render apache/kaitori.conf.in SITE_DIR="$site" BIN="$cgi" STAFF_BIN="$staff" PORT="$apache_port" SERVER_NAME=127.0.0.1 \
  > "$work/run/apache/kaitori.conf"
render apache/httpd.conf.in RUN_DIR="$work/run/apache" PORT="$apache_port" LISTEN=127.0.0.1 \
  SERVER_NAME=127.0.0.1 USER="$run_user" GROUP="$run_group" SITE_CONF="$work/run/apache/kaitori.conf" \
  > "$work/run/apache/httpd.conf"
check_config apache apache2 -t -f "$work/run/apache/httpd.conf"
setsid apache2 -f "$work/run/apache/httpd.conf" -DFOREGROUND >>"$work/run/apache/apache-stderr.log" 2>&1 &
pids+=($!)

fcgi_socket="$work/run/nginx/fcgiwrap.sock"
render nginx/kaitori.conf.in SITE_DIR="$site" BIN="$cgi" STAFF_BIN="$staff" PORT="$nginx_port" LISTEN=127.0.0.1 \
  SERVER_NAME=127.0.0.1 FCGI_SOCKET="$fcgi_socket" > "$work/run/nginx/kaitori.conf"
render nginx/nginx.conf.in RUN_DIR="$work/run/nginx" USER="$run_user" GROUP="$run_group" \
  SITE_CONF="$work/run/nginx/kaitori.conf" > "$work/run/nginx/nginx.conf"
nginx_args=(-p "$work/run/nginx" -e "$work/run/nginx/nginx-error.log" -c "$work/run/nginx/nginx.conf")
check_config nginx nginx -t -q "${nginx_args[@]}"
setsid "${as_user[@]}" fcgiwrap -c 2 -s "unix:$fcgi_socket" -p "$cgi" -p "$staff" >>"$work/run/nginx/fcgiwrap.log" 2>&1 &
pids+=($!)
setsid nginx "${nginx_args[@]}" >>"$work/run/nginx/nginx-stderr.log" 2>&1 &
pids+=($!)

wait_for() {
  local name=$1 port=$2
  for _ in $(seq 100); do
    curl -fsS -o /dev/null "http://127.0.0.1:$port/" 2>/dev/null && return 0
    sleep 0.1
  done
  cat "$work/run/$name"/*.log >&2 || true
  fail "$name did not answer on 127.0.0.1:$port"
}
wait_for lighttpd "$lighttpd_port"
wait_for apache "$apache_port"
wait_for nginx "$nginx_port"
for _ in $(seq 50); do [[ -S $fcgi_socket ]] && break; sleep 0.1; done
[[ -S $fcgi_socket ]] || fail "fcgiwrap did not create $fcgi_socket"

# --- the tests --------------------------------------------------------------------------------
export E2E_SITE="$site"
export E2E_KAITORI="$kaitori"
export E2E_RUN_AS=$( ((EUID == 0)) && echo "$run_user:$run_group" || true)
export E2E_LIGHTTPD_URL="http://127.0.0.1:$lighttpd_port"
export E2E_APACHE_URL="http://127.0.0.1:$apache_port"
export E2E_NGINX_URL="http://127.0.0.1:$nginx_port"
export E2E_LOG_DIR="$work/run"
export E2E_MAIL_DIR="$work/mail"
export E2E_ARTIFACTS="$root/e2e/artifacts"
rm -rf "$E2E_ARTIFACTS"
mkdir -p "$E2E_ARTIFACTS"
say "shop $site; lighttpd :$lighttpd_port, Apache :$apache_port, nginx :$nginx_port; artifacts in e2e/artifacts/"
[[ -z ${E2E_KEEP:-} ]] || say "keeping $work after the tests"

set +e
# Only pytest's own plugins: whatever else the interpreter has installed stays out of these tests.
PYTEST_DISABLE_PLUGIN_AUTOLOAD=1 "$python" -m pytest -c "$root/e2e/pytest.ini" --rootdir "$root/e2e" "$@" "$root/e2e"
status=$?
set -e
exit "$status"
