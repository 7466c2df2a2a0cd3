"""The shop's CLI (`kaitori ... --site DIR`), run as the same user as the handler."""

from __future__ import annotations

import json
import subprocess
from pathlib import Path
from typing import Any


class CommandFailed(AssertionError):
    """A kaitori command exited non-zero; the message carries its command line and stderr."""


class Shop:
    def __init__(self, kaitori: Path, site: Path, run_as: str | None):
        self.kaitori = kaitori
        self.site = site
        # As root the handler runs as www-data: running the CLI as root would leave SQLite's
        # journal files owned by root, and the next application would fail with 503.
        if run_as:
            user, group = run_as.split(":")
            self.prefix = ["setpriv", f"--reuid={user}", f"--regid={group}", "--init-groups", "--"]
        else:
            self.prefix = []

    def run(self, *args: str, check: bool = True) -> subprocess.CompletedProcess[str]:
        command = [str(self.kaitori), *args, "--site", str(self.site)]
        result = subprocess.run(self.prefix + command, capture_output=True, text=True, timeout=120)
        if check and result.returncode != 0:
            raise CommandFailed(
                f"`kaitori {' '.join(args)}` exited {result.returncode}\n"
                f"stdout: {result.stdout.strip()}\nstderr: {result.stderr.strip()}")
        return result

    def json(self, *args: str) -> Any:
        result = self.run(*args, "--json")
        try:
            return json.loads(result.stdout)
        except json.JSONDecodeError as error:
            raise CommandFailed(f"`kaitori {' '.join(args)} --json` printed no JSON ({error}): {result.stdout[:500]!r}")

    def case(self, code: str) -> dict[str, Any]:
        return self.json("case", "show", code)

    def cases(self) -> list[dict[str, Any]]:
        return self.json("case", "list")

    def codes(self) -> set[str]:
        return {entry["code"] for entry in self.cases()}
