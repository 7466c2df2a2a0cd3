#!/usr/bin/env bash
# Installs the Debian packages (and PyPI packages) Kaitori needs. Idempotent: packages already
# installed are skipped, and apt-get update runs only when something is missing.
#   scripts/install-deps.sh            what building and serving needs
#   scripts/install-deps.sh --test     plus what the test suites need (browsers, web servers, SMTP)
set -euo pipefail

packages=(pkg-config libsqlite3-dev sqlite3 libcmark-dev libssl3 curl)
python_packages=()
if [[ "${1:-}" == "--test" ]]; then
  packages+=(chromium chromium-driver chromium-l10n fonts-ipafont-gothic lighttpd apache2 nginx fcgiwrap php-cgi php-sqlite3 hyperfine wrk hugo openssl psmisc)
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

if ((${#python_packages[@]})); then
  for p in "${python_packages[@]}"; do
    python3 -m pip show "$p" >/dev/null 2>&1 || python3 -m pip install -q "$p"
  done
fi
