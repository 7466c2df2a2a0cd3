#!/usr/bin/env bash
# The main job on the sample shop: install what is needed, build Kaitori, build the site and
# serve it with the handler on http://127.0.0.1:${PORT:-8080}/ and the staff console at /staff
# (Ctrl-C stops it).
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/install-deps.sh
swift build -c release --product kaitori-cgi --static-swift-stdlib
swift build -c release --product kaitori-staff --static-swift-stdlib
swift build -c release --product kaitori
bin="$(swift build -c release --show-bin-path)"
"$bin/kaitori" check --site .
exec "$bin/kaitori" serve --site . --port "${PORT:-8080}"
