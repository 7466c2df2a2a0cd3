"""Fixtures for the browser and web-server tests. e2e/run.sh starts the servers and the shop;
these fixtures only connect to them."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from support.accessibility import AccessibilityLog, Auditor
from support.browser import Browser, start_chromium
from support.environment import Environment
from support.shop import Shop


@pytest.fixture(scope="session")
def env() -> Environment:
    return Environment.load()


@pytest.fixture(scope="session")
def shop(env: Environment) -> Shop:
    return Shop(env.kaitori, env.site, env.run_as)


@pytest.fixture(scope="session")
def auditor(env: Environment) -> Auditor:
    """axe-core results of every page the tests audit, also written to artifacts/accessibility.json."""
    return Auditor(AccessibilityLog(env.artifacts / "accessibility.json"))


def _artifact_dir(env: Environment, node: pytest.Item) -> Path:
    return env.artifacts / re.sub(r"[^A-Za-z0-9_.-]+", "-", node.name).strip("-")


@pytest.fixture
def open_browser(env: Environment, request: pytest.FixtureRequest, tmp_path: Path):
    """Starts a customer's Chromium (`open_browser(javascript=False)` for one without script);
    on failure the last page is saved as a screenshot before it closes."""
    browsers: list[Browser] = []

    def start(javascript: bool = True) -> Browser:
        profile = tmp_path / f"profile-{len(browsers)}"
        name = _artifact_dir(env, request.node)
        browser = Browser(start_chromium(javascript, profile), name, env.main.url)
        browsers.append(browser)
        return browser

    yield start
    report = getattr(request.node, "report_call", None)
    for browser in browsers:
        try:
            if report is not None and report.failed:
                browser.shot("failure")
        finally:
            browser.driver.quit()


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item: pytest.Item, call: pytest.CallInfo):
    outcome = yield
    report = outcome.get_result()
    if report.when != "call":
        return
    item.report_call = report
    if report.failed:
        # The handler's and the servers' own words on what went wrong: kaitori-cgi writes its
        # details to stderr, which each server appends to its error log.
        env = Environment.load()
        for server in env.servers.values():
            for log in sorted(server.log_dir.glob("*.log")):
                if "access" in log.name or log.stat().st_size == 0:
                    continue
                lines = log.read_text(errors="replace").splitlines()[-25:]
                report.sections.append((f"{server.name} {log.name} (last lines)", "\n".join(lines)))
