"""Checks a shop database after a reliability test: SQLite's own integrity and foreign-key checks,
then that every case created by an application post is whole, i.e. it has its customer row, its
declared items, its history row, its shop event and its two queued messages (customer and shop),
which the handler writes in one transaction with the case, and that no such row exists without
its case.

    python3 check_store.py DB [--expect FILE] [--count N] [--items N] [--after-id ID]

DB is a SQLite file, or a PostgreSQL store as `postgresql:` followed by libpq connection keywords
(`postgresql:host=/run/pgbouncer port=6432 dbname=kaitori user=kaitori`, the password in
PGPASSWORD or PGPASSFILE), read through `psql`; PostgreSQL checks its own integrity and foreign
keys on every write, so only SQLite's checks are run for a file.

--expect names a JSON object {submission_id: case code} of posts that were answered 303: each
must be stored under that code. --count is the exact number of cases expected; --items the number
of declared items every case has; --after-id leaves out the cases up to that id (seeded by SQL,
not created by a post). Prints a JSON summary; exit status 1 when any check fails.
"""
import argparse
import json
import sqlite3
import subprocess
import sys


class Postgres:
    """The few calls of sqlite3's connection this script makes, through psql (no driver needed)."""

    def __init__(self, conninfo):
        self.conninfo = conninfo

    def execute(self, sql, params=()):
        for value in params:
            sql = sql.replace("?", str(int(value)), 1)
        output = subprocess.run(["psql", "-X", "-q", "-A", "-t", "-F", "\t", "-v", "ON_ERROR_STOP=1",
                                 "-d", self.conninfo, "-c", sql],
                                check=True, capture_output=True, text=True).stdout
        return Rows([tuple(int(f) if f.lstrip("-").isdigit() else (f or None) for f in line.split("\t"))
                     for line in output.splitlines()])


class Rows(list):
    def fetchall(self):
        return self

    def fetchone(self):
        return self[0] if self else None


def connect(db):
    if db.startswith("postgresql:"):
        return Postgres(db[len("postgresql:"):])
    return sqlite3.connect(db, timeout=30)


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("db")
    parser.add_argument("--expect")
    parser.add_argument("--count", type=int)
    parser.add_argument("--items", type=int)
    parser.add_argument("--after-id", type=int, default=0)
    summary = check(**vars(parser.parse_args()))
    json.dump(summary, sys.stdout)
    sys.exit(1 if summary["problems"] else 0)


def check(db, expect=None, count=None, items=None, after_id=0):
    """The checks; returns the summary (its "problems" empty when all passed)."""
    args = argparse.Namespace(db=db, expect=expect, count=count, items=items, after_id=after_id)
    db = connect(args.db)
    problems = []
    if isinstance(db, Postgres):
        integrity = ["ok"]
    else:
        integrity = [row[0] for row in db.execute("PRAGMA integrity_check")]
        if integrity != ["ok"]:
            problems.append(f"integrity_check: {integrity[:5]}")
        foreign = db.execute("PRAGMA foreign_key_check").fetchall()
        if foreign:
            problems.append(f"foreign_key_check: {foreign[:5]}")

    parts = {
        "customer": "SELECT count(*) FROM customers WHERE case_id = c.id",
        "declared_items": "SELECT count(*) FROM declared_items WHERE case_id = c.id",
        "history": "SELECT count(*) FROM history WHERE case_id = c.id AND from_status IS NULL AND to_status = 'received'",
        "event": "SELECT count(*) FROM events WHERE case_id = c.id AND kind = 'application'",
        "messages": "SELECT count(*) FROM outbox WHERE case_id = c.id AND event IN ('application_received', 'shop_application')",
    }
    # One query for every case and its parts (the same SQL for both engines).
    counted = ", ".join(f"({sql}) AS {name}" for name, sql in parts.items())
    cases = db.execute(f"SELECT c.id, c.code, c.submission_id, {counted} FROM cases c WHERE c.id > ? ORDER BY c.id",
                       (args.after_id,)).fetchall()
    by_submission = {row[2]: row[1] for row in cases if row[2]}
    wanted = {"customer": 1, "history": 1, "event": 1, "messages": 2}
    if args.items is not None:
        wanted["declared_items"] = args.items
    half_stored = []
    for case_id, code, _, *numbers in cases:
        found = dict(zip(parts, numbers))
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
        if isinstance(args.expect, dict):
            expected = args.expect
        else:
            with open(args.expect) as f:
                expected = json.load(f)
        for submission, code in expected.items():
            if by_submission.get(submission) != code:
                lost.append(f"{submission} answered 303 with {code}, stored as {by_submission.get(submission)}")
        if lost:
            problems.append(f"{len(lost)} posts answered 303 but not stored, e.g. {lost[:5]}")
    if args.count is not None and len(cases) != args.count:
        problems.append(f"{len(cases)} cases stored, expected {args.count}")

    return {"integrity": integrity[0] if len(integrity) == 1 else integrity[:5], "cases": len(cases),
            "half_stored": len(half_stored), "lost": len(lost), "problems": problems}


if __name__ == "__main__":
    main()
