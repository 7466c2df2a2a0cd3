"""Plain HTTP requests, as a browser without script (or a bot) sends them: no redirects followed,
so the handler's 303s can be checked."""

from __future__ import annotations

import secrets
import urllib.error
import urllib.parse
import urllib.request
from dataclasses import dataclass
from email.message import Message


@dataclass(frozen=True)
class Response:
    status: int
    headers: Message
    body: bytes

    @property
    def text(self) -> str:
        return self.body.decode("utf-8", errors="replace")

    def header(self, name: str) -> str:
        return self.headers.get(name, "")

    def __repr__(self) -> str:
        # Assertion messages show this: the status and the start of the page, not every byte.
        return f"<{self.status} {self.header('Content-Type')} {self.text[:200]!r}...>"


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


_opener = urllib.request.build_opener(_NoRedirect)


def request(method: str, url: str, body: bytes | None = None, content_type: str | None = None) -> Response:
    headers = {"Accept-Language": "ja"}
    if content_type:
        headers["Content-Type"] = content_type
    req = urllib.request.Request(url, data=body, method=method, headers=headers)
    try:
        with _opener.open(req, timeout=30) as response:
            return Response(response.status, response.headers, response.read())
    except urllib.error.HTTPError as error:
        return Response(error.code, error.headers, error.read())


def get(url: str) -> Response:
    return request("GET", url)


def post_form(url: str, pairs: list[tuple[str, str]]) -> Response:
    body = urllib.parse.urlencode(pairs).encode("ascii")
    return request("POST", url, body, "application/x-www-form-urlencoded")


def post_multipart(url: str, fields: list[tuple[str, str]], files: list[tuple[str, str, str, bytes]]) -> Response:
    """`files` are (field name, file name, content type, bytes)."""
    boundary = "----e2e" + secrets.token_hex(12)
    parts: list[bytes] = []
    for name, value in fields:
        parts.append(f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"\r\n\r\n'.encode()
                     + value.encode() + b"\r\n")
    for name, filename, content_type, data in files:
        parts.append(f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"; filename="{filename}"\r\n'
                     f"Content-Type: {content_type}\r\n\r\n".encode() + data + b"\r\n")
    body = b"".join(parts) + f"--{boundary}--\r\n".encode()
    return request("POST", url, body, f"multipart/form-data; boundary={boundary}")
