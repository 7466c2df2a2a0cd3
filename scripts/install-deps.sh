#!/usr/bin/env bash
# Installs the Debian packages (and PyPI packages) Kaitori needs. Idempotent: packages already
# installed are skipped, and apt-get update runs only when something is missing.
#   scripts/install-deps.sh            what building and serving needs
#   scripts/install-deps.sh --test     plus what the test suites need (browsers, web servers, SMTP)
set -euo pipefail

# chromium and fonts-noto-cjk print the estimate and the contract to PDF (`kaitori docs ... --pdf`).
packages=(pkg-config libsqlite3-dev sqlite3 libpq-dev libcmark-dev libsodium-dev libcurl4-openssl-dev libfcgi-dev curl chromium fonts-noto-cjk)
python_packages=()
if [[ "${1:-}" == "--test" ]]; then
  # postgresql and pgbouncer: the PostgreSQL store's tests, two web hosts on one store through
  # pgbouncer (reliability/two-hosts.sh), bench/pg. binutils: readelf and nm for
  # scripts/check-handler-build.sh, gcc for its bench/handler/drive.c; valgrind:
  # bench/handler/callgrind.sh and order.sh.
  packages+=(binutils gcc valgrind chromium chromium-driver chromium-l10n fonts-ipafont-gothic lighttpd apache2 apache2-utils nginx fcgiwrap php-cgi php-fpm php-sqlite3 spawn-fcgi hyperfine wrk hugo openssl psmisc poppler-utils libreoffice-calc-nogui postgresql pgbouncer)
  python_packages+=(aiosmtpd pytest selenium axe-core-python)
fi

missing=()
for p in "${packages[@]}"; do
  dpkg -s "$p" >/dev/null 2>&1 || missing+=("$p")
done
if ((${#missing[@]})); then
  echo "install-deps: installing ${missing[*]}"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  # Web servers must not start (and hold ports) when installed: the tests start their own.
  printf '#!/bin/sh\nexit 101\n' > /usr/sbin/policy-rc.d && chmod +x /usr/sbin/policy-rc.d
  apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
  rm -f /usr/sbin/policy-rc.d
fi

# Python packages go into a virtual environment (.venv, ignored by git): Debian's own Python refuses
# pip installs into the system. scripts/test.sh puts .venv/bin first on PATH.
if ((${#python_packages[@]})); then
  root="$(cd "$(dirname "$0")/.." && pwd)"
  if [[ ! -x "$root/.venv/bin/python3" ]]; then
    if ! python3 -m venv --help >/dev/null 2>&1 || ! python3 -c 'import ensurepip' >/dev/null 2>&1; then
      export DEBIAN_FRONTEND=noninteractive
      apt-get update -qq && apt-get install -y -qq python3-venv python3-pip >/dev/null
    fi
    python3 -m venv "$root/.venv"
  fi
  for p in "${python_packages[@]}"; do
    "$root/.venv/bin/python3" -m pip show "$p" >/dev/null 2>&1 || "$root/.venv/bin/python3" -m pip install -q "$p"
  done
fi
