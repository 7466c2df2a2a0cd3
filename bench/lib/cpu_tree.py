"""CPU time spent so far by the server side of a benchmark, in milliseconds.

    python3 cpu_tree.py PID...

Sums user + system time of each PID and all its live descendants, and the time of their children
already waited for (cutime + cstime): lighttpd's CGI processes, once reaped, count in lighttpd's;
php-fpm's and kaitori-fcgi's workers count while they live. The difference of two readings around
a run is what the server spent on that run's requests, whatever else the machine was doing.
"""
import os
import sys

TICKS = os.sysconf("SC_CLK_TCK")


def stat(pid):
    with open(f"/proc/{pid}/stat") as f:
        text = f.read()
    fields = text[text.rindex(")") + 2:].split()
    # After "pid (comm) ": state ppid ... utime is field 14 of the whole line, i.e. index 11 here.
    return int(fields[1]), sum(int(fields[i]) for i in (11, 12, 13, 14))


def main():
    roots = {int(p) for p in sys.argv[1:]}
    if not roots:
        sys.exit("usage: cpu_tree.py PID...")
    parent, ticks = {}, {}
    for name in os.listdir("/proc"):
        if name.isdigit():
            try:
                parent[int(name)], ticks[int(name)] = stat(name)
            except (FileNotFoundError, ProcessLookupError):
                pass
    missing = roots - ticks.keys()
    if missing:
        sys.exit(f"cpu_tree.py: no process {sorted(missing)}")
    total = 0
    for pid in ticks:
        p = pid
        while p and p not in roots:
            p = parent.get(p, 0)
        if p:
            total += ticks[pid]
    print(total * 1000 // TICKS)


if __name__ == "__main__":
    main()
