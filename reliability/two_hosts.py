"""Two web hosts, one PostgreSQL store (issue 17, docs/scaling.md): the checks, as markdown lines.

    python3 two_hosts.py --urls URL_A,URL_B --sites SITE_A,SITE_B --cgi KAITORI_CGI --kaitori KAITORI
                         --db postgresql:CONNINFO [--posts 1000] [--clients 32] [--kills 100]
                         [--parallel 4] [--seed N]

URL_A and URL_B are the handlers' apply URLs on the two web servers (`http://127.0.0.1:PORT/cgi-bin/
kaitori/apply`); SITE_A and SITE_B their shop folders, both with the same `store:`. Checks:

1. load.py: POSTS applications from CLIENTS clients split across both hosts: every post a 303 with
   its own code, no 5xx; check_store.py: exactly POSTS cases, each whole, each under its code.
2. Across hosts: an application posted on host A; its status page answered by host B (rendered
   from the store); a staff step (cancel) run with host B's folder shows on host A's page.
3. kill.py: KILLS posts to kaitori-cgi, alternately with either host's folder, SIGKILLed at random
   moments: every post answered 303 is stored whole.

Prints one markdown line per check ("- ..." or "- **FAILED**: ...") and exits 1 when any failed.
"""
import argparse
import http.client
import os
import re
import subprocess
import sys
import urllib.parse

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "bench", "lib"))
import check_store  # noqa: E402
import forms  # noqa: E402
import kill  # noqa: E402
import load  # noqa: E402

failures = 0
passes = 0


def result(ok, text):
    global failures, passes
    if ok:
        passes += 1
    else:
        failures += 1
    print(f"- {text}" if ok else f"- **FAILED**: {text}", flush=True)


def request(url, method="GET", body=None, headers=None):
    target = urllib.parse.urlsplit(url)
    connection = http.client.HTTPConnection(target.hostname, target.port, timeout=60)
    connection.request(method, target.path, body=body, headers=headers or {})
    response = connection.getresponse()
    text = response.read().decode("utf-8", "replace")
    connection.close()
    return response.status, response.getheader("Location") or "", text


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--urls", required=True)
    parser.add_argument("--sites", required=True)
    parser.add_argument("--cgi", required=True)
    parser.add_argument("--kaitori", required=True)
    parser.add_argument("--db", required=True)
    parser.add_argument("--posts", type=int, default=1000)
    parser.add_argument("--clients", type=int, default=32)
    parser.add_argument("--kills", type=int, default=100)
    parser.add_argument("--parallel", type=int, default=4)
    parser.add_argument("--seed", type=int)
    args = parser.parse_args()
    urls, sites = args.urls.split(","), args.sites.split(",")
    db = check_store.connect(args.db)

    # 1. Load across both hosts.
    summary = load.run(urls, args.posts, args.clients)
    statuses = ", ".join(f"{n} × {k}" for k, n in sorted(summary["statuses"].items()))
    per_host = ", ".join(f"{n} on host {'AB'[urls.index(u)]}" for u, n in sorted(summary["per_url"].items()))
    result(not summary["problems"] and len(summary["per_url"]) == len(urls),
           f"answers: {statuses} ({per_host}) in {summary['seconds']} s (p50 {summary['latency_p50_ms']} ms, "
           f"p99 {summary['latency_p99_ms']} ms){'; ' + '; '.join(summary['problems'][:3]) if summary['problems'] else ''}")
    result(summary["server_errors"] == 0, f"5xx answers: {summary['server_errors']}")
    result(summary["unique_codes"] == args.posts, f"unique case codes: {summary['unique_codes']} of {args.posts}")
    stored = check_store.check(args.db, expect=summary["codes"], count=args.posts, items=3)
    duplicates = db.execute("SELECT count(*) - count(DISTINCT submission_id) FROM cases").fetchone()[0]
    result(not stored["problems"] and duplicates == 0,
           f"store: {stored['cases']} cases, {duplicates} duplicates, each whole (customer, 3 declared items, history, "
           f"event, 2 queued messages), every 303 stored under its code"
           + (f"; {stored['problems']}" if stored["problems"] else ""))

    # 2. Across hosts.
    status, location, _ = request(urls[0], "POST", forms.application("cross-host"),
                                  {"Content-Type": "application/x-www-form-urlencoded"})
    match = re.search(r"/applied/(\S{4}-\S{4})$", location)
    code = match.group(1) if match else None
    row = db.execute(f"SELECT status_token FROM cases WHERE code = '{code}'").fetchone() if code else None
    token = row[0] if row else None
    base_b = urllib.parse.urlsplit(urls[1])
    page_b = f"http://{base_b.netloc}/status/{token}/"
    answered = request(page_b) if token else (0, "", "")
    result(status == 303 and answered[0] == 200 and code in answered[2],
           f"applied on host A ({status}, {code}); its status page /status/…/ answered by host B: {answered[0]}, "
           f"{'showing' if code and code in answered[2] else 'not showing'} the case")
    step = subprocess.run([args.kaitori, "case", "cancel", code or "-", "--site", sites[1], "--by", "two-hosts"],
                          capture_output=True, text=True)
    base_a = urllib.parse.urlsplit(urls[0])
    page_a = request(f"http://{base_a.netloc}/status/{token}/") if token else (0, "", "")
    moved = db.execute(f"SELECT status FROM cases WHERE code = '{code}'").fetchone() if code else None
    result(step.returncode == 0 and moved and moved[0] == "canceled" and page_a[0] == 200
           and page_a[2] != answered[2],
           f"`kaitori case cancel` with host B's folder: exit {step.returncode}, stored as {moved[0] if moved else None}; "
           f"host A's status page for the case at the next request: {page_a[0]}, {'changed' if page_a[2] != answered[2] else 'unchanged'}"
           + (f" ({step.stderr.strip()[:200]})" if step.returncode else ""))

    # 3. SIGKILL mid-post, handlers of both hosts.
    before = db.execute("SELECT coalesce(max(id), 0) FROM cases").fetchone()[0]
    killed, expected = kill.run(args.cgi, sites[0], args.kills, args.parallel, args.seed, sites=sites, spread=4)
    after = check_store.check(args.db, expect=expected, items=3, after_id=before)
    stored = after["cases"]
    answered_303 = killed["answered_303"]
    result(not after["problems"] and killed["post_after_kills_ok"] and answered_303 > 0,
           f"SIGKILL: {killed['killed']} of {args.kills} posts (both hosts' folders, {args.parallel} at a time) killed "
           f"at a random moment up to 4× the median post ({killed['median_post_ms']} ms), {answered_303} answered 303 first; stored {stored} (with 5 calibration posts and the post "
           f"after the kills), every 303 among them, 0 half-stored; the post after the kills: "
           f"{'303' if killed['post_after_kills_ok'] else 'failed'}" + (f"; {after['problems']}" if after["problems"] else ""))
    sys.exit(1 if failures else 0)


if __name__ == "__main__":
    main()
