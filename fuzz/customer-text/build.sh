#!/bin/sh
# Builds the customer-text rule fuzzer (libFuzzer + AddressSanitizer).
#
#   fuzz/customer-text/build.sh /tmp/customer-text-fuzzer
#   mkdir -p /tmp/customer-text-corpus
#   /tmp/customer-text-fuzzer -max_total_time=10 -artifact_prefix=/tmp/ /tmp/customer-text-corpus fuzz/customer-text/corpus
#
# The rule's sources (CustomerInput, the Japanese messages, FieldError) are compiled into the
# fuzzer itself, as in fuzz/urlencoded, so SwiftPM's build folder is never touched.
set -eu
output=${1:?usage: build.sh OUTPUT}
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
swiftc -sanitize=fuzzer,address -parse-as-library -O -use-ld=lld -module-name CustomerTextFuzz \
    "$root"/Sources/KaitoriCore/CustomerInput.swift "$root"/Sources/KaitoriCore/CustomerText.swift \
    "$root"/Sources/KaitoriCore/FieldError.swift "$here/main.swift" -o "$output"
