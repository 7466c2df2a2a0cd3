"""The staff console (kaitori-staff at /staff) behind lighttpd, Apache and nginx + fcgiwrap, each
from its deploy/ template: the login page, a session cookie that works on the next request, the
redirect without one, 403 for files and posts without one, and logout."""

from __future__ import annotations

import re

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
