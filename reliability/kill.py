"""SIGKILLs kaitori-cgi processes at random moments while they store applications.

    python3 kill.py KAITORI_CGI SITE COUNT PARALLEL EXPECT_FILE [SEED]

Runs COUNT application posts, PARALLEL at a time (so kills also land while others wait for the
write lock), each as a process with a CGI environment and its body on stdin, and kills each
after a random delay between 0 and 1.5x the median time of an unkilled post, so kills fall at
every stage: start-up, parsing, the transaction, the fsync, writing pages, the response. Posts
that still answered 303 are written to EXPECT_FILE as {submission_id: case code} for
check_store.py; a last unkilled post must then succeed. Prints a JSON summary.
"""
import concurrent.futures
import json
import os
import random
import re
import signal
import statistics
import subprocess
import sys
import time

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "bench", "lib"))
import forms  # noqa: E402

LOCATION = re.compile(rb"^Location: \S*/applied/(\S{4}-\S{4})\r?$", re.M)


def environment(site, body):
    return {
        "GATEWAY_INTERFACE": "CGI/1.1", "SERVER_PROTOCOL": "HTTP/1.1", "SERVER_NAME": "127.0.0.1",
        "SERVER_PORT": "8080", "REMOTE_ADDR": "127.0.0.1", "REQUEST_METHOD": "POST",
        "SCRIPT_NAME": "/cgi-bin/kaitori", "PATH_INFO": "/apply", "REQUEST_URI": "/cgi-bin/kaitori/apply",
        "CONTENT_TYPE": "application/x-www-form-urlencoded", "CONTENT_LENGTH": str(len(body)),
        "PATH": "/usr/bin:/bin", "KAITORI_SITE": site,
    }


def post(program, site, submission, delay):
    """One post; returns (killed while running, case code if answered 303, seconds taken)."""
    body = forms.application(submission)
    start = time.monotonic()
    process = subprocess.Popen([program], env=environment(site, body), stdin=subprocess.PIPE,
                               stdout=subprocess.PIPE, stderr=subprocess.DEVNULL)
    process.stdin.write(body)
    process.stdin.close()
    killed = False
    if delay is not None:
        time.sleep(delay)
        if process.poll() is None:
            process.send_signal(signal.SIGKILL)
            killed = True
    output = process.stdout.read()
    process.wait()
    seconds = time.monotonic() - start
    match = LOCATION.search(output)
    answered = process.returncode == 0 and output.startswith(b"Status: 303") and match
    return killed, match.group(1).decode() if answered else None, seconds


def run(program, site, count, parallel, seed=None, sites=None, spread=1.5):
    """The kills; returns (summary, {submission_id: code} of the posts answered 303). With
    `sites`, post i goes to sites[i mod n] (several hosts on one store); `site` calibrates. Each
    kill comes after a random delay up to `spread` times the median calibration post: posts in
    parallel take longer than alone, so a store reached over a network needs a wider spread for
    some posts to answer before their kill."""
    rng = random.Random(seed)
    sites = sites or [site]
    expected = {}
    calibration = []
    for i in range(5):
        _, code, seconds = post(program, site, f"calibrate-{i}", None)
        if code is None:
            raise SystemExit(f"kill.py: an unkilled post was not answered 303 ({site})")
        expected[f"calibrate-{i}"] = code
        calibration.append(seconds)
    median = statistics.median(calibration)

    delays = [rng.uniform(0, spread * median) for _ in range(count)]
    killed = 0
    with concurrent.futures.ThreadPoolExecutor(parallel) as pool:
        futures = {pool.submit(post, program, sites[i % len(sites)], f"kill-{i:04d}", delay): f"kill-{i:04d}"
                   for i, delay in enumerate(delays)}
        for future in concurrent.futures.as_completed(futures):
            was_killed, code, _ = future.result()
            killed += was_killed
            if code is not None:
                expected[futures[future]] = code

    _, code, _ = post(program, sites[-1], "after-kills", None)
    if code is not None:
        expected["after-kills"] = code
    summary = {"posts": count, "parallel": parallel, "median_post_ms": round(1000 * median, 1), "spread": spread,
               "killed": killed, "answered_303": len(expected) - len(calibration) - (code is not None),
               "post_after_kills_ok": code is not None}
    return summary, expected


def main():
    program, site, count, parallel, expect_file = sys.argv[1], sys.argv[2], int(sys.argv[3]), int(sys.argv[4]), sys.argv[5]
    summary, expected = run(program, site, count, parallel, int(sys.argv[6]) if len(sys.argv) > 6 else None)
    with open(expect_file, "w") as f:
        json.dump(expected, f)
    json.dump(summary, sys.stdout)
    sys.exit(0 if summary["post_after_kills_ok"] else 1)


if __name__ == "__main__":
    main()
