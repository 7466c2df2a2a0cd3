"""Posts COUNT applications to a running web server from CLIENTS concurrent clients and checks
every answer: each must be a 303 to the applied page of a new case code, and no two posts may get
the same code. Prints one JSON summary on stdout; exit status 1 when any check fails.

    python3 load.py URL[,URL...] COUNT CLIENTS

With several URLs (several web hosts on one store) the clients are split across them, client i
posting to URL i mod n, and "per_url" counts the posts each answered 303.

Each post carries its own submission_id, as the form does, so each must create its own case.
"""
import collections
import http.client
import json
import os
import re
import sys
import threading
import time
import urllib.parse

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "bench", "lib"))
import forms  # noqa: E402

CODE = re.compile(r"/applied/([2-9A-HJKMNP-Z]{4}-[2-9A-HJKMNP-Z]{4})$")


def run(urls, count, clients):
    """The posts and their checks; returns the summary (its "problems" empty when all passed)."""
    lock = threading.Lock()
    next_index = [0]
    statuses = collections.Counter()
    codes = {}
    problems = []
    latencies = []
    per_url = collections.Counter()

    def worker(url):
        target = urllib.parse.urlsplit(url)
        connection = http.client.HTTPConnection(target.hostname, target.port, timeout=60)
        while True:
            with lock:
                index = next_index[0]
                if index >= count:
                    break
                next_index[0] += 1
            body = forms.application(f"load-{index:06d}")
            start = time.monotonic()
            try:
                connection.request("POST", target.path, body=body,
                                   headers={"Content-Type": "application/x-www-form-urlencoded"})
                response = connection.getresponse()
                response.read()
                location = response.getheader("Location") or ""
                status = response.status
            except (OSError, http.client.HTTPException) as error:
                connection.close()
                connection = http.client.HTTPConnection(target.hostname, target.port, timeout=60)
                status, location = f"error: {error.__class__.__name__}", ""
            elapsed = time.monotonic() - start
            with lock:
                statuses[str(status)] += 1
                latencies.append(elapsed)
                match = CODE.search(location)
                if status != 303 or not match:
                    problems.append(f"post {index}: status {status}, Location {location!r}")
                else:
                    codes[f"load-{index:06d}"] = match.group(1)
                    per_url[url] += 1
        connection.close()

    start = time.monotonic()
    threads = [threading.Thread(target=worker, args=(urls[i % len(urls)],)) for i in range(clients)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    seconds = time.monotonic() - start

    unique = len(set(codes.values()))
    if unique != len(codes):
        problems.append(f"{len(codes) - unique} case codes were given to more than one post")
    latencies.sort()
    summary = {
        "posts": count,
        "clients": clients,
        "seconds": round(seconds, 2),
        "statuses": dict(statuses),
        "server_errors": sum(n for s, n in statuses.items() if s.startswith("5")),
        "unique_codes": unique,
        "latency_p50_ms": round(1000 * latencies[len(latencies) // 2], 1),
        "latency_p99_ms": round(1000 * latencies[min(len(latencies) - 1, int(len(latencies) * 0.99))], 1),
        "latency_max_ms": round(1000 * latencies[-1], 1) if latencies else 0,
        "per_url": dict(per_url),
        "codes": codes,
        "problems": problems[:20],
    }
    return summary


def main():
    summary = run(sys.argv[1].split(","), int(sys.argv[2]), int(sys.argv[3]))
    json.dump(summary, sys.stdout)
    sys.exit(1 if summary["problems"] else 0)


if __name__ == "__main__":
    main()
