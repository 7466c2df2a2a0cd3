"""The customer's whole flow in headless Chromium against lighttpd + kaitori-cgi, with the shop's
steps done by the CLI in between: apply (a mistake first), review and sell part, send the ID and
sign, then staff verify and purchase. Once with JavaScript, once without. Every page on the way
is audited with axe-core; the verdict is the last test of this file."""

from __future__ import annotations

import re
from dataclasses import replace
from pathlib import Path

import pytest
from selenium.common.exceptions import TimeoutException
from selenium.webdriver.common.action_chains import ActionChains
from selenium.webdriver.support.ui import Select, WebDriverWait

from support import images
from support.accessibility import Auditor, report
from support.application import (Applicant, choose, fill_application, set_date, spaces_as_ascii, tick, type_into,
                                 values_kept)
from support.browser import Browser
from support.shop import Shop
from support.staff import AssessedItem, link_path, receive_and_assess

ITEMS = [
    AssessedItem("Nintendo Switch 本体（有機ELモデル）", 1, 21000),
    AssessedItem("Canon EOS Kiss X10 ダブルズームキット", 1, 38000),
    AssessedItem("文庫本", 12, 30),
]
KANA_ONLY = "フリガナはカタカナで入力してください。"
POSTAL_CODE = "郵便番号は7桁の数字で入力してください（例：330-0063）。"
APPLIED = re.compile(r"/cgi-bin/kaitori/applied/([2-9A-HJ-NP-Z]{4}-[2-9A-HJ-NP-Z]{4})")

# Pages each flow audits, by the names the flows give them.
FLOW_PAGES = {
    True: ["top", "apply", "apply with errors", "apply, confirm", "applied", "review", "review, selling part",
           "review, confirm", "kyc", "kyc, filled in", "kyc, received", "review, answered"],
    False: ["apply", "apply with errors", "apply, confirm", "applied", "review", "review, confirm", "kyc",
            "kyc, received", "review, answered"],
}


def yen(amount: int) -> str:
    return f"{amount:,}円"


class Steps:
    """The flow's steps as the customer sees them: a screenshot for people and an axe audit for
    the verdict. Without script, the page is audited in a second browser (see Auditor)."""

    started: set[bool] = set()

    def __init__(self, browser: Browser, auditor: Auditor, audit_browser: Browser | None = None):
        self.browser = browser
        self.auditor = auditor
        self.audit_browser = audit_browser
        Steps.started.add(audit_browser is None)

    def __call__(self, name: str) -> None:
        self.browser.shot(name.replace(", ", "-").replace(" ", "-"))
        if self.audit_browser is None:
            self.auditor.check(self.browser.driver, f"{name} (JS on)")
        else:
            self.auditor.check_without_script(self.audit_browser.driver, f"{name} (JS off)", self.browser.driver)


def apply_with_a_mistake_first(browser: Browser, step: Steps, applicant: Applicant, mistake: Applicant,
                               field: str, message: str) -> str:
    """Fills /apply/ with one wrong answer, checks the form comes back with the message and every
    value kept, corrects it and sends. Returns the case code shown."""
    step("apply")
    fill_application(browser, mistake)
    browser.follow(browser.find("#apply-form button[type=submit]"))

    summary = browser.wait_for("#error-summary")
    step("apply with errors")
    assert message in summary.text, f"the error summary does not say {message!r}: {summary.text!r}"
    field_id = "f-" + field.replace("_", "-")
    assert message in browser.find(f"#{field_id}-error").text
    assert browser.find(f"#{field_id}").get_attribute("aria-invalid") == "true"
    link = summary.find_element("css selector", f"a[href='#{field_id}']")
    assert link.text == message, "the summary's link does not lead to the field to fix"
    kept = values_kept(browser, mistake)
    assert not kept, f"values lost after the error (expected, shown): {kept}"

    type_into(browser, browser.field(field), getattr(applicant, field))
    tick(browser, browser.field("agree"))
    browser.follow(browser.find("#apply-form button[type=submit]"))
    # 確認画面: nothing is stored until the second button.
    assert browser.find("h1").text == "お申し込み内容のご確認", browser.text()[:1500]
    assert applicant.name in browser.text()
    step("apply, confirm")
    browser.follow(browser.find("button[name=step][value=submit]"))
    match = APPLIED.fullmatch(browser.path)
    assert match, f"after a correct application the browser is at {browser.path}:\n{browser.text()[:1500]}"
    code = match.group(1)
    assert code in browser.find(".case-code__value").text
    step("applied")
    return code


def confirm_answer(browser: Browser, step: Steps, sold: str) -> None:
    """The review answer's 確認画面: the amount sold, then the button that records it."""
    assert browser.find("h1").text == "ご回答内容のご確認", browser.text()[:1500]
    assert sold in browser.text()
    step("review, confirm")
    browser.follow(browser.find("button[name=step][value=submit]"))


def upload_id(browser: Browser, tmp_path: Path, id_type: str, with_back: bool) -> tuple[bytes, bytes | None]:
    front = images.png()
    (tmp_path / "front.png").write_bytes(front)
    Select(browser.field("id_type")).select_by_value(id_type)
    browser.field("id_front").send_keys(str(tmp_path / "front.png"))
    back = None
    if with_back:
        back = images.jpeg(browser.driver)
        (tmp_path / "back.jpg").write_bytes(back)
        browser.field("id_back").send_keys(str(tmp_path / "back.jpg"))
    return front, back


def confirm_details(browser: Browser, applicant: Applicant) -> None:
    type_into(browser, browser.field("name"), applicant.name)
    type_into(browser, browser.field("address"), applicant.full_address)
    set_date(browser, browser.field("birth_date"), applicant.birth_date)


def sign(browser: Browser) -> None:
    """Draws a signature on the canvas with the mouse: press, a zigzag, release."""
    pad = browser.wait_for("[data-signature-pad]")
    browser.scroll_to(pad)
    width = pad.size["width"]
    actions = ActionChains(browser.driver)
    actions.move_to_element_with_offset(pad, -width // 3, 0).click_and_hold()
    for dx, dy in [(20, -15), (20, 25), (20, -25), (20, 25), (20, -15), (30, 10)]:
        actions.move_by_offset(dx, dy)
    actions.release().perform()


def staff_finish(shop: Shop, code: str) -> dict:
    shop.run("id", "verify", code, "--address-check", "本人限定受取郵便 1234-5678-9012")
    shop.run("case", "purchase", code)
    record = shop.case(code)
    assert record["status"] == "purchased", f"{code} is {record['status']} after `case purchase`"
    return record


def test_flow_with_javascript(open_browser, shop: Shop, auditor: Auditor, tmp_path: Path) -> None:
    browser = open_browser(javascript=True)
    step = Steps(browser, auditor)
    applicant = Applicant(name="山田 太郎", kana="ヤマダ タロウ", email="taro.yamada@example.jp")

    browser.open("/")
    step("top")
    browser.follow(browser.find(".site-header a[href='/apply/']"))
    assert browser.path == "/apply/"
    # Hiragana is accepted and stored as katakana; latin letters are not.
    code = apply_with_a_mistake_first(browser, step, applicant.with_kana("やまだ たろう"),
                                      applicant.with_kana("Yamada Taro"), "kana", KANA_ONLY)
    record = shop.case(code)
    assert record["status"] == "received"
    assert spaces_as_ascii(record["customer"]["kana"]) == "ヤマダ タロウ"
    assert len(record["declared_items"]) == len(applicant.items)

    record = receive_and_assess(shop, code, ITEMS)
    browser.open(link_path(record["links"]["review"], "review"))
    step("review")
    for item in ITEMS:
        assert item.name in browser.text()
    total = sum(item.subtotal for item in ITEMS)
    assert yen(total) in browser.find(".total").text

    # Selling part: the running total follows every tick and untick.
    running = browser.find("[data-running-total-value]")
    choose(browser, "decision", "part")
    decline = {item.name: browser.find(f"input[name='decline'][value='{row['id']}']")
               for item, row in zip(ITEMS, record["items"])}


    def expect_total(amount: int) -> None:
        try:
            WebDriverWait(browser.driver, 5).until(lambda _: running.text == yen(amount))
        except TimeoutException:
            raise AssertionError(f"the running total shows {running.text}, not {yen(amount)}") from None

    tick(browser, decline[ITEMS[1].name])
    expect_total(total - ITEMS[1].subtotal)
    tick(browser, decline[ITEMS[2].name])
    expect_total(total - ITEMS[1].subtotal - ITEMS[2].subtotal)
    tick(browser, decline[ITEMS[2].name], False)
    sold = total - ITEMS[1].subtotal
    expect_total(sold)
    assert browser.find("[data-running-total]").is_displayed()
    step("review, selling part")
    browser.follow(browser.find("[data-review-form] button[type=submit]"))
    confirm_answer(browser, step, yen(sold))

    assert re.fullmatch(r"/kyc/[a-z2-9]{32}/", browser.path), f"after the review the browser is at {browser.path}"
    kyc_path = browser.path
    step("kyc")
    assert yen(sold) in browser.find(".total").text
    assert ITEMS[1].name not in browser.text()

    front, back = upload_id(browser, tmp_path, "drivers_license", with_back=True)
    confirm_details(browser, applicant)
    sign(browser)
    tick(browser, browser.field("agree"))
    step("kyc, filled in")
    browser.follow(browser.find("[data-kyc-form] button[type=submit]"))
    assert browser.path == kyc_path
    assert "受け付けました" in browser.wait_for(".notice").text
    step("kyc, received")

    browser.open(link_path(record["links"]["review"], "review"))
    assert "一部売却" in browser.find(".notice").text
    step("review, answered")

    record = staff_finish(shop, code)
    assert record["accepted_total"] == sold
    assert [item["declined"] for item in record["items"]] == [False, True, False]
    files = {f["kind"]: f for f in record["id_checks"][-1]["files"]}
    assert files["id_front"]["content_type"] == "image/png" and files["id_front"]["size"] == len(front)
    assert files["id_back"]["content_type"] == "image/jpeg" and files["id_back"]["size"] == len(back)
    assert files["signature"]["content_type"] == "image/png", "the drawn signature was not stored"


def test_flow_without_javascript(open_browser, shop: Shop, auditor: Auditor, tmp_path: Path) -> None:
    browser = open_browser(javascript=False)
    step = Steps(browser, auditor, audit_browser=open_browser(javascript=True))
    applicant = Applicant(name="佐藤 花子", kana="サトウ ハナコ", email="hanako.sato@example.jp",
                          account_holder="サトウ ハナコ")

    browser.open("/apply/")
    code = apply_with_a_mistake_first(browser, step, applicant, replace(applicant, postal_code="33000"),
                                      "postal_code", POSTAL_CODE)
    record = receive_and_assess(shop, code, ITEMS)

    browser.open(link_path(record["links"]["review"], "review"))
    step("review")
    # Without script there is no running total: the handler computes what is sold.
    assert not browser.find("[data-running-total]").is_displayed()
    choose(browser, "decision", "part")
    tick(browser, browser.find(f"input[name='decline'][value='{record['items'][0]['id']}']"))
    browser.follow(browser.find("[data-review-form] button[type=submit]"))
    confirm_answer(browser, step, yen(sum(item.subtotal for item in ITEMS) - ITEMS[0].subtotal))
    assert re.fullmatch(r"/kyc/[a-z2-9]{32}/", browser.path), f"after the review the browser is at {browser.path}"
    kyc_path = browser.path
    step("kyc")
    sold = sum(item.subtotal for item in ITEMS) - ITEMS[0].subtotal
    assert yen(sold) in browser.find(".total").text

    # No canvas without script: the typed full name is the signature.
    assert not browser.find("[data-signature]").is_displayed()
    upload_id(browser, tmp_path, "my_number", with_back=False)
    confirm_details(browser, applicant)
    type_into(browser, browser.field("signature_name"), applicant.name)
    tick(browser, browser.field("agree"))
    browser.follow(browser.find("[data-kyc-form] button[type=submit]"))
    assert browser.path == kyc_path
    assert "受け付けました" in browser.find(".notice").text
    step("kyc, received")

    browser.open(link_path(record["links"]["review"], "review"))
    assert "一部売却" in browser.find(".notice").text
    step("review, answered")

    record = staff_finish(shop, code)
    assert record["accepted_total"] == sold
    assert [item["declined"] for item in record["items"]] == [True, False, False]
    kinds = sorted(f["kind"] for f in record["id_checks"][-1]["files"])
    assert kinds == ["id_front"], f"stored files: {kinds}"


def test_every_page_of_the_flows_is_accessible(auditor: Auditor) -> None:
    if not Steps.started:
        pytest.skip("no flow ran in this session")
    expected = [f"{page} ({'JS on' if js else 'JS off'})"
                for js, pages in FLOW_PAGES.items() if js in Steps.started for page in pages]
    violations = auditor.violations(expected)
    assert not violations, report(violations)
    missing = [page for page in expected if page not in auditor.audited]
    assert not missing, f"pages not audited because a flow stopped early: {', '.join(missing)}"
