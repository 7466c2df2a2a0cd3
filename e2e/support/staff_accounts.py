"""Staff console accounts for the browser and web-server tests: `kaitori staff add` run as the
handler's user, and plain requests to the console that carry its cookies."""

from __future__ import annotations

import re
import secrets
import subprocess
import urllib.error
import urllib.parse
import urllib.request
from dataclasses import dataclass

from support.shop import CommandFailed, Shop
from support.web import Response, _opener

CONSOLE = "/staff"
SESSION_COOKIE = "kaitori_staff"
LOGIN_COOKIE = "kaitori_staff_login"


@dataclass(frozen=True)
class StaffAccount:
    name: str
    role: str
    password: str


def add_staff_account(shop: Shop, role: str = "staff", name: str | None = None,
                      password: str | None = None) -> StaffAccount:
    """Creates an account with `kaitori staff add NAME --role ROLE --password-stdin`. The name
    and password are random unless given (names must be unique in a shop)."""
    account = StaffAccount(name=name or f"e2e-{role}-{secrets.token_hex(4)}", role=role,
                           password=password or "e2e-" + secrets.token_urlsafe(12))
    command = [str(shop.kaitori), "staff", "add", account.name, "--role", role, "--password-stdin",
               "--site", str(shop.site)]
    result = subprocess.run(shop.prefix + command, input=account.password + "\n", capture_output=True,
                            text=True, timeout=120)
    if result.returncode != 0:
        raise CommandFailed(f"`kaitori staff add {account.name}` exited {result.returncode}: {result.stderr.strip()}")
    return account


def console_request(method: str, url: str, cookies: dict[str, str] | None = None,
                    form: list[tuple[str, str]] | None = None) -> Response:
    """One request without following redirects, with these cookies (no cookie jar)."""
    headers = {"Accept-Language": "ja"}
    if cookies:
        headers["Cookie"] = "; ".join(f"{name}={value}" for name, value in cookies.items())
    body = None
    if form is not None:
        body = urllib.parse.urlencode(form).encode("ascii")
        headers["Content-Type"] = "application/x-www-form-urlencoded"
    req = urllib.request.Request(url, data=body, method=method, headers=headers)
    try:
        with _opener.open(req, timeout=30) as response:
            return Response(response.status, response.headers, response.read())
    except urllib.error.HTTPError as error:
        return Response(error.code, error.headers, error.read())


def set_cookie(response: Response, name: str) -> str | None:
    """The whole `Set-Cookie` line for a cookie, or None."""
    for line in response.headers.get_all("Set-Cookie") or []:
        if line.startswith(name + "="):
            return line
    return None


def cookie_value(response: Response, name: str) -> str | None:
    line = set_cookie(response, name)
    return line.split(";", 1)[0].split("=", 1)[1] if line else None


def log_in(base_url: str, account: StaffAccount, otp: str = "") -> Response:
    """Logs in through the console's login page as a browser without script does (GET the form,
    POST it back with its token); a 303 with a session cookie on success."""
    page = console_request("GET", base_url + CONSOLE + "/login")
    assert page.status == 200, f"GET {CONSOLE}/login: {page!r}"
    token = cookie_value(page, LOGIN_COOKIE)
    assert token and re.search(r'name="csrf_token" value="' + re.escape(token) + '"', page.text), "login form without its token"
    return console_request("POST", base_url + CONSOLE + "/login", cookies={LOGIN_COOKIE: token},
                           form=[("csrf_token", token), ("user", account.name), ("password", account.password),
                                 ("otp", otp)])
