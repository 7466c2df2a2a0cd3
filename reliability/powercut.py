"""A power cut at every point of one application post, replayed from its traced writes: what the
disk holds when the page cache is lost (the idea of dm-log-writes or LazyFS, done from an strace
log because neither device-mapper nor a FUSE fault file system runs here).

    python3 powercut.py KAITORI_CGI SHOP WORK [VARIANTS]

SHOP is a built shop whose store exists without a write-ahead log. One post runs under
`strace -f -y -xx` recording every byte written (pwrite64, write), every size change
(ftruncate, fallocate), every file created (openat O_CREAT) or removed (unlink) and every sync
(fsync, fdatasync) in order. Then, for a cut after each recorded call, the disk is rebuilt from
SHOP's var/ as a lost page cache would leave it:

- a file's writes and size changes are on disk once a sync of that file followed them; the
  others are lost ("lost cache"), or, in VARIANTS (default 3) further states per cut, a random
  subset of them reached the disk in any order ("torn cache": the kernel wrote some pages back on
  its own before the cut);
- a file created or removed stays so once its folder was synced (or, for a created file, the file
  itself: ext4 commits the new name with the file's first fsync); the shared-memory index
  (`-shm`) is never on disk (SQLite rebuilds it from the log after a crash).

Each rebuilt store is opened by `sqlite3` (which recovers the log as the next handler would) and
checked: `integrity_check` ok, the new case absent or whole, and, when the `Status: 303` was
written before the cut, the case present under the code it names. Prints a JSON summary; exit
status 1 when a state breaks a rule.

What it proves: given a disk that honours the syncs it is sent, no cut at any point of the post
loses an acknowledged case or leaves a half case, whichever unsynced pages happened to reach the
disk. What it does not: a disk that lies about its flush, writes torn inside one 512-byte sector,
or two processes interleaved.
"""
import json
import os
import random
import re
import shutil
import sqlite3
import subprocess
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
sys.path.insert(0, os.path.join(HERE, "..", "bench", "lib"))
import forms  # noqa: E402
from syscall_kill import environment, check_store, LOCATION  # noqa: E402

TRACED = "openat,pwrite64,write,ftruncate,fallocate,unlink,unlinkat,fsync,fdatasync"
PREFIX = r"^(?:\[pid +\d+\] |\d+ +)?"
HEX = r'"((?:\\x[0-9a-f]{2})*)"(?:\.\.\.)?'
PATTERNS = {
    "pwrite64": re.compile(PREFIX + r"pwrite64\(\d+<([^>]*)>, " + HEX + r", \d+, (\d+)\) = (\d+)"),
    "write": re.compile(PREFIX + r"write\((\d+)<([^>]*)>, " + HEX + r", \d+\) = (\d+)"),
    "ftruncate": re.compile(PREFIX + r"ftruncate\(\d+<([^>]*)>, (\d+)\) = 0"),
    "fallocate": re.compile(PREFIX + r"fallocate\(\d+<([^>]*)>, (\d+), (\d+), (\d+)\) = 0"),
    "openat": re.compile(PREFIX + r'openat\([^,]+, "((?:\\x[0-9a-f]{2})*)", ([A-Z_|]+)(?:, \d+)?\) = \d+'),
    "unlink": re.compile(PREFIX + r'unlink(?:at)?\((?:[^,]+, )?"((?:\\x[0-9a-f]{2})*)"(?:, \d+)?\) = 0'),
    "sync": re.compile(PREFIX + r"f(?:data)?sync\(\d+<([^>]*)>\) = 0"),
}


def unhex(text):
    return bytes.fromhex(text.replace("\\x", ""))


def fd_path(text):
    """The path strace -y shows for a descriptor (hex-escaped under -xx)."""
    return unhex(text).decode(errors="replace") if text.startswith("\\x") else text


def trace_post(program, shop, work):
    site = os.path.join(work, "traced")
    shutil.rmtree(site, ignore_errors=True)
    shutil.copytree(shop, site, symlinks=True)
    submission = "powercut-post"
    body = forms.application(submission)
    trace = os.path.join(work, "post.trace")
    subprocess.run(["strace", "-f", "-y", "-qq", "-xx", "-s", "10000000", "-o", trace, "-e", "trace=" + TRACED, program],
                   input=body, env=environment(site, body), stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                   timeout=120, check=False)
    with open(trace, encoding="utf-8", errors="replace") as file:
        return site, submission, file.read().splitlines()


def events(lines, var):
    """The calls that change the store's files (var/kaitori.sqlite3*) or answer, in order:
    (kind, file name, details). Other files (the published case pages) are not the store's."""
    found = [event for event in all_events(lines, var)
             if event[0] in ("answer", "syncdir") or event[1].startswith("kaitori.sqlite3") and "/" not in event[1]]
    return found


def all_events(lines, var):
    found = []
    for line in lines:
        for kind, pattern in PATTERNS.items():
            match = pattern.match(line)
            if not match:
                continue
            if kind == "write":
                fd, path, data = int(match.group(1)), fd_path(match.group(2)), unhex(match.group(3))
                if fd == 1:
                    found.append(("answer", "", data))
                elif path.startswith(var + "/"):
                    found.append(("append", os.path.relpath(path, var), data))
            elif kind == "openat":
                path = unhex(match.group(1)).decode(errors="replace")
                if "O_CREAT" in match.group(2) and path.startswith(var + "/"):
                    found.append(("create", os.path.relpath(path, var), None))
            elif kind == "unlink":
                path = unhex(match.group(1)).decode(errors="replace")
                if path.startswith(var + "/"):
                    found.append(("unlink", os.path.relpath(path, var), None))
            elif fd_path(match.group(1)) == var:
                found.append(("syncdir", ".", None) if kind == "sync" else ("ignored", ".", None))
            elif fd_path(match.group(1)).startswith(var + "/"):
                path = os.path.relpath(fd_path(match.group(1)), var)
                if kind == "pwrite64":
                    found.append(("pwrite", path, (int(match.group(3)), unhex(match.group(2)))))
                elif kind == "ftruncate":
                    found.append(("truncate", path, int(match.group(2))))
                elif kind == "fallocate":
                    found.append(("extend", path, int(match.group(3)) + int(match.group(4))))
                elif kind == "sync":
                    found.append(("sync", path, None))
            break
    return found


def apply(content, kind, detail):
    if content is None:
        content = bytearray()
    if kind == "pwrite":
        offset, data = detail
        if len(content) < offset + len(data):
            content.extend(b"\0" * (offset + len(data) - len(content)))
        content[offset:offset + len(data)] = data
    elif kind == "append":
        content.extend(detail)
    elif kind == "truncate":
        del content[detail:]
        content.extend(b"\0" * (detail - len(content)))
    elif kind == "extend" and len(content) < detail:
        content.extend(b"\0" * (detail - len(content)))
    return content


def disk_after(calls, cut, base, rng=None):
    """The files of var/ on disk after a power cut following call `cut` (exclusive index)."""
    durable = {name: bytearray(data) for name, data in base.items()}
    exists = set(base)
    pending = {}  # path -> [(kind, detail)] written since its last sync
    names = []  # (kind, path) creations and removals since the folder's last sync
    for kind, path, detail in calls[:cut]:
        if kind in ("pwrite", "append", "truncate", "extend"):
            pending.setdefault(path, []).append((kind, detail))
        elif kind == "create":
            if path not in exists:
                names.append(("create", path))
        elif kind == "unlink":
            names.append(("unlink", path))
        elif kind == "sync":
            for op in pending.pop(path, []):
                durable[path] = apply(durable.get(path), *op)
            if ("create", path) in names:
                names.remove(("create", path))
                exists.add(path)
        elif kind == "syncdir":
            for op, name in names:
                (exists.add if op == "create" else exists.discard)(name)
            names = []
    if rng is not None:
        # Some unsynced writes reached the disk anyway, in any order; some names did too.
        for path, ops in pending.items():
            chosen = [op for op in ops if rng.random() < 0.5]
            rng.shuffle(chosen)
            for op in chosen:
                durable[path] = apply(durable.get(path), *op)
        for op, name in names:
            if rng.random() < 0.5:
                (exists.add if op == "create" else exists.discard)(name)
    return {name: bytes(durable.get(name, b"")) for name in exists if not name.endswith("-shm")}


def main():
    program, shop, work = sys.argv[1:4]
    variants = int(sys.argv[4]) if len(sys.argv) > 4 else 3
    os.makedirs(work, exist_ok=True)
    shop_db = os.path.join(shop, "var", "kaitori.sqlite3")
    after_id = sqlite3.connect(shop_db).execute("SELECT coalesce(max(id), 0) FROM cases").fetchone()[0]
    base = {}
    for name in os.listdir(os.path.join(shop, "var")):
        path = os.path.join(shop, "var", name)
        if os.path.isfile(path) and name.startswith("kaitori.sqlite3"):
            with open(path, "rb") as file:
                base[name] = file.read()

    site, submission, lines = trace_post(program, shop, work)
    calls = events(lines, os.path.join(site, "var"))
    answer = b"".join(detail for kind, _, detail in calls if kind == "answer")
    match = LOCATION.search(answer)
    answered_at = next((i for i, (kind, _, detail) in enumerate(calls) if kind == "answer" and b"Status: 303" in detail), None)
    problems = []
    if not match or answered_at is None:
        problems.append(f"the traced post did not answer 303: {answer[:200]!r}")
    counts = {}
    for kind, _, _ in calls:
        counts[kind] = counts.get(kind, 0) + 1

    rng = random.Random(int(os.environ.get("RELIABILITY_SEED", "1")))
    states = present = absent = 0
    store = os.path.join(work, "cut", "var")
    for cut in range(len(calls) + 1):
        acknowledged = answered_at is not None and cut > answered_at
        for variant in range(variants + 1):
            files = disk_after(calls, cut, base, rng if variant else None)
            shutil.rmtree(os.path.dirname(store), ignore_errors=True)
            os.makedirs(store)
            for name, data in files.items():
                with open(os.path.join(store, name), "wb") as file:
                    file.write(data)
            db = os.path.join(store, "kaitori.sqlite3")
            expect = {"after_id": after_id, "codes": {submission: match.group(1).decode()} if acknowledged and match else {}}
            summary = check_store(db, expect)
            states += 1
            label = f"cut after call {cut} of {len(calls)}" + (f", torn variant {variant}" if variant else ", lost cache")
            if summary.get("problems"):
                problems.append(f"{label}: {summary['problems']}")
            stored = summary.get("cases", -1)
            present += stored == 1
            absent += stored == 0
            if stored not in (0, 1):
                problems.append(f"{label}: {stored} new cases")
            if acknowledged and stored != 1:
                problems.append(f"{label}: the 303 was written, the case is not on disk")
    print(json.dumps({
        "calls": counts, "cuts": len(calls) + 1, "states": states, "answered_after_call": answered_at,
        "states_with_case": present, "states_without_case": absent,
        "problems": problems[:20],
    }, indent=1))
    sys.exit(1 if problems else 0)


if __name__ == "__main__":
    main()
