#!/usr/bin/env python3
"""The data symbols one application post touches, in the order it first touches them: the second
part of deploy/kaitori-cgi.order (bench/handler/order.sh).

A CGI process maps its executable's data page by page, as it does its code: a variable on a page
of its own costs a page fault (the first write to `.data` or `.bss` also a page's copy or zeroing).
The post's globals are scattered through 340 KB of `.bss` and 1.6 MB of read-only data; with each
global in a section of its own (`-Xllvm -data-sections` for our modules, as the Swift runtime and
the C library already are), lld can place the touched ones side by side, as it does the code.

Usage: datasyms.py BINARY ADDRESSES > SYMBOLS
  BINARY     the handler the trace was taken from (its symbol table: nm)
  ADDRESSES  data addresses the post touched, one per line in hex, first touch first (valgrind
             --tool=lackey --trace-mem=yes, as order.sh takes it)
"""
import bisect
import subprocess
import sys

DATA_SECTIONS = {".data", ".bss", ".rodata", ".data.rel.ro", ".tdata", ".tbss"}


def main():
    if len(sys.argv) != 3:
        sys.exit(__doc__.split("\n\n")[-1])
    binary, addresses = sys.argv[1], sys.argv[2]
    sections = []
    for line in subprocess.run(["readelf", "-SW", binary], capture_output=True, text=True, check=True).stdout.splitlines():
        fields = line.replace("[ ", "[").split()
        if len(fields) > 5 and fields[0].startswith("[") and fields[1] in DATA_SECTIONS:
            start, size = int(fields[3], 16), int(fields[5], 16)
            sections.append((start, start + size))
    symbols = []
    for line in subprocess.run(["nm", "-S", "--defined-only", binary], capture_output=True, text=True, check=True).stdout.splitlines():
        fields = line.split(maxsplit=3)
        if len(fields) == 4 and fields[2] in "bBdDrRvV":
            symbols.append((int(fields[0], 16), max(int(fields[1], 16), 1), fields[3]))
    symbols.sort()
    starts = [s[0] for s in symbols]
    seen = set()
    with open(addresses) as f:
        for line in f:
            address = int(line, 16)
            if not any(start <= address < end for start, end in sections):
                continue
            i = bisect.bisect_right(starts, address) - 1
            if i >= 0 and symbols[i][0] <= address < symbols[i][0] + symbols[i][1] and symbols[i][2] not in seen:
                seen.add(symbols[i][2])
                print(symbols[i][2])
    print(f"datasyms.py: {len(seen)} data symbols touched", file=sys.stderr)


if __name__ == "__main__":
    main()
