"""Headless Debian Chromium driven by chromedriver, with full-page screenshots per step."""

from __future__ import annotations

import base64
import os
import re
import shutil
from pathlib import Path

from selenium import webdriver
from selenium.common.exceptions import StaleElementReferenceException, WebDriverException
from selenium.webdriver.chrome.options import Options
from selenium.webdriver.chrome.service import Service
from selenium.webdriver.remote.webdriver import WebDriver
from selenium.webdriver.remote.webelement import WebElement
from selenium.webdriver.common.by import By
from selenium.webdriver.support import expected_conditions
from selenium.webdriver.support.ui import WebDriverWait

WIDTH = 1280
HEIGHT = 1024


def _executable(*names: str) -> str:
    for name in names:
        found = shutil.which(name) or next((p for p in (f"/usr/bin/{name}", f"/usr/lib/chromium/{name}")
                                           if os.access(p, os.X_OK)), None)
        if found:
            return found
    raise RuntimeError(f"none of {', '.join(names)} found: run scripts/install-deps.sh --test")


def start_chromium(javascript: bool, profile: Path) -> WebDriver:
    """Chromium as a customer's browser: Japanese, desktop-sized, script on or off."""
    options = Options()
    options.binary_location = _executable("chromium", "chromium-browser")
    options.add_argument("--headless=new")
    if os.geteuid() == 0:
        # Chromium's sandbox refuses to run as root (CI runs as root).
        options.add_argument("--no-sandbox")
    options.add_argument(f"--window-size={WIDTH},{HEIGHT}")
    options.add_argument("--disable-dev-shm-usage")
    options.add_argument("--lang=ja-JP")
    options.add_argument("--no-first-run")
    options.add_argument(f"--user-data-dir={profile}")
    prefs: dict[str, object] = {"intl.accept_languages": "ja,ja-JP"}
    if not javascript:
        prefs["profile.managed_default_content_settings.javascript"] = 2
    options.add_experimental_option("prefs", prefs)
    # The browser's own words (file buttons, date fields) follow the process locale, not --lang.
    service = Service(executable_path=_executable("chromedriver"),
                      env={**os.environ, "LANGUAGE": "ja", "LANG": "ja_JP.UTF-8"})
    driver = webdriver.Chrome(options=options, service=service)
    driver.set_page_load_timeout(30)
    driver.set_script_timeout(60)
    return driver


def _replaced(page: WebElement) -> bool:
    """True once `page` (the old document's root) is gone. Selenium's `staleness_of` knows only the
    stale-element error; while a navigation commits, chromedriver may instead answer "Node with given
    id does not belong to the document" (an unknown error), which means the same and failed a CI run."""
    try:
        page.is_enabled()
        return False
    except StaleElementReferenceException:
        return True
    except WebDriverException as error:
        if "does not belong to the document" in str(error):
            return True
        raise


class Browser:
    """One customer's browser session, saving a screenshot of every step under artifacts/."""

    def __init__(self, driver: WebDriver, artifacts: Path, base_url: str):
        self.driver = driver
        self.artifacts = artifacts
        self.base_url = base_url
        self.steps = 0
        artifacts.mkdir(parents=True, exist_ok=True)

    def open(self, path_or_url: str) -> None:
        url = path_or_url if re.match(r"^https?://", path_or_url) else self.base_url + path_or_url
        self.driver.get(url)

    @property
    def path(self) -> str:
        return re.sub(r"^https?://[^/]+", "", self.driver.current_url)

    def find(self, css: str) -> WebElement:
        return self.driver.find_element(By.CSS_SELECTOR, css)

    def find_all(self, css: str) -> list[WebElement]:
        return self.driver.find_elements(By.CSS_SELECTOR, css)

    def field(self, name: str) -> WebElement:
        """The first form control named `name` (interfaces.md field names)."""
        return self.driver.find_element(By.NAME, name)

    def wait_for(self, css: str, timeout: float = 15) -> WebElement:
        return WebDriverWait(self.driver, timeout).until(
            expected_conditions.visibility_of_element_located((By.CSS_SELECTOR, css)),
            f"{css} did not appear on {self.driver.current_url}")

    def follow(self, button: WebElement, timeout: float = 30) -> None:
        """Clicks a link or a submit button and waits until the next page has replaced this one."""
        page = self.driver.find_element(By.TAG_NAME, "html")
        self.scroll_to(button)
        button.click()
        WebDriverWait(self.driver, timeout).until(lambda _: _replaced(page),
                                                  f"submitting on {self.driver.current_url} loaded no new page")
        WebDriverWait(self.driver, timeout).until(
            lambda d: d.execute_script("return document.readyState") == "complete")

    def scroll_to(self, element: WebElement) -> None:
        self.driver.execute_script("arguments[0].scrollIntoView({block: 'center'})", element)

    def text(self) -> str:
        return self.driver.find_element(By.TAG_NAME, "body").text

    def shot(self, name: str) -> Path:
        """Saves the whole page (not only the window) as NN-name.png."""
        self.steps += 1
        path = self.artifacts / f"{self.steps:02d}-{name}.png"
        size = self.driver.execute_script(
            "return [document.documentElement.scrollWidth, document.documentElement.scrollHeight]")
        shot = self.driver.execute_cdp_cmd("Page.captureScreenshot", {
            "format": "png",
            "captureBeyondViewport": True,
            "clip": {"x": 0, "y": 0, "width": max(size[0], 1), "height": min(max(size[1], 1), 16000), "scale": 1},
        })
        path.write_bytes(base64.b64decode(shot["data"]))
        return path
