"""axe-core run inside the page. The script comes from the axe-core-python wheel (PyPI), which
bundles axe.min.js, so the audit needs no network and no Node."""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from pathlib import Path

import axe_core_python
from selenium.webdriver.remote.webdriver import WebDriver
from selenium.webdriver.support.ui import WebDriverWait

AXE_SCRIPT = (Path(axe_core_python.__file__).parent / "axe.min.js").read_text(encoding="utf-8")


@dataclass(frozen=True)
class Violation:
    page: str
    url: str
    rule: str
    impact: str
    help: str
    targets: tuple[str, ...]
    html: tuple[str, ...]

    def describe(self) -> str:
        lines = [f"{self.page} ({self.url}): {self.rule} [{self.impact}] {self.help}"]
        for target, html in zip(self.targets, self.html):
            lines.append(f"    {target}: {html}")
        return "\n".join(lines)


def axe_version(driver: WebDriver) -> str:
    driver.execute_script(AXE_SCRIPT)
    return driver.execute_script("return axe.version")


def audit(driver: WebDriver, page: str) -> list[Violation]:
    """Every axe rule (WCAG 2.x A/AA and best practices) on the page as it is now."""
    driver.execute_script(AXE_SCRIPT)
    result = driver.execute_async_script("""
        const done = arguments[arguments.length - 1];
        axe.run(document, {resultTypes: ['violations']})
           .then(r => done({violations: r.violations}))
           .catch(e => done({error: String(e)}));
    """)
    if "error" in result:
        raise AssertionError(f"axe-core failed on {page}: {result['error']}")
    return [
        Violation(page=page, url=driver.current_url, rule=v["id"], impact=v.get("impact") or "",
                  help=v["help"], targets=tuple(", ".join(map(str, n["target"])) for n in v["nodes"]),
                  html=tuple(n["html"][:300] for n in v["nodes"]))
        for v in result["violations"]
    ]


class AccessibilityLog:
    """Violations of every audited page, written to artifacts/accessibility.json as the tests go."""

    def __init__(self, path: Path):
        self.path = path
        self.pages: list[dict[str, object]] = []

    def record(self, page: str, url: str, violations: list[Violation]) -> None:
        self.pages.append({"page": page, "url": url, "violations": [v.__dict__ for v in violations]})
        self.path.write_text(json.dumps(self.pages, ensure_ascii=False, indent=2, default=list), encoding="utf-8")


def report(violations: list[Violation]) -> str:
    return f"{len(violations)} accessibility violation(s):\n" + "\n".join(v.describe() for v in violations)


class Auditor:
    """Audits pages as tests visit them; the verdict comes later, so one page's violations do not
    stop a flow before the pages after it are seen."""

    def __init__(self, log: AccessibilityLog):
        self.log = log
        self.audited: dict[str, list[Violation]] = {}

    def check(self, driver: WebDriver, page: str) -> None:
        violations = audit(driver, page)
        self.audited[page] = violations
        self.log.record(page, driver.current_url, violations)

    def check_without_script(self, driver: WebDriver, page: str, source: WebDriver) -> None:
        """Audits what `source`, a browser with JavaScript off, shows. axe-core needs timers,
        which Chromium stops along with page script, so the page's HTML is audited in `driver`
        (script on, same origin for the stylesheets) with every .js request blocked."""
        html = "<!DOCTYPE html>\n" + source.page_source
        origin = re.match(r"^https?://[^/]+", source.current_url).group(0)
        driver.execute_cdp_cmd("Network.enable", {})
        driver.execute_cdp_cmd("Network.setBlockedURLs", {"urls": ["*.js", "*.js?*"]})
        driver.get(origin + "/robots.txt")
        driver.execute_script("document.open(); document.write(arguments[0]); document.close();", html)
        WebDriverWait(driver, 15).until(lambda d: d.execute_script(
            "return document.readyState === 'complete' && document.styleSheets.length > 0"),
            f"the stylesheets of {page} did not load")
        violations = audit(driver, page)
        self.audited[page] = violations
        self.log.record(page, source.current_url, violations)

    def violations(self, pages: list[str] | None = None) -> list[Violation]:
        chosen = self.audited if pages is None else {p: self.audited[p] for p in pages if p in self.audited}
        return [v for found in chosen.values() for v in found]
