"""axe-core on the customer pages the flows do not pass through: every page of the sitemap (the
shop's content pages) and the handler's error pages. 0 violations is the bar."""

from __future__ import annotations

import re
import xml.etree.ElementTree as ElementTree
from pathlib import Path
from urllib.parse import urlsplit

import pytest

from support.accessibility import Auditor, report
from support.accessibility import audit as audit_page
from support.browser import Browser, start_chromium
from support.environment import Environment

HANDLER = "/cgi-bin/kaitori"
SITEMAP = "{http://www.sitemaps.org/schemas/sitemap/0.9}"

# Error pages a customer can reach with a browser: a mistyped applied link (404), a link to the
# handler's form route instead of the form (405), a token that was never issued (404).
ERROR_PAGES = {
    "error 404, unknown case code": f"{HANDLER}/applied/0000-0000",
    "error 405, GET on a form route": f"{HANDLER}/apply",
    "error 404, a token never issued": f"{HANDLER}/review/{'a' * 32}",
    "error 404, malformed link": f"{HANDLER}/kyc/not-a-token",
}


def sitemap_paths() -> list[str]:
    sitemap = Path(Environment.load().site) / "public" / "sitemap.xml"
    root = ElementTree.parse(sitemap).getroot()
    return [urlsplit(loc.text.strip()).path for loc in root.iter(f"{SITEMAP}loc") if loc.text]


def pytest_generate_tests(metafunc: pytest.Metafunc) -> None:
    if "content_path" in metafunc.fixturenames:
        paths = sitemap_paths()
        metafunc.parametrize("content_path", paths, ids=paths)


@pytest.fixture(scope="module")
def page_browser(env: Environment, tmp_path_factory: pytest.TempPathFactory):
    browser = Browser(start_chromium(True, tmp_path_factory.mktemp("profile")), env.artifacts / "pages", env.main.url)
    yield browser
    browser.driver.quit()


def audit(browser: Browser, auditor: Auditor, name: str) -> None:
    browser.shot(re.sub(r"[^a-z0-9]+", "-", name.lower()).strip("-") or "top")
    auditor.check(browser.driver, name)
    violations = auditor.violations([name])
    assert not violations, report(violations)


def test_sitemap_lists_the_shop_pages() -> None:
    paths = sitemap_paths()
    assert "/" in paths and len(paths) >= 5, f"sitemap.xml lists {paths}"
    assert not any(p.startswith(("/review/", "/kyc/")) for p in paths), "token pages must never be in the sitemap"


def test_content_page(content_path: str, page_browser: Browser, auditor: Auditor) -> None:
    page_browser.open(content_path)
    assert page_browser.driver.find_element("css selector", "h1").text, f"{content_path} has no heading"
    audit(page_browser, auditor, f"content {content_path}")


@pytest.mark.parametrize("name", list(ERROR_PAGES))
def test_error_page(name: str, page_browser: Browser, auditor: Auditor) -> None:
    page_browser.open(ERROR_PAGES[name])
    heading = page_browser.driver.find_element("css selector", "h1").text
    assert heading and re.search(r"[\u3040-\u30ff\u4e00-\u9fff]", heading), f"{name}: heading {heading!r} is not Japanese"
    assert page_browser.find("a[href]"), f"{name}: no way back"
    audit(page_browser, auditor, name)


def test_the_audit_finds_violations(page_browser: Browser, auditor: Auditor) -> None:
    """The bar of 0 means something only if the audit sees problems where there are some."""
    page_browser.open("/robots.txt")
    page_browser.driver.execute_script("""
        document.open();
        document.write('<!DOCTYPE html><html><head><title>x</title></head><body>'
            + '<img src="/assets/none.png"><form><input type="text" name="q"></form></body></html>');
        document.close();
    """)
    found = {violation.rule for violation in audit_page(page_browser.driver, "a broken page")}
    assert {"html-has-lang", "image-alt", "label"} <= found, f"axe-core found only {sorted(found)}"
