#!/usr/bin/env bash
# Every test: unit and process-level tests (swift test), then the browser and web-server tests.
# Installs what it needs first (idempotent).
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/install-deps.sh --test
# The Python test helpers (SMTP server, browser tests) use the packages installed into .venv.
export PATH="$PWD/.venv/bin:$PATH"
swift build --build-tests
# The store suites also run on PostgreSQL: a throw-away server (initdb in a temporary folder, as an
# unprivileged user), stopped and deleted on exit. REQUIRED: a server that did not start fails the
# tests instead of skipping them.
eval "$(scripts/pg-test-server.sh start)"
trap 'scripts/pg-test-server.sh stop "$KAITORI_TEST_POSTGRES_DIR"' EXIT
export KAITORI_TEST_POSTGRES_REQUIRED=1
swift test --skip-build 2>&1 | tee /tmp/kaitori-swift-test.log
if [[ -x e2e/run.sh ]]; then
  e2e/run.sh
fi
# The handler as deploy/README.md builds it (static, its hot code packed): one post, and the packing.
scripts/check-handler-build.sh "$(swift build --show-bin-path)/kaitori"
# Two web hosts on one PostgreSQL store through pgbouncer (docs/scaling.md): PostgreSQL and the
# web servers run as unprivileged users, which only root can arrange (CI runs as root).
if [[ $(id -u) == 0 ]]; then
  bin=$(swift build --show-bin-path)
  swift build --product kaitori-cgi
  KAITORI="$bin/kaitori" KAITORI_CGI="$bin/kaitori-cgi" KAITORI_SKIP_DEPS=1 reliability/two-hosts.sh
fi
