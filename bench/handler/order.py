#!/usr/bin/env python3
"""Writes the symbol ordering file for the deployed kaitori-cgi (deploy/kaitori-cgi.order).

A CGI handler is a new process per request: every 64 KB window of code it runs costs a page
fault, and in the static executable the code one application post runs (~1 MB) is spread over
~100 windows of 8 MB. The linker (lld, `--symbol-ordering-file`) can place the sections holding
that code side by side, but only whole input sections: our modules are compiled with
`-function-sections` (one section per function) and C libraries come one section per object
file, while the Swift standard library's non-generic code is one 1.5 MB section. Putting such a
large section whose code is mostly cold among the packed ones would spread the hot code out
again, so only sections that are small or mostly hot are listed.

Usage: order.py MAP CALLGRIND > ORDER
  MAP        the link map of kaitori-cgi (lld's -Map), built with the same flags as the ordered build
  CALLGRIND  a callgrind profile of one post run with --demangle=no (the executed functions)
"""
import re
import sys

# A section is packed when it is at most this large or at least this share of it runs.
SMALL = 64 * 1024
DENSE = 0.25

VARIANT = re.compile(r"^(__[a-z0-9]+?)_(?:sse2|sse4|ssse3|avx|evex)")
MAP_LINE = re.compile(r"^\s*([0-9a-f]+)\s+([0-9a-f]+)\s+([0-9a-f]+)\s+(\d+) (\s*)(.*)$")


def read_map(path):
    """Symbol name → list of (section id, symbol size); section id → section size (for .text)."""
    sections_of, section_size = {}, {}
    output = None
    section = None
    count = 0
    with open(path, encoding="utf-8", errors="replace") as f:
        for line in f:
            m = MAP_LINE.match(line)
            if not m:
                continue
            _, _, size, _, indent, rest = m.groups()
            depth = len(indent)
            if depth == 0:
                output, section = rest, None
            elif depth == 8:
                count += 1
                section = count
                section_size[section] = int(size, 16)
            elif output == ".text" and section is not None:
                sections_of.setdefault(rest, []).append((section, int(size, 16)))
    if not section_size:
        sys.exit(f"order.py: {path} is not an lld link map (no sections found)")
    return sections_of, section_size


def executed(path):
    """Names of the functions a callgrind profile saw run (fn= lines, names compressed by id)."""
    names = {}
    ran = set()
    with open(path, encoding="utf-8", errors="replace") as f:
        for line in f:
            if not line.startswith(("fn=", "cfn=")):
                continue
            value = line.split("=", 1)[1].strip()
            m = re.match(r"\((\d+)\)(?: (.*))?$", value)
            if m:
                if m.group(2):
                    names[m.group(1)] = m.group(2)
                name = names.get(m.group(1))
            else:
                name = value
            if name and line.startswith("fn="):
                ran.add(name.split("'")[0])
    if not ran:
        sys.exit(f"order.py: {path} names no executed function")
    return ran


def main():
    if len(sys.argv) != 3:
        sys.exit(__doc__)
    sections_of, section_size = read_map(sys.argv[1])
    hot = sorted(name for name in executed(sys.argv[2]) if name in sections_of)
    hot_bytes = {}
    for name in hot:
        for section, size in sections_of[name]:
            hot_bytes[section] = hot_bytes.get(section, 0) + size
    packed = {s for s, b in hot_bytes.items() if section_size[s] <= SMALL or b >= DENSE * section_size[s]}
    # A name can belong to several sections (local symbols of several objects): lld moves all of
    # them, so a name that is also in a large, mostly cold section is left out.
    chosen = [name for name in hot if all(s in packed for s, _ in sections_of[name])]
    # glibc picks each string function's variant for the CPU it runs on (an ifunc), and callgrind's
    # CPU is not the server's: every variant of a family the post used is listed (a few KB each).
    families = {m.group(1) for m in map(VARIANT.match, chosen) if m}
    listed = set(chosen)
    for name in sorted(sections_of):
        m = VARIANT.match(name)
        if m and m.group(1) in families and name not in listed and all(
                section_size[s] <= SMALL for s, _ in sections_of[name]):
            chosen.append(name)
            listed.add(name)
    sys.stdout.write("".join(name + "\n" for name in chosen))
    left = len(hot_bytes) - len(packed)
    print(f"order.py: {len(chosen)} functions listed ({len(families)} string function families in every CPU variant), "
          f"of {len(hot)} executed, in {len(packed)} sections "
          f"({sum(section_size[s] for s in packed) // 1024} KB); {left} large, mostly cold sections left in place",
          file=sys.stderr)


main()
