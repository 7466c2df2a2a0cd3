"""Kills kaitori-cgi at every write and every sync of one application post, one run per syscall.

    python3 syscall_kill.py KAITORI_CGI SHOP WORK

SHOP is a built shop whose store already exists (copied afresh for every run, so each run starts
from the same state). First one post runs under `strace -f -y` untouched, to list the writes
(write, pwrite64, writev) and syncs (fsync, fdatasync) it makes and their order. Then for every
syscall S of those and every N from 1 to the number of S calls, the post runs again under
`strace --inject=S:signal=KILL:when=N`: the process is SIGKILLed on entering its N-th S call,
before the call takes effect. After each run:

- the store passes `PRAGMA integrity_check` and holds either no new case or the new case whole
  (check_store.py: customer, 3 declared items, history, event, 2 queued messages);
- when the response's `Status: 303` reached standard output, the case is stored under the code it
  names, and the trace shows the sync of the database's write-ahead log (the commit) before that
  write.

Prints a JSON summary; exit status 1 when any run breaks a rule. Needs strace (Debian `strace`).
"""
import json
import os
import re
import shutil
import subprocess
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, "..", "bench", "lib"))
import forms  # noqa: E402

SYSCALLS = ["write", "pwrite64", "writev", "fsync", "fdatasync"]
CALL = re.compile(r"^(?:\[pid +\d+\] |\d+ +)?(\w+)\((\d+)(?:<([^>]*)>)?")
LOCATION = re.compile(rb"^Location: \S*/applied/(\S{4}-\S{4})\r?$", re.M)


def environment(site, body):
    return {
        "GATEWAY_INTERFACE": "CGI/1.1", "SERVER_PROTOCOL": "HTTP/1.1", "SERVER_NAME": "127.0.0.1",
        "SERVER_PORT": "8080", "REMOTE_ADDR": "127.0.0.1", "REQUEST_METHOD": "POST",
        "SCRIPT_NAME": "/cgi-bin/kaitori", "PATH_INFO": "/apply", "REQUEST_URI": "/cgi-bin/kaitori/apply",
        "CONTENT_TYPE": "application/x-www-form-urlencoded", "CONTENT_LENGTH": str(len(body)),
        "PATH": "/usr/bin:/bin", "KAITORI_SITE": site,
    }


def run(program, shop, work, name, inject=None):
    """One post under strace; returns (stdout bytes, trace lines, killed?)."""
    site = os.path.join(work, name)
    shutil.rmtree(site, ignore_errors=True)
    shutil.copytree(shop, site, symlinks=True)
    submission = f"syscall-{name}"
    body = forms.application(submission)
    trace = os.path.join(work, name + ".trace")
    command = ["strace", "-f", "-y", "-qq", "-o", trace, "-e", "trace=" + ",".join(SYSCALLS)]
    if inject:
        command += ["-e", f"inject={inject[0]}:signal=KILL:when={inject[1]}"]
    result = subprocess.run(command + [program], input=body, env=environment(site, body),
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, timeout=120)
    with open(trace, encoding="utf-8", errors="replace") as file:
        lines = file.read().splitlines()
    killed = any("killed by SIGKILL" in line for line in lines) or result.returncode in (-9, 137)
    return site, submission, result.stdout, lines, killed


def calls(lines):
    """(syscall, fd, path) in order, for the traced syscalls that were entered."""
    found = []
    for line in lines:
        match = CALL.match(line)
        if match and match.group(1) in SYSCALLS:
            found.append((match.group(1), int(match.group(2)), match.group(3) or ""))
    return found


def sync_before_status(lines):
    """True when a sync of the write-ahead log precedes the write of the response's status line."""
    synced = False
    for line in lines:
        match = CALL.match(line)
        if not match:
            continue
        name, fd, path = match.group(1), int(match.group(2)), match.group(3) or ""
        if name in ("fsync", "fdatasync") and path.endswith("kaitori.sqlite3-wal"):
            synced = True
        if name in ("write", "writev") and fd == 1 and "Status: 303" in line:
            return synced
    return None  # no 303 written


def check_store(db, expect):
    args = ["python3", os.path.join(HERE, "check_store.py"), db, "--items", "3", "--after-id", str(expect["after_id"])]
    if expect.get("codes"):
        path = db + ".expect.json"
        with open(path, "w") as file:
            json.dump(expect["codes"], file)
        args += ["--expect", path]
    result = subprocess.run(args, capture_output=True, text=True)
    return json.loads(result.stdout)


def main():
    program, shop, work = sys.argv[1:4]
    os.makedirs(work, exist_ok=True)
    db_name = os.path.join("var", "kaitori.sqlite3")
    import sqlite3
    after_id = sqlite3.connect(os.path.join(shop, db_name)).execute("SELECT coalesce(max(id), 0) FROM cases").fetchone()[0]

    site, submission, stdout, lines, killed = run(program, shop, work, "untouched")
    sequence = calls(lines)
    counts = {name: sum(1 for call in sequence if call[0] == name) for name in SYSCALLS}
    untouched_ok = b"Status: 303" in stdout and not killed and sync_before_status(lines) is True
    order = [f"{name}({os.path.basename(path) or fd})" for name, fd, path in sequence]

    runs, problems = [], []
    if not untouched_ok:
        problems.append(f"the untouched post: killed={killed}, 303={b'Status: 303' in stdout}, sync before 303={sync_before_status(lines)}")
    for name in SYSCALLS:
        for n in range(1, counts[name] + 1):
            label = f"{name}-{n}"
            site, submission, stdout, lines, killed = run(program, shop, work, label, inject=(name, n))
            answered = b"Status: 303" in stdout
            match = LOCATION.search(stdout)
            expect = {"after_id": after_id, "codes": {submission: match.group(1).decode()} if answered and match else {}}
            summary = check_store(os.path.join(site, db_name), expect)
            stored = summary.get("cases", -1)
            ordered = sync_before_status(lines)
            entry = {"kill": label, "killed": killed, "answered_303": answered, "new_cases": stored,
                     "store_problems": summary.get("problems"), "sync_before_303": ordered}
            runs.append(entry)
            if not killed:
                problems.append(f"{label}: the process was not killed")
            if summary.get("problems"):
                problems.append(f"{label}: {summary['problems']}")
            if stored not in (0, 1):
                problems.append(f"{label}: {stored} new cases")
            if answered and (stored != 1 or ordered is not True):
                problems.append(f"{label}: answered 303 with {stored} cases stored, sync before the answer: {ordered}")
            shutil.rmtree(site, ignore_errors=True)
    print(json.dumps({
        "syscalls": counts, "order": order, "runs": len(runs),
        "killed_with_nothing_stored": sum(1 for r in runs if r["new_cases"] == 0),
        "killed_with_case_whole_no_answer": sum(1 for r in runs if r["new_cases"] == 1 and not r["answered_303"]),
        "killed_after_303": sum(1 for r in runs if r["answered_303"]),
        "untouched_post_ok": untouched_ok,
        "problems": problems, "detail": runs,
    }, indent=1, ensure_ascii=False))
    sys.exit(1 if problems else 0)


if __name__ == "__main__":
    main()
