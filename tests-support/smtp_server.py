#!/usr/bin/env python3
"""A throwaway SMTP server for Kaitori's messaging tests (needs `pip install aiosmtpd`).

Listens on 127.0.0.1:PORT (0 picks a free port) and prints `READY <port>` once it accepts
connections. Every message it accepts is written to DIR as NNNN.json: the envelope, whether the
session used TLS and AUTH, the headers and body as Python's email package decodes them (RFC 2047
encoded-words, base64, charset), the defects it found, and the raw message. It stops when its
standard input closes (the test ended) or on SIGTERM.

    smtp_server.py --dir DIR [--port N] [--tls-cert PEM --tls-key PEM] [--auth USER:PASSWORD]
                   [--reject-rcpt ADDRESS]... [--inject-after-starttls] [--implicit-tls]

--inject-after-starttls plays a man in the middle who pipelines extra reply lines with the 220
answer to STARTTLS (before the TLS handshake), the attack of CVE-2011-0411: a client that keeps
those bytes and reads them as answers after the handshake is vulnerable. --implicit-tls speaks
TLS from the first byte (smtps).
"""
import argparse
import asyncio
import email
import email.policy
import email.utils
import json
import os
import ssl
import sys

from aiosmtpd.smtp import SMTP, AuthResult, LoginPassword


class Recorder:
    def __init__(self, directory, rejected):
        self.directory = directory
        self.rejected = set(rejected)
        self.count = 0

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        if address in self.rejected:
            return "550 5.1.1 <%s>: no such mailbox" % address
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):
        raw = envelope.original_content
        message = email.message_from_bytes(raw, policy=email.policy.default)
        defects = [str(d) for d in message.defects]
        headers = {}
        for name in ("From", "To", "Subject", "Date", "Message-ID", "MIME-Version",
                     "Content-Type", "Content-Transfer-Encoding"):
            value = message[name]
            if value is None:
                continue
            headers[name] = str(value)
            defects += ["%s: %s" % (name, d) for d in getattr(value, "defects", ())]
        sender = message["From"].addresses[0] if message["From"] else None
        date = message["Date"]
        record = {
            "mail_from": envelope.mail_from,
            "rcpt_tos": envelope.rcpt_tos,
            "tls": session.ssl is not None or server.transport.get_extra_info("sslcontext") is not None,
            "auth_user": session.auth_data if session.authenticated else None,
            "headers": headers,
            "from_name": sender.display_name if sender else None,
            "from_address": sender.addr_spec if sender else None,
            "date_unix": int(date.datetime.timestamp()) if date is not None and date.datetime else None,
            "content_type": message.get_content_type(),
            "charset": message.get_content_charset(),
            "body": message.get_content(),
            "defects": defects,
            "raw": raw.decode("ascii", errors="replace"),
        }
        self.count += 1
        path = os.path.join(self.directory, "%04d.json" % self.count)
        with open(path + ".tmp", "w", encoding="utf-8") as f:
            json.dump(record, f, ensure_ascii=False)
        os.rename(path + ".tmp", path)
        return "250 OK queued as %d" % self.count


class InjectingSMTP(SMTP):
    """Sends plaintext lines right behind its 220 reply to STARTTLS."""

    async def push(self, status):
        if status.startswith("220") and getattr(self, "_starttls_pending", False):
            status += "\r\n250-kaitori-test injected\r\n250 AUTH PLAIN LOGIN"
            self._starttls_pending = False
        await super().push(status)

    async def smtp_STARTTLS(self, arg):
        self._starttls_pending = True
        await super().smtp_STARTTLS(arg)


def authenticator(expected):
    user, _, password = expected.partition(":")

    def check(server, session, envelope, mechanism, auth_data):
        ok = isinstance(auth_data, LoginPassword) and auth_data.login.decode() == user \
            and auth_data.password.decode() == password
        return AuthResult(success=ok, handled=False, auth_data=user if ok else None)
    return check


async def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--dir", required=True)
    parser.add_argument("--port", type=int, default=0)
    parser.add_argument("--tls-cert")
    parser.add_argument("--tls-key")
    parser.add_argument("--auth")
    parser.add_argument("--reject-rcpt", action="append", default=[])
    parser.add_argument("--inject-after-starttls", action="store_true")
    parser.add_argument("--implicit-tls", action="store_true")
    args = parser.parse_args()

    options = {}
    server_ssl = None
    if args.tls_cert:
        context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
        context.load_cert_chain(args.tls_cert, args.tls_key)
        if args.implicit_tls:
            server_ssl = context
        else:
            options.update(tls_context=context, require_starttls=True)
    if args.auth:
        options.update(authenticator=authenticator(args.auth), auth_required=True, auth_require_tls=False)
    handler = Recorder(args.dir, args.reject_rcpt)
    loop = asyncio.get_running_loop()
    kind = InjectingSMTP if args.inject_after_starttls else SMTP
    server = await loop.create_server(lambda: kind(handler, hostname="kaitori-test", **options),
                                      host="127.0.0.1", port=args.port, ssl=server_ssl)
    print("READY %d" % server.sockets[0].getsockname()[1], flush=True)
    await loop.run_in_executor(None, sys.stdin.read)
    server.close()


if __name__ == "__main__":
    asyncio.run(main())
