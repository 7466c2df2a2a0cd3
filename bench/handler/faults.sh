#!/bin/sh
# Page faults of one application post per program, by where they fall: the executable's code and
# read-only data, its initialized data, its zero-filled data (.bss), the heap, the stack and other
# mappings (SQLite's shared-memory index). Each program makes N posts on its own copy of SHOP
# (drive.c) after 5 to warm the page cache (the programs dropped from it first, so each is read
# back from disk alike: bench/tools/drop-cached.py); `perf record -e page-faults -d` gives each fault's
# address, the program's ELF headers its regions (non-PIE executables, such as the static
# kaitori-cgi and the floor).
#
# Usage: bench/handler/faults.sh SHOP N PROGRAM...
#   SHOP  a built shop with its store (see bench/handler/compare.sh)
# Needs: gcc, perf, readelf, python3.
set -eu
. "$(dirname "$0")/common.sh"
bench_setup faults 3 2,12p "$@"
shop=$1 n=$2
shift 2
printf '%-16s %8s %8s %8s %8s %8s %8s %8s %8s\n' program total code data bss heap stack other "code 64K"
for program in "$@"; do
    name=$(basename "$program")
    fresh_shop "$shop" "$work/shop" "$program" 5
    perf record -q -e page-faults -c 1 -d -o "$work/perf.data" \
        "$drive" "$n" "$measured" "$work/shop" "$program" >/dev/null 2>"$work/perf.log" \
        || { cat "$work/perf.log" >&2; exit 1; }
    perf script -i "$work/perf.data" -F comm,addr 2>/dev/null > "$work/faults"
    readelf -lW "$program" > "$work/segments"
    python3 - "$work/faults" "$work/segments" "$name" "$n" <<'PY'
import re, sys
faults, segments, name, n = sys.argv[1], sys.argv[2], sys.argv[3], int(sys.argv[4])
loads = []
for line in open(segments):
    f = line.split()
    if f and f[0] == "LOAD":
        vaddr, filesz, memsz, flags = int(f[2], 16), int(f[4], 16), int(f[5], 16), " ".join(f[6:-1])
        loads.append((vaddr, filesz, memsz, "W" in flags))
end_of_image = max(v + m for v, _, m, _ in loads)
counts = dict.fromkeys(["code", "data", "bss", "heap", "stack", "other"], 0)
windows = set()
comm = name[:15]
for line in open(faults):
    f = line.split()
    if len(f) < 2 or f[0] != comm:
        continue
    a = int(f[1], 16)
    region = None
    for v, fs, ms, writable in loads:
        if v <= a < v + fs:
            region = "data" if writable else "code"
        elif v + fs <= a < v + ms:
            region = "bss"
        if region:
            break
    if region is None:
        # The heap (brk) starts at a random offset above the image, below 4 GB here; mmap and the
        # stack are near the top of the address space.
        region = "heap" if end_of_image <= a < 1 << 32 else "stack" if a >= 0x7ff000000000 else "other"
    counts[region] += 1
    if region == "code":
        windows.add(a >> 16)
total = sum(counts.values())
print(f"{name:16} " + " ".join(f"{x / n:8.1f}" for x in [total] + list(counts.values())) + f" {len(windows):8d}")
PY
done
echo "(faults per post over $n posts; \"code 64K\": distinct 64 KB windows of code faulted in all the run)"
