"""What e2e/run.sh started, as the tests see it (the E2E_* environment variables)."""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path


@dataclass(frozen=True)
class Server:
    """One web server in front of the same shop."""

    name: str
    url: str
    log_dir: Path


@dataclass(frozen=True)
class Environment:
    site: Path
    kaitori: Path
    run_as: str | None
    servers: dict[str, Server]
    artifacts: Path
    # Where the stand-in for sendmail keeps each message the shop sends.
    mail: Path

    @property
    def main(self) -> Server:
        """The server the browser tests use (shop.yml's base_url points at it)."""
        return self.servers["lighttpd"]

    @classmethod
    def load(cls) -> Environment:
        missing = [name for name in ("E2E_SITE", "E2E_KAITORI", "E2E_LIGHTTPD_URL", "E2E_ARTIFACTS")
                   if not os.environ.get(name)]
        if missing:
            raise RuntimeError(f"{', '.join(missing)} not set: run these tests with e2e/run.sh")
        log_root = Path(os.environ.get("E2E_LOG_DIR", "/nonexistent"))
        servers = {}
        for name in ("lighttpd", "apache", "nginx"):
            url = os.environ.get(f"E2E_{name.upper()}_URL")
            if url:
                servers[name] = Server(name=name, url=url.rstrip("/"), log_dir=log_root / name)
        return cls(
            site=Path(os.environ["E2E_SITE"]),
            kaitori=Path(os.environ["E2E_KAITORI"]),
            run_as=os.environ.get("E2E_RUN_AS") or None,
            servers=servers,
            artifacts=Path(os.environ["E2E_ARTIFACTS"]),
            mail=Path(os.environ.get("E2E_MAIL_DIR", "/nonexistent")),
        )
