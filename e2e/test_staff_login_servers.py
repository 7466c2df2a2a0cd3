"""The staff console (kaitori-staff at /staff) behind lighttpd, Apache and nginx + fcgiwrap, each
from its deploy/ template: the login page, a session cookie that works on the next request, the
redirect without one, 403 for files and posts without one, and logout; the owner's bank-file
download, sent from a spool file in chunks, arriving whole."""

from __future__ import annotations

import re
import subprocess
import time
from pathlib import Path

import pytest

from support.environment import Environment, Server
from support.shop import Shop
from support.staff_accounts import (CONSOLE, SESSION_COOKIE, add_staff_account, console_request, cookie_value,
                                    log_in, set_cookie)


@pytest.fixture(params=["lighttpd", "apache", "nginx"])
def server(env: Environment, request: pytest.FixtureRequest) -> Server:
    assert request.param in env.servers, f"e2e/run.sh did not start {request.param}"
    return env.servers[request.param]


def local(location: str) -> str:
    return re.sub(r"^https?://[^/]+", "", location)


def test_console_login_and_logout(server: Server, shop: Shop) -> None:
    base = server.url
    anonymous = console_request("GET", base + CONSOLE + "/")
    assert anonymous.status == 303, f"{server.name}: {anonymous!r}"
    assert local(anonymous.header("Location")) == CONSOLE + "/login"
    assert console_request("GET", base + CONSOLE + "/cases/K7QX-3M9A/files/1").status == 403
    assert console_request("POST", base + CONSOLE + "/cases/K7QX-3M9A/confirm", form=[("csrf_token", "x")]).status == 403

    page = console_request("GET", base + CONSOLE + "/login")
    assert page.status == 200
    assert "frame-ancestors 'none'" in page.header("Content-Security-Policy")
    assert page.header("Cache-Control") == "no-store"

    account = add_staff_account(shop, role="staff")
    wrong = log_in(base, account.__class__(account.name, account.role, "not the password"))
    assert wrong.status == 403 and set_cookie(wrong, SESSION_COOKIE) is None

    login = log_in(base, account)
    assert login.status == 303, f"{server.name}: {login!r}"
    assert local(login.header("Location")) == CONSOLE + "/"
    cookie = set_cookie(login, SESSION_COOKIE)
    assert cookie and "HttpOnly" in cookie and "SameSite=Strict" in cookie and f"Path={CONSOLE}" in cookie
    session = cookie_value(login, SESSION_COOKIE)

    dashboard = console_request("GET", base + CONSOLE + "/", cookies={SESSION_COOKIE: session})
    assert dashboard.status == 200, f"{server.name}: {dashboard!r}"
    assert account.name in dashboard.text
    token = re.search(r'name="csrf_token" value="([0-9a-f]{64})"', dashboard.text)
    assert token, "the dashboard has no form with the session's csrf_token"

    logout = console_request("POST", base + CONSOLE + "/logout", cookies={SESSION_COOKIE: session},
                             form=[("csrf_token", token.group(1))])
    assert logout.status == 303
    assert console_request("GET", base + CONSOLE + "/", cookies={SESSION_COOKIE: session}).status == 303


ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture(scope="module")
def due_cases(shop: Shop) -> int:
    """1,000 purchased, unpaid bank-transfer cases added to the shop's store with the bench's SQL
    (as the handler's user): a bank file of about 120 KB, more than one 64 KiB chunk."""
    count = 1000
    shop.run("case", "list")  # the store exists, migrated
    database = shop.site / "var" / "kaitori.sqlite3"
    with open(ROOT / "bench" / "sql" / "purchased-cases.sql", "rb") as sql:
        subprocess.run(shop.prefix + ["sqlite3", "-batch", str(database), "-cmd", f".parameter set @count {count}",
                                      "-cmd", ".parameter set @first 0", "-cmd", f".parameter set @now {int(time.time())}"],
                       stdin=sql, check=True, capture_output=True, timeout=120)
    return count


def test_bank_file_download_arrives_whole(server: Server, shop: Shop, due_cases: int) -> None:
    owner = add_staff_account(shop, role="owner")
    login = log_in(server.url, owner)
    assert login.status == 303, f"{server.name}: {login!r}"
    session = {SESSION_COOKIE: cookie_value(login, SESSION_COOKIE)}
    page = console_request("GET", server.url + CONSOLE + "/payments", cookies=session)
    token = re.search(r'name="csrf_token" value="([0-9a-f]{64})"', page.text)
    assert page.status == 200 and token, f"{server.name}: {page!r}"

    download = console_request("POST", server.url + CONSOLE + "/payments/zengin", cookies=session,
                               form=[("csrf_token", token.group(1)), ("date", "1225"), ("include_exported", "1")])
    assert download.status == 200, f"{server.name}: {download!r}"
    assert download.header("Content-Type") == "application/octet-stream"
    assert re.match(r'attachment; filename="zengin-1225-batch[0-9]+\.txt"', download.header("Content-Disposition"))
    assert download.header("Cache-Control") == "no-store"
    # kaitori-staff gives the length; lighttpd and nginx pass it on, Apache sends the body chunked.
    assert download.header("Content-Length") in ("", str(len(download.body)))

    # The same cases through the CLI: the same bytes.
    written = shop.site / "var" / f"e2e-zengin-{server.name}.txt"
    shop.run("zengin", "export", "--date", "1225", "--include-exported", "-o", str(written))
    try:
        expected = written.read_bytes()
    finally:
        written.unlink()
    assert len(download.body) > 64 * 1024 and download.body == expected, \
        f"{server.name}: {len(download.body)} bytes downloaded, {len(expected)} written by the CLI"
    assert not [p.name for p in (shop.site / "var").iterdir() if "spool" in p.name]
