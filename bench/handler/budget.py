#!/usr/bin/env python3
"""Where one application post's instructions go, phase by phase, from a callgrind profile that
bench/handler/callgrind.sh wrote for kaitori-cgi (optionally against the floor's profile).

Each phase is the inclusive count of the function that does it (callgrind_annotate), so the
phases add up to the post less what no phase names; "before main" is the process's total less
main's (the C library's and the Swift runtime's start-up). The function names are Swift's mangled
names: a phase whose function was renamed is reported as not found rather than as zero.

Usage: bench/handler/budget.py KAITORI.callgrind [FLOOR.callgrind]
Needs: valgrind (callgrind_annotate).
"""
import re
import subprocess
import sys

# (label, mangled-name prefix of the function whose inclusive count is the phase; a trailing $
# asks for the whole name)
PHASES = [
    ("read var/site.json (settings, message templates)", "$s9SitePages09PublishedA0V4load4site"),
    ("read the form", "$s3CGI10CGIRequestV8readForm"),
    ("check the application", "$s11KaitoriCore20ApplicationValidatorV8validate"),
    ("open the store (SQLite reads its schema)", "$s11KaitoriCore9CaseStoreC4open4site"),
    ("store the case (transaction, messages included)", "$s11KaitoriCore9CaseStoreC6create_8settings"),
    # Notifications' private queue(_:for:in:context:) and queueShop(_:for:in:context:): the first
    # also makes the context both messages share.
    ("  of which: the customer's message", "$s11KaitoriCore13NotificationsV5queue0"),
    ("  of which: the shop's message", "$s11KaitoriCore13NotificationsV9queueShop0"),
    ("  of which: parsing message templates", "$s8Mustache8TemplateV6source4name"),
    ("answer 303", "$s3CGI11CGIResponseV8redirect"),
    ("close the store", "$s11KaitoriCore8DatabaseCfD"),
]
RUNTIME = [
    ("Swift generic metadata made at run time (across phases)", "_swift_getGenericMetadata("),
    ("Swift types looked up by mangled name (across phases)", "swift_getTypeByMangledName$"),
]


def inclusive(profile):
    """Largest inclusive count per function name (a function is listed once per source file)."""
    out = subprocess.run(["callgrind_annotate", "--inclusive=yes", "--auto=no", "--threshold=100", profile],
                         capture_output=True, text=True, check=True).stdout
    counts, total = {}, None
    for line in out.splitlines():
        m = re.match(r"\s*([\d,]+) \([ \d.]+%\)\s+(.*)$", line)
        if not m:
            continue
        value, rest = int(m.group(1).replace(",", "")), m.group(2)
        if rest.startswith("PROGRAM TOTALS"):
            total = value
            continue
        name = rest.split(":", 1)[1] if ":" in rest else rest
        name = re.sub(r" \[.*\]$", "", name)
        if re.search(r"'\d+$", name):
            continue  # a recursive call's count is inside the outer one's
        counts[name] = max(counts.get(name, 0), value)
    if total is None:
        sys.exit(f"budget.py: {profile} has no program total")
    return total, counts


def find(counts, prefix):
    if prefix.endswith("$"):
        return counts.get(prefix[:-1])
    found = [v for name, v in counts.items() if name.startswith(prefix)]
    return max(found) if found else None


def main():
    if len(sys.argv) not in (2, 3):
        sys.exit(next(p for p in __doc__.split("\n\n") if p.startswith("Usage:")))
    total, counts = inclusive(sys.argv[1])
    floor = inclusive(sys.argv[2])[0] if len(sys.argv) == 3 else None
    # The program's main (Swift names the CGI program's own entry point after its module).
    main_count = find(counts, "kaitori_cgi_main$") or find(counts, "main$")
    rows = [("whole post", total)]
    if main_count is not None:
        rows.append(("before main (C library and Swift runtime start-up)", total - main_count))
    rows += [(label, find(counts, prefix)) for label, prefix in PHASES + RUNTIME]
    width = max(len(label) for label, _ in rows)
    head = f"{'':{width}}  instructions" + ("   share of the floor's post" if floor else "")
    print(head)
    for label, value in rows:
        if value is None:
            print(f"{label:{width}}  not found (renamed?)")
            continue
        share = f"   {value / floor * 100:5.1f} %" if floor else ""
        print(f"{label:{width}}  {value:12,}{share}")
    if floor:
        print(f"{'the floor, whole post':{width}}  {floor:12,}   100.0 %")


if __name__ == "__main__":
    main()
