"""Checks a shop database after a reliability test: SQLite's own integrity and foreign-key checks,
then that every case created by an application post is whole, i.e. it has its customer row, its
declared items, its history row, its shop event and its two queued messages (customer and shop),
which the handler writes in one transaction with the case, and that no such row exists without
its case.

    python3 check_store.py DB [--expect FILE] [--count N] [--items N] [--after-id ID]

--expect names a JSON object {submission_id: case code} of posts that were answered 303: each
must be stored under that code. --count is the exact number of cases expected; --items the number
of declared items every case has; --after-id leaves out the cases up to that id (seeded by SQL,
not created by a post). Prints a JSON summary; exit status 1 when any check fails.
"""
import argparse
import json
import sqlite3
import sys


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("db")
    parser.add_argument("--expect")
    parser.add_argument("--count", type=int)
    parser.add_argument("--items", type=int)
    parser.add_argument("--after-id", type=int, default=0)
    args = parser.parse_args()

    db = sqlite3.connect(args.db, timeout=30)
    problems = []
    integrity = [row[0] for row in db.execute("PRAGMA integrity_check")]
    if integrity != ["ok"]:
        problems.append(f"integrity_check: {integrity[:5]}")
    foreign = db.execute("PRAGMA foreign_key_check").fetchall()
    if foreign:
        problems.append(f"foreign_key_check: {foreign[:5]}")

    cases = db.execute("SELECT id, code, submission_id FROM cases WHERE id > ?", (args.after_id,)).fetchall()
    by_submission = {submission: code for _, code, submission in cases if submission}
    parts = {
        "customer": "SELECT count(*) FROM customers WHERE case_id = ?",
        "declared_items": "SELECT count(*) FROM declared_items WHERE case_id = ?",
        "history": "SELECT count(*) FROM history WHERE case_id = ? AND from_status IS NULL AND to_status = 'received'",
        "event": "SELECT count(*) FROM events WHERE case_id = ? AND kind = 'application'",
        "messages": "SELECT count(*) FROM outbox WHERE case_id = ? AND event IN ('application_received', 'shop_application')",
    }
    wanted = {"customer": 1, "history": 1, "event": 1, "messages": 2}
    if args.items is not None:
        wanted["declared_items"] = args.items
    half_stored = []
    for case_id, code, _ in cases:
        found = {name: db.execute(sql, (case_id,)).fetchone()[0] for name, sql in parts.items()}
        wrong = [f"{name}={found[name]}" for name in parts
                 if (found[name] != wanted[name] if name in wanted else found[name] < 1)]
        if wrong:
            half_stored.append(f"{code}: {', '.join(wrong)}")
    if half_stored:
        problems.append(f"{len(half_stored)} half-stored cases, e.g. {half_stored[:5]}")

    # Rows of a transaction that did not commit must not survive on their own either.
    stray = {table: db.execute(f"SELECT count(*) FROM {table} WHERE case_id IS NULL OR case_id NOT IN (SELECT id FROM cases)").fetchone()[0]
             for table in ("customers", "declared_items", "history", "events", "outbox")}
    if any(stray.values()):
        problems.append(f"rows belonging to no case: {stray}")

    lost = []
    if args.expect:
        with open(args.expect) as f:
            expected = json.load(f)
        for submission, code in expected.items():
            if by_submission.get(submission) != code:
                lost.append(f"{submission} answered 303 with {code}, stored as {by_submission.get(submission)}")
        if lost:
            problems.append(f"{len(lost)} posts answered 303 but not stored, e.g. {lost[:5]}")
    if args.count is not None and len(cases) != args.count:
        problems.append(f"{len(cases)} cases stored, expected {args.count}")

    json.dump({"integrity": integrity[0] if len(integrity) == 1 else integrity[:5], "cases": len(cases),
               "half_stored": len(half_stored), "lost": len(lost), "problems": problems}, sys.stdout)
    sys.exit(1 if problems else 0)


if __name__ == "__main__":
    main()
