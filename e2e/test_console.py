"""The staff console (kaitori-staff) in headless Chromium: log in, take one case from the
customer's application to paid entirely in the browser (the customer's steps through the customer
pages, every shop step through the console), see the ID image on the case page, see the refusal of
a purchase before the ID is verified, bulk arrival with one case left unticked (its memo kept), the
owner's payments page, logout. Every console page is audited with axe-core; the verdict is the last
test of this file. Screenshots of each page are saved under artifacts/ (docs/screenshots/console-*
are copied from there)."""

from __future__ import annotations

import os
import re
import secrets
from pathlib import Path

import pytest
from selenium.webdriver.common.by import By
from selenium.webdriver.support.ui import Select, WebDriverWait

from support.accessibility import Auditor, report
from support.application import Applicant, fill_application, tick, type_into
from support.browser import Browser
from support.environment import Environment
from support.shop import Shop
from support.staff import link_path
from support.staff_accounts import CONSOLE, add_staff_account
from support.web import post_form
from test_customer_flow import confirm_details, sign, upload_id

OWNER = "店長山本"
PASSWORD = "correct horse battery staple 42"
HANDLER = "/cgi-bin/kaitori"
CODE = re.compile(r"[2-9A-HJ-NP-Z]{4}-[2-9A-HJ-NP-Z]{4}")
APPLIED = re.compile(re.escape(HANDLER) + r"/applied/(" + CODE.pattern + ")")

def console_url(env: Environment) -> str:
    """Where the web server mounts kaitori-staff (deploy/: /staff beside the site)."""
    return os.environ.get("E2E_CONSOLE_URL") or env.main.url + CONSOLE


@pytest.fixture(scope="module")
def owner(shop: Shop) -> str:
    """An owner, created as docs/console.md says (`kaitori staff add NAME --role owner --password-stdin`)."""
    return add_staff_account(shop, role="owner", name=OWNER + secrets.token_hex(2), password=PASSWORD).name


class Console:
    """A staff member's browser on the console: screenshots and an axe audit per page."""

    def __init__(self, browser: Browser, auditor: Auditor, base: str, owner: str = ""):
        self.owner = owner
        self.browser = browser
        self.auditor = auditor
        self.base = base

    @property
    def driver(self):
        return self.browser.driver

    def open(self, path: str) -> None:
        self.browser.open(self.base + path)

    def page(self, name: str) -> None:
        self.browser.shot(name.replace(", ", "-").replace(" ", "-"))
        self.auditor.check(self.driver, f"console: {name}")

    def login(self, user: str, password: str) -> None:
        self.open("/login")
        self.page("login")
        type_into(self.browser, self.browser.field("user"), user)
        type_into(self.browser, self.browser.field("password"), password)
        self.browser.follow(self.browser.find("form button[type=submit]"))

    def press(self, label: str, within: str = "main") -> None:
        """Presses the button with this text (confirmations answered yes) and waits for the next page."""
        buttons = [b for b in self.browser.find_all(f"{within} button") if b.text.strip() == label]
        assert buttons, f"no button {label!r} on {self.browser.path}:\n{self.browser.text()[:2000]}"
        self.driver.execute_script("window.confirm = function () { return true; };")
        self.browser.follow(buttons[0])

    def tab(self, label: str) -> None:
        self.browser.find_all(".tabs a")
        links = [a for a in self.browser.find_all(".tabs a") if a.text.strip() == label]
        assert links, f"no tab {label!r}"
        links[0].click()

    def status(self) -> str:
        return self.browser.find("h1 .status").text

    def notice(self) -> str:
        return self.browser.find(".notice").text


@pytest.fixture
def console(open_browser, auditor: Auditor, env: Environment, owner: str) -> Console:
    c = Console(open_browser(javascript=True), auditor, console_url(env), owner)
    c.login(owner, PASSWORD)
    assert c.browser.path.rstrip("/").endswith("/staff") or "ダッシュボード" in c.browser.text(), \
        f"after logging in the browser is at {c.browser.path}:\n{c.browser.text()[:1000]}"
    return c


def apply_over_http(env: Environment, name: str, kana: str, phone: str) -> str:
    applicant = Applicant(name=name, kana=kana, email=f"console-{secrets.token_hex(3)}@example.jp", phone=phone)
    response = post_form(env.main.url + HANDLER + "/apply", applicant.form_pairs() + [("submission_id", secrets.token_hex(8))])
    assert response.status == 303, f"apply: {response.status} {response.text[:500]}"
    match = APPLIED.search(response.header("Location"))
    assert match, response.header("Location")
    return match.group(1)


def add_item(console: Console, name: str, quantity: int, price: int) -> None:
    b = console.browser
    console.tab("買取商品")
    type_into(b, b.find("#add-name"), name)
    type_into(b, b.find("#add-quantity"), str(quantity))
    type_into(b, b.find("#add-unit_price"), str(price))
    console.press("商品を追加", within="#tab-items")
    assert "を追加しました" in console.notice()


def test_one_case_from_application_to_paid(console: Console, open_browser, shop: Shop, tmp_path: Path) -> None:
    customer = open_browser(javascript=True)
    applicant = Applicant(name="高橋 直子", kana="タカハシ ナオコ", email="naoko.takahashi@example.jp", phone="090-5555-0101",
                          account_holder="タカハシ ナオコ")
    customer.open("/apply/")
    fill_application(customer, applicant)
    customer.follow(customer.find("#apply-form button[type=submit]"))
    customer.follow(customer.find("button[name=step][value=submit]"))   # 確認画面
    match = APPLIED.search(customer.path)
    assert match, f"after applying the customer is at {customer.path}:\n{customer.text()[:1500]}"
    code = match.group(1)

    # The dashboard counts it; the bell shows the new application.
    console.open("/")
    assert "新しい申込" in console.browser.text()
    assert console.browser.find(".bell .badge").text.strip()[0].isdigit()
    console.page("dashboard")

    # Find it in the case list (詳細検索 by name) and open it.
    console.open("/cases")
    console.page("case list")
    type_into(console.browser, console.browser.field("q"), "タカハシ")
    console.browser.follow(console.browser.find("form[role=search] button[type=submit]"))
    row_link = console.browser.find(f"a[href$='/cases/{code}']")
    assert "要対応" in console.browser.find("table").text, "the red dot has no words for screen readers"
    console.page("case list, searched")
    console.browser.follow(row_link)
    assert console.status() == "申込受付中"
    console.page("case, received")

    console.press("申込を確定する")
    assert console.status() == "申込確定"
    type_into(console.browser, console.browser.find("#arrive-tracking"), "1234-5678-9012")
    console.press("着荷済みとしてマーク")
    assert console.status() == "着荷済み"
    add_item(console, "Nintendo Switch 本体（有機ELモデル）", 1, 21000)
    assert console.status() == "査定中"
    add_item(console, "文庫本", 12, 30)
    assert "21,360円" in console.browser.find("#tab-items tfoot").text
    console.page("case, items entered")
    console.press("査定済みとしてマーク")
    assert console.status() == "査定完了"

    # The customer answers (sell all) and sends the ID with a drawn signature.
    record = shop.case(code)
    customer.open(link_path(record["links"]["review"], "review"))
    customer.driver.find_element(By.CSS_SELECTOR, "input[name='decision'][value='all']").click()
    customer.follow(customer.find("[data-review-form] button[type=submit]"))
    customer.follow(customer.find("button[name=step][value=submit]"))   # 確認画面
    assert re.fullmatch(r"/kyc/[a-z2-9]{32}/", customer.path), customer.path
    upload_id(customer, tmp_path, "my_number", with_back=False)
    confirm_details(customer, applicant)
    sign(customer)
    tick(customer, customer.field("agree"))
    customer.follow(customer.find("[data-kyc-form] button[type=submit]"))
    assert "受け付けました" in customer.wait_for(".notice").text

    console.open(f"/cases/{code}")
    assert console.status() == "査定承認済み"
    console.tab("本人確認")
    image = console.browser.find("#tab-id .id-images img")
    loaded = WebDriverWait(console.driver, 10).until(
        lambda d: d.execute_script("return arguments[0].complete && arguments[0].naturalWidth", image))
    assert loaded > 0, "the ID image did not load on the case page"
    console.page("case, approved")

    # Purchase before the ID is verified: refused with the CLI's own words.
    console.press("買取を確定する")
    refusal = console.browser.find("#refusal").text
    cli = shop.run("case", "purchase", code, check=False)
    assert cli.returncode == 1
    cli_message = cli.stderr.strip().removeprefix("kaitori: ")
    assert cli_message in refusal, f"console: {refusal!r}; CLI: {cli_message!r}"
    assert console.status() == "査定承認済み"
    console.page("case, purchase refused")

    console.tab("本人確認")
    type_into(console.browser, console.browser.find("#verify-address"), "本人限定受取郵便 1234-5678-9012")
    console.press("確認済みとしてマーク", within="#tab-id")
    assert "確認済み" in console.browser.find("#tab-id").get_attribute("textContent")
    console.page("case, ID verified")
    console.press("買取を確定する")
    assert console.status() == "買取完了"

    for document, name in (("estimate", "見積書を印刷"), ("contract", "売買契約書を印刷")):
        link = [a for a in console.browser.find_all(".actions a") if a.text.strip() == name]
        assert link, f"no {name} link"
        console.browser.follow(link[0])
        assert code in console.browser.text()
        console.page(document)
        console.driver.back()

    console.press("支払い済みとしてマーク")
    assert console.status() == "支払い済み"
    console.tab("履歴")
    assert console.owner in console.browser.find("#tab-history").text, "the history does not name who did the steps"
    console.page("case, paid")
    record = shop.case(code)
    assert record["status"] == "paid"
    assert any(console.owner in entry["by"] for entry in record["history"])


def test_bulk_arrival_keeps_the_memo_of_an_unticked_case(console: Console, env: Environment, shop: Shop) -> None:
    surname = "一括" + secrets.token_hex(2).upper()
    first = apply_over_http(env, f"{surname} 太郎", "イッカツ タロウ", "090-7777-0001")
    second = apply_over_http(env, f"{surname} 花子", "イッカツ ハナコ", "090-7777-0002")
    for code in (first, second):
        shop.run("case", "confirm", code)

    console.open("/arrival")
    type_into(console.browser, console.browser.field("q"), surname)
    console.browser.follow(console.browser.find("form[role=search] button[type=submit]"))
    tick(console.browser, console.browser.find(f"#arrive-{first}"))
    type_into(console.browser, console.browser.find(f"#memo-{first}"), "1箱目到着")
    type_into(console.browser, console.browser.find(f"#memo-{second}"), "2箱目未着、連絡待ち")
    console.page("bulk arrival, searched")
    console.press("入力内容の確認とチェックしたケースの着荷確認を実行")
    assert first in console.notice() and second in console.notice()
    console.page("bulk arrival, done")

    arrived, kept = shop.case(first), shop.case(second)
    assert arrived["status"] == "arrived"
    assert kept["status"] == "confirmed", "the unticked case changed status"
    assert [m["text"] for m in kept["memos"]] == ["2箱目未着、連絡待ち"]
    assert [m["text"] for m in arrived["memos"]] == ["1箱目到着"]


def test_payments_feed_and_logout(console: Console) -> None:
    console.open("/payments")
    assert "一括支払済マーク" in console.browser.text()
    console.page("payments")
    console.open("/feed")
    console.page("feed")
    # On a phone: the menu wraps, lists become cards, nothing needs sideways scrolling.
    console.driver.set_window_size(390, 844)
    try:
        for path, name in (("/", "dashboard, phone"), ("/cases", "case list, phone")):
            console.open(path)
            width, viewport = console.driver.execute_script(
                "return [document.documentElement.scrollWidth, document.documentElement.clientWidth]")
            assert width <= viewport, f"{path} is {width}px wide on a phone showing {viewport}px"
            # What the phone shows (a full-page capture relays the page out without the scrollbar).
            console.browser.steps += 1
            console.driver.save_screenshot(str(console.browser.artifacts / f"{console.browser.steps:02d}-{name.replace(', ', '-').replace(' ', '-')}.png"))
            console.auditor.check(console.driver, f"console: {name}")
    finally:
        console.driver.set_window_size(1280, 1024)
    if console.browser.find_all("form[action$='/feed/read'] button"):
        console.browser.follow(console.browser.find("form[action$='/feed/read'] button"))
        assert "既読にしました" in console.notice()
        assert not console.browser.find_all(".unread")

    console.press("ログアウト", within="header")
    assert "/login" in console.browser.path, f"after logging out the browser is at {console.browser.path}"
    console.open("/cases")
    assert "/login" in console.browser.path, "the case list is shown without a session"


def test_the_case_page_works_without_script(open_browser, auditor: Auditor, env: Environment, owner: str,
                                            shop: Shop) -> None:
    code = apply_over_http(env, "無効 次郎", "ムコウ ジロウ", "090-7777-0100")
    browser = open_browser(javascript=False)
    staff = Console(browser, auditor, console_url(env))
    staff.open("/login")
    type_into(browser, browser.field("user"), owner)
    type_into(browser, browser.field("password"), PASSWORD)
    browser.follow(browser.find("form button[type=submit]"))
    staff.open(f"/cases/{code}")
    # Every tab's section is on the page, one after another.
    for section in ("#tab-application", "#tab-items", "#tab-id", "#tab-history"):
        assert browser.find(section).is_displayed(), f"{section} is hidden without script"
    browser.follow([b for b in browser.find_all("main button") if b.text.strip() == "申込を確定する"][0])
    assert browser.find("h1 .status").text == "申込確定"
    browser.shot("case-without-script")
    auditor.check_without_script(open_browser(javascript=True).driver, "console: case page without script", browser.driver)


def test_every_console_page_is_accessible(auditor: Auditor) -> None:
    audited = [name for name in auditor.audited if name.startswith("console: ")]
    if not audited:
        pytest.skip("run with the console tests")
    violations = auditor.violations(audited)
    assert not violations, report(violations)
