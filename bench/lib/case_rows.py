"""Every stored row of one case, as comparable text, for bench/run.sh's check that each program
of the benchmark stores the same thing for the same application.

    python3 case_rows.py DB SUBMISSION_ID
    python3 case_rows.py --common PREFIX DB...   the first submission id starting with PREFIX
                                                 that every DB holds (wrk-driven runs)

Prints the case's rows in cases, customers, declared_items, items, history, events and outbox,
one line per row and column, in row order. What differs by nature between two posts of the same
application is replaced by a placeholder: row ids and foreign keys, times, the case code and the
status token (both random), also inside texts such as a message body. A missing status token,
a missing row or any other difference shows up in a diff.
"""
import sqlite3
import sys

TIMES = {"created_at", "updated_at", "at", "next_attempt_at"}
IDS = {"id", "case_id"}
TABLES = ["customers", "declared_items", "items", "history", "events", "outbox"]


def common(prefix, paths):
    shared = None
    for path in paths:
        db = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
        ids = {row[0] for row in db.execute("SELECT submission_id FROM cases WHERE substr(submission_id, 1, ?) = ?",
                                            (len(prefix), prefix))}
        shared = ids if shared is None else shared & ids
    if not shared:
        sys.exit(f"case_rows.py: no submission id starting with {prefix} in all of {' '.join(paths)}")
    print(min(shared))


def main():
    if len(sys.argv) >= 4 and sys.argv[1] == "--common":
        common(sys.argv[2], sys.argv[3:])
        return
    if len(sys.argv) != 3:
        sys.exit("usage: case_rows.py DB SUBMISSION_ID")
    db = sqlite3.connect(f"file:{sys.argv[1]}?mode=ro", uri=True)
    db.row_factory = sqlite3.Row
    case = db.execute("SELECT * FROM cases WHERE submission_id = ?", (sys.argv[2],)).fetchone()
    if case is None:
        sys.exit(f"case_rows.py: {sys.argv[1]}: no case with submission_id {sys.argv[2]}")
    code, token = case["code"], case["status_token"]

    def shown(name, value):
        if name in IDS:
            return "<id>"
        if name in TIMES and value is not None:
            return "<time>"
        if isinstance(value, str):
            if code:
                value = value.replace(code, "<code>")
            if token:
                value = value.replace(token, "<status_token>")
        return repr(value)

    def emit(table, row):
        for name in row.keys():
            print(f"{table}.{name} = {shown(name, row[name])}")

    emit("cases", case)
    for table in TABLES:
        rows = db.execute(f"SELECT * FROM {table} WHERE case_id = ? ORDER BY rowid", (case["id"],)).fetchall()
        print(f"{table}: {len(rows)} rows")
        for row in rows:
            emit(table, row)


if __name__ == "__main__":
    main()
