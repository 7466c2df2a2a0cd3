"""What Japanese buyback customers expect, in headless Chromium against lighttpd + kaitori-cgi:
the two-step application (確認画面) with 和暦 birth dates, postal-code autofill from the shop's own
shards (and the form without them), the status page following the staff's steps up to the return
tracking number, and the kit message once staff record the kit as sent. Every new page is audited
with axe, kept under 30 KB, and loads nothing from another origin."""

from __future__ import annotations

import os
import re
import tempfile
import zipfile
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from selenium.webdriver.support.ui import Select, WebDriverWait

from support.accessibility import Auditor, report
from support.application import Applicant, choose, fill_application, type_into
from support.browser import Browser
from support.shop import Shop
from support.staff import AssessedItem, link_path, receive_and_assess

APPLIED = re.compile(r"/cgi-bin/kaitori/applied/([2-9A-HJ-NP-Z]{4}-[2-9A-HJ-NP-Z]{4})")
MAX_PAGE_BYTES = 30 * 1024

# Rows as Japan Post's utf_ken_all.csv writes them: one town, and a code shared by two towns.
KEN_ALL = """\
11107,"336  ","3300063","ｻｲﾀﾏｹﾝ","ｻｲﾀﾏｼｳﾗﾜｸ","ﾀｶｻｺﾞ","埼玉県","さいたま市浦和区","高砂",0,0,1,0,0,0
23220,"452  ","4520961","ｱｲﾁｹﾝ","ｷﾖｽｼ","ｶｽｶﾞ","愛知県","清須市","春日",0,0,0,1,0,0
23220,"452  ","4520961","ｱｲﾁｹﾝ","ｷﾖｽｼ","ﾆｼﾋﾞﾜｼﾞﾏﾁｮｳ","愛知県","清須市","西枇杷島町",0,0,0,1,0,0
"""


@pytest.fixture(scope="module")
def postal(shop: Shop) -> None:
    """The shop imports the postal data and rebuilds, as docs/postal.md says."""
    # As Japan Post publishes it: utf_ken_all.zip with the CSV inside.
    fd, name = tempfile.mkstemp(suffix=".zip", dir="/tmp")
    with os.fdopen(fd, "wb") as handle, zipfile.ZipFile(handle, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("utf_ken_all.csv", KEN_ALL)
    os.chmod(name, 0o644)
    try:
        shop.run("postal", "import", name, "--date", "2026-10-31")
    finally:
        os.unlink(name)
    shop.run("build")
    assert "data of 2026-10-31" in shop.run("check").stdout


def check_page(browser: Browser, auditor: Auditor, name: str, audit: Browser | None = None) -> None:
    """axe (0 violations asserted at the end of each test), the page's size, and that every request
    the page made stayed on the shop's own origin. A page seen without script is audited as its
    HTML in `audit`, a second browser (see Auditor.check_without_script)."""
    if audit is None:
        auditor.check(browser.driver, name)
    else:
        auditor.check_without_script(audit.driver, name, browser.driver)
    size = len(browser.driver.page_source.encode("utf-8"))
    assert size < MAX_PAGE_BYTES, f"{name} is {size} bytes"
    origin = urlsplit(browser.base_url).netloc
    entries = browser.driver.execute_script(
        "return performance.getEntriesByType('resource').map(function (e) { return e.name; })"
        ".concat([location.href])")
    foreign = [url for url in entries if urlsplit(url).netloc not in ("", origin)]
    assert not foreign, f"{name} requested another origin: {foreign}"


def expect_no_violations(auditor: Auditor, pages: list[str]) -> None:
    missing = [page for page in pages if page not in auditor.audited]
    assert not missing, f"not audited: {missing}"
    violations = auditor.violations(pages)
    assert not violations, report(violations)


def apply_through_confirmation(browser: Browser, auditor: Auditor, applicant: Applicant, birth: str,
                               shown_birth: str, label: str, audit: Browser | None = None) -> str:
    browser.open("/apply/")
    fill_application(browser, applicant)
    type_into(browser, browser.field("birth_date"), birth)
    browser.follow(browser.find("#apply-form button[type=submit]"))
    assert browser.find("h1").text == "お申し込み内容のご確認", browser.text()[:1500]
    assert shown_birth in browser.text()
    check_page(browser, auditor, f"apply, confirm ({label})", audit)

    # 修正する: back to the form with every value, nothing stored.
    browser.follow(browser.find("button[name=step][value=edit]"))
    assert browser.find("#apply-form")
    assert browser.field("name").get_attribute("value") == applicant.name
    browser.follow(browser.find("#apply-form button[type=submit]"))
    browser.follow(browser.find("button[name=step][value=submit]"))
    match = APPLIED.fullmatch(browser.path)
    assert match, f"after この内容で申し込む the browser is at {browser.path}: {browser.text()[:800]}"
    check_page(browser, auditor, f"applied ({label})", audit)
    return match.group(1)


@pytest.mark.parametrize("javascript", [True, False], ids=["js", "nojs"])
def test_two_step_application_with_a_japanese_era_birth_date(open_browser, shop: Shop, auditor: Auditor,
                                                             javascript: bool) -> None:
    browser = open_browser(javascript=javascript)
    audit = None if javascript else open_browser(javascript=True)
    label = "JS on" if javascript else "JS off"
    before = shop.codes()

    # An era date outside its era is refused with the right era named.
    browser.open("/apply/")
    applicant = Applicant(name="和暦 一郎", kana="ワレキ イチロウ", email="ichiro@example.jp")
    fill_application(browser, applicant)
    type_into(browser, browser.field("birth_date"), "平成32年1月1日")
    browser.follow(browser.find("#apply-form button[type=submit]"))
    assert "令和2年" in browser.find("#f-birth-date-error").text
    assert shop.codes() == before

    code = apply_through_confirmation(browser, auditor, applicant, "Ｓ６０．４．１", "1985年4月1日 (昭和60年)", label,
                                      audit)
    assert shop.codes() == before | {code}
    assert shop.case(code)["customer"]["birth_date"] == "1985-04-01"
    expect_no_violations(auditor, [f"apply, confirm ({label})", f"applied ({label})"])


def test_postal_code_fills_the_address_from_the_shops_own_shards(open_browser, postal, auditor: Auditor) -> None:
    browser = open_browser(javascript=True)
    browser.open("/apply/")
    type_into(browser, browser.field("postal_code"), "３３０－００６３")
    WebDriverWait(browser.driver, 10).until(lambda _: browser.field("address").get_attribute("value") == "さいたま市浦和区高砂",
                                            "the address was not filled from 330.json")
    assert Select(browser.field("prefecture")).first_selected_option.get_attribute("value") == "埼玉県"
    check_page(browser, auditor, "apply, postal autofill")

    # Two towns share 452-0961: the customer chooses; what they typed is never overwritten.
    type_into(browser, browser.field("address"), "")
    type_into(browser, browser.field("postal_code"), "4520961")
    buttons = WebDriverWait(browser.driver, 10).until(lambda _: browser.find_all(".postal-choice"))
    assert [b.text for b in buttons] == ["愛知県清須市春日", "愛知県清須市西枇杷島町"]
    check_page(browser, auditor, "apply, postal choice")
    buttons[1].click()
    assert browser.field("address").get_attribute("value") == "清須市西枇杷島町"
    assert Select(browser.field("prefecture")).first_selected_option.get_attribute("value") == "愛知県"
    type_into(browser, browser.field("address"), "清須市西枇杷島町1-2")
    type_into(browser, browser.field("postal_code"), "3300063")
    WebDriverWait(browser.driver, 10).until(lambda _: "埼玉県" in browser.find(".postal-status").text)
    assert browser.field("address").get_attribute("value") == "清須市西枇杷島町1-2"
    expect_no_violations(auditor, ["apply, postal autofill", "apply, postal choice"])


def test_the_form_works_without_shards(open_browser, postal, shop: Shop, auditor: Auditor) -> None:
    browser = open_browser(javascript=True)
    # 999 has no shard: nothing is filled, the customer types, the application goes through.
    applicant = Applicant(name="手入力 花子", kana="テニュウリョク ハナコ", email="hanako@example.jp",
                          postal_code="999-0001")
    code = apply_through_confirmation(browser, auditor, applicant, "1990/2/3", "1990年2月3日 (平成2年)", "no shard")
    assert shop.case(code)["customer"]["postal_code"] == "999-0001"


def status_page(browser: Browser, shop: Shop, code: str) -> str:
    path = link_path(shop.case(code)["links"]["status"], "status")
    assert re.fullmatch(r"/status/[a-z2-9]{32}/", path)
    browser.open(path)
    return browser.text()


def test_status_page_follows_the_staff_steps_to_the_return_tracking_number(open_browser, shop: Shop,
                                                                          auditor: Auditor) -> None:
    browser = open_browser(javascript=False)
    audit = open_browser(javascript=True)
    applicant = Applicant(name="状況 確認", kana="ジョウキョウ カクニン", email="status@example.jp")
    code = apply_through_confirmation(browser, auditor, applicant, "1985-04-01", "1985年4月1日", "status", audit)
    first = shop.json("outbox", "list")
    status_url = shop.case(code)["links"]["status"]
    assert any(m["case"] == code and status_url in m["body"] for m in first), "the first message has no status link"

    text = status_page(browser, shop, code)
    assert code in text and "お品物をお送りください" in text
    check_page(browser, auditor, "status, applied", audit)

    record = receive_and_assess(shop, code, [AssessedItem("ゲーム機", 1, 9000), AssessedItem("本", 3, 100)])
    text = status_page(browser, shop, code)
    assert "査定結果をご確認ください" in text
    assert browser.find("[aria-current=step]").text.startswith("回答済み")
    check_page(browser, auditor, "status, assessed", audit)

    shop.run("case", "cancel", code)
    shop.run("case", "return", code, "--carrier", "ヤマト運輸", "--tracking", "4321-8765-0987")
    text = status_page(browser, shop, code)
    assert "このお取引はキャンセルされました" in text
    assert "ヤマト運輸" in text and "432187650987" in text
    check_page(browser, auditor, "status, returned", audit)
    expect_no_violations(auditor, ["status, applied", "status, assessed", "status, returned"])


def test_kit_message_is_queued_once_staff_record_the_kit_sent(open_browser, shop: Shop, auditor: Auditor) -> None:
    browser = open_browser(javascript=True)
    applicant = Applicant(name="梱包 希望", kana="コンポウ キボウ", email="kit@example.jp", kit="yes")
    code = apply_through_confirmation(browser, auditor, applicant, "1985-04-01", "1985年4月1日", "kit")
    assert "梱包キット" in browser.text() and "お送り先" not in browser.text()
    assert code in [entry["code"] for entry in shop.json("kits", "list")]
    assert not [m for m in shop.json("outbox", "list") if m["case"] == code and m["event"] == "kit_arranged"]

    shop.run("kits", "sent", code, "--tracking", "5555-6666-7777", "--carrier", "佐川急便")
    kit = [m for m in shop.json("outbox", "list") if m["case"] == code and m["event"] == "kit_arranged"]
    assert len(kit) == 1 and "555566667777" in kit[0]["body"]
    assert code not in [entry["code"] for entry in shop.json("kits", "list")]
    text = status_page(browser, shop, code)
    assert "梱包キットをお送りしました" in text and "555566667777" in text
    check_page(browser, auditor, "status, kit sent")
    expect_no_violations(auditor, ["status, kit sent", "applied (kit)"])
