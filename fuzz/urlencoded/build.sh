#!/bin/sh
# Builds the urlencoded/media type fuzzer (libFuzzer + AddressSanitizer).
#
#   fuzz/urlencoded/build.sh /tmp/urlencoded-fuzzer
#   mkdir -p /tmp/urlencoded-corpus
#   /tmp/urlencoded-fuzzer -max_total_time=10 -artifact_prefix=/tmp/ /tmp/urlencoded-corpus fuzz/urlencoded/corpus
#
# The CGI sources are compiled into the fuzzer itself rather than linked as a package product,
# so SwiftPM's shared build folder is never touched. lld, because gold warns about every
# AddressSanitizer helper symbol. New inputs go to the first corpus folder and crashes to the
# artifact prefix; keep both outside the repository.
set -eu
output=${1:?usage: build.sh OUTPUT}
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
swiftc -sanitize=fuzzer,address -parse-as-library -O -use-ld=lld -module-name URLEncodedFuzz \
    "$root"/Sources/CGI/*.swift "$here/main.swift" -o "$output"
