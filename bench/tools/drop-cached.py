#!/usr/bin/env python3
"""Drops files' pages from the kernel's page cache (after writing them out), so that each program
a benchmark compares is read back from disk the same way before its warm-up runs.

A file the linker or `cp` has just written sits in the page cache in large pieces (folios of up to
2 MB on recent kernels), and an executable mapped from such pieces faults in its code 2 MB at a time
instead of 64 KB: a freshly built program starts faster than the same program after the kernel has
evicted it once (a reboot, memory pressure), which is the state a server runs it in. Comparing a
program just built with one installed long ago would measure that, not the programs.

Usage: drop-cached.py FILE...
"""
import os
import sys

if len(sys.argv) < 2:
    sys.exit(__doc__)
os.sync()
for path in sys.argv[1:]:
    fd = os.open(os.path.realpath(path), os.O_RDONLY)
    try:
        os.posix_fadvise(fd, 0, 0, os.POSIX_FADV_DONTNEED)
    finally:
        os.close(fd)
