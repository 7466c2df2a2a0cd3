#!/bin/sh
# Builds the Zengin libFuzzer target: ./build.sh OUTPUT_BINARY
# Run it with: OUTPUT_BINARY -max_total_time=10 WORK_CORPUS_DIR Tests/ZenginTests/Golden
# (libFuzzer writes new inputs into the first directory only, so the golden files serve as
# read-only seeds: without a valid file to start from, it rarely gets past the header.)
set -eu
if [ $# -ne 1 ]; then
    echo "usage: $0 OUTPUT_BINARY" >&2
    exit 2
fi
here=$(cd "$(dirname "$0")" && pwd)
sources="$here/../../Sources/Zengin"
# One module holds the target and the library sources so the target reaches internal checks.
swiftc -sanitize=fuzzer,address -parse-as-library -O \
    -module-name ZenginFuzz -use-ld=lld \
    "$here/main.swift" "$sources"/*.swift \
    -o "$1"
