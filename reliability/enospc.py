"""Runs one application post with the shop's var/ on a small ext4 file system left with 0, 4, 8, ...
KB free, in 4 KB steps, across what one post needs (its write-ahead log, the shared-memory index,
the checkpoint into the database file when the handler closes the store).

    python3 enospc.py KAITORI_CGI SHOP WORK [MAX_KB]

SHOP is a built shop whose store exists without a write-ahead log (closed cleanly), as a shop's
store is between posts. For every step, var/ is restored from SHOP onto a fresh ext4 image
(mkfs.ext4 -m 0: no blocks reserved for root, so the handler sees exactly the free space set), a
file is allocated (fallocate) to leave that much space, and the post runs. Every step must end
in either a 303 with the case whole, or a 503 page with nothing stored; after the filler is
removed the store must pass `PRAGMA integrity_check` and check_store.py. The sweep goes up to
MAX_KB (default 256 KB: a post's write-ahead log (about 50 KB) and index (32 KB) need about 90 KB at most, and
are removed when the handler closes the store, so the net change measured after a post on a roomy
image, `footprint_kb`, can even be negative).

Needs root (losetup, mount) and a kernel with loop devices; prints {"skipped": REASON} and exits 0
when it cannot run here. Prints a JSON summary; exit status 1 when any step breaks a rule.
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

LOCATION = re.compile(rb"^Location: \S*/applied/(\S{4}-\S{4})\r?$", re.M)
IMAGE_MB = 8


def sh(*args, check=True):
    return subprocess.run(args, capture_output=True, text=True, check=check)


def free_bytes(path):
    stat = os.statvfs(path)
    return stat.f_bavail * stat.f_frsize


class Volume:
    """A fresh ext4 image mounted on SITE/var holding a copy of SHOP's var/."""

    def __init__(self, work, shop, site):
        self.image = os.path.join(work, "var.img")
        self.mount = os.path.join(site, "var")
        if os.path.exists(self.image):
            os.remove(self.image)
        with open(self.image, "wb") as file:
            file.truncate(IMAGE_MB * 1024 * 1024)
        sh("mkfs.ext4", "-q", "-F", "-m", "0", "-E", "lazy_itable_init=0,lazy_journal_init=0", self.image)
        os.makedirs(self.mount, exist_ok=True)
        sh("mount", "-o", "loop", self.image, self.mount)
        shutil.copytree(os.path.join(shop, "var"), self.mount, dirs_exist_ok=True, symlinks=True)
        os.sync()

    def leave_free(self, wanted):
        """Allocates a filler so that `wanted` bytes stay free; returns what is actually free."""
        filler = os.path.join(self.mount, "filler")
        # Grown in pieces: one allocation of all the free space can itself fail for the extent
        # blocks it needs; a piece that does not fit is halved.
        piece = free_bytes(self.mount) - wanted
        while piece >= 4096 and free_bytes(self.mount) - wanted >= 4096:
            piece = min(piece, free_bytes(self.mount) - wanted)
            offset = os.path.getsize(filler) if os.path.exists(filler) else 0
            if sh("fallocate", "-o", str(offset), "-l", str(piece), filler, check=False).returncode != 0:
                piece //= 2
        # Extent blocks of the filler itself may take a block or two: trim until the count is right.
        while free_bytes(self.mount) < wanted and os.path.exists(filler) and os.path.getsize(filler) >= 4096:
            os.truncate(filler, os.path.getsize(filler) - 4096)
        os.sync()
        return free_bytes(self.mount)

    def remove_filler(self):
        filler = os.path.join(self.mount, "filler")
        if os.path.exists(filler):
            os.remove(filler)

    def close(self):
        sh("umount", self.mount, check=False)
        if os.path.exists(self.image):
            os.remove(self.image)


def post(program, site, submission):
    body = forms.application(submission)
    env = {
        "GATEWAY_INTERFACE": "CGI/1.1", "SERVER_PROTOCOL": "HTTP/1.1", "SERVER_NAME": "127.0.0.1",
        "SERVER_PORT": "8080", "REMOTE_ADDR": "127.0.0.1", "REQUEST_METHOD": "POST",
        "SCRIPT_NAME": "/cgi-bin/kaitori", "PATH_INFO": "/apply", "CONTENT_TYPE": "application/x-www-form-urlencoded",
        "CONTENT_LENGTH": str(len(body)), "PATH": "/usr/bin:/bin", "KAITORI_SITE": site,
    }
    result = subprocess.run([program], input=body, env=env, capture_output=True, timeout=120)
    first = result.stdout.split(b"\r\n", 1)[0]
    if not result.stdout:
        # No answer at all: the web server would send its own 500/502.
        status = f"died ({result.returncode})"
    else:
        status = int(first.split()[1]) if first.startswith(b"Status:") else 200
    match = LOCATION.search(result.stdout)
    complete = b"</html>" in result.stdout
    return status, match.group(1).decode() if match else None, complete, result.stderr.decode(errors="replace")


def check(db, after_id, codes):
    expect = db + ".expect.json"
    with open(expect, "w") as file:
        json.dump(codes, file)
    result = subprocess.run(["python3", os.path.join(HERE, "check_store.py"), db, "--items", "3",
                             "--after-id", str(after_id), "--expect", expect], capture_output=True, text=True)
    os.remove(expect)
    return json.loads(result.stdout)


def main():
    program, shop, work = sys.argv[1:4]
    max_kb = int(sys.argv[4]) if len(sys.argv) > 4 else None
    if os.geteuid() != 0:
        print(json.dumps({"skipped": "needs root (losetup and mount of an ext4 image)"}))
        return
    for tool in ("mkfs.ext4", "fallocate", "losetup"):
        if shutil.which(tool) is None:
            print(json.dumps({"skipped": f"{tool} is not installed"}))
            return
    os.makedirs(work, exist_ok=True)
    site = os.path.join(work, "shop")
    shutil.rmtree(site, ignore_errors=True)
    shutil.copytree(shop, site, symlinks=True, ignore=shutil.ignore_patterns("var"))
    import sqlite3
    after_id = sqlite3.connect(os.path.join(shop, "var", "kaitori.sqlite3")).execute(
        "SELECT coalesce(max(id), 0) FROM cases").fetchone()[0]

    # What one post takes on a roomy volume.
    try:
        volume = Volume(work, shop, site)
    except subprocess.CalledProcessError as error:
        print(json.dumps({"skipped": f"cannot make or mount an ext4 loop image: {error.stderr.strip()}"}))
        return
    before = free_bytes(volume.mount)
    status, code, _, stderr = post(program, site, "enospc-roomy")
    os.sync()
    footprint = before - free_bytes(volume.mount)
    volume.close()
    if status != 303:
        print(json.dumps({"problems": [f"the post on a roomy volume answered {status}: {stderr[:300]}"]}))
        sys.exit(1)
    limit = max_kb * 1024 if max_kb else max(2 * footprint, 256 * 1024)

    steps, problems = [], []
    for free in range(0, limit + 1, 4096):
        volume = Volume(work, shop, site)
        try:
            actual = volume.leave_free(free)
            submission = f"enospc-{free // 1024}k"
            status, code, complete, stderr = post(program, site, submission)
            volume.remove_filler()
            summary = check(os.path.join(volume.mount, "kaitori.sqlite3"), after_id,
                            {submission: code} if status == 303 and code else {})
        finally:
            volume.close()
        cases = summary.get("cases", -1)
        steps.append({"free_kb": free // 1024, "actual_free_kb": actual // 1024, "status": status, "cases": cases,
                      "complete_page": complete, "store": summary.get("problems"), "integrity": summary.get("integrity"),
                      "stderr": stderr[-3000:] if status not in (303, 503) else ""})
        if status == 303 and cases != 1:
            problems.append(f"{free // 1024} KB free: 303 with {cases} new cases")
        elif status == 503 and (cases != 0 or not complete):
            problems.append(f"{free // 1024} KB free: 503 with {cases} new cases, complete page: {complete}")
        elif status not in (303, 503):
            crash = next((line for line in stderr.splitlines() if "crashed" in line), stderr[:120])
            problems.append(f"{free // 1024} KB free: {status} with {cases} new cases: {crash}")
        if summary.get("problems"):
            problems.append(f"{free // 1024} KB free: {summary['problems']}")
    answers = {}
    for step in steps:
        answers[str(step["status"])] = answers.get(str(step["status"]), 0) + 1
    first_303 = next((s["free_kb"] for s in steps if s["status"] == 303), None)
    print(json.dumps({"footprint_kb": footprint / 1024, "steps": len(steps), "max_kb": limit // 1024,
                      "answers": answers, "first_303_at_kb": first_303,
                      "503_after_a_303": [s["free_kb"] for s in steps if first_303 is not None and s["free_kb"] > first_303 and s["status"] == 503],
                      "problems": problems, "detail": steps}, indent=1))
    sys.exit(1 if problems else 0)


if __name__ == "__main__":
    main()
