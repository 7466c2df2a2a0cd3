"""A customer's application: the same answers typed into the browser or posted over HTTP."""

from __future__ import annotations

from dataclasses import dataclass, replace

from selenium.common.exceptions import ElementClickInterceptedException, ElementNotInteractableException
from selenium.webdriver.common.by import By
from selenium.webdriver.support.ui import Select

from .browser import Browser


@dataclass(frozen=True)
class Applicant:
    name: str
    kana: str
    email: str
    birth_date: str = "1985-04-12"
    occupation: str = "会社員"
    postal_code: str = "330-0063"
    prefecture: str = "埼玉県"
    address: str = "さいたま市浦和区高砂2-8-14"
    building: str = "まる福ハイツ101号室"
    phone: str = "090-1234-5678"
    contact: str = "email"
    payout: str = "bank_transfer"
    bank_code: str = "0009"
    branch_code: str = "123"
    account_type: str = "1"
    account_number: str = "1234567"
    account_holder: str = "ヤマダ タロウ"
    items: tuple[tuple[str, str, str], ...] = (
        ("game", "Nintendo Switch 本体（有機ELモデル）", "1"),
        ("camera", "Canon EOS Kiss X10 ダブルズームキット", "1"),
        ("books", "文庫本 まとめて", "12"),
    )
    boxes: str = "2"
    kit: str = "no"
    notes: str = "平日の午前中は不在にしております。"

    @property
    def full_address(self) -> str:
        return f"{self.prefecture}{self.address} {self.building}"

    def with_kana(self, kana: str) -> Applicant:
        return replace(self, kana=kana)

    def form_pairs(self, agree: bool = True) -> list[tuple[str, str]]:
        """The POST /apply fields of interfaces.md, item rows aligned by position."""
        pairs = [(name, getattr(self, name)) for name in (
            "name", "kana", "birth_date", "occupation", "postal_code", "prefecture", "address", "building",
            "phone", "email", "contact", "payout", "bank_code", "branch_code", "account_type", "account_number",
            "account_holder", "boxes", "kit", "notes")]
        for category, description, quantity in self.items:
            pairs += [("item_category", category), ("item_description", description), ("item_quantity", quantity)]
        pairs += [("pickup_date", ""), ("pickup_slot", ""), ("website", "")]
        if agree:
            pairs.append(("agree", "on"))
        return pairs


def type_into(browser: Browser, element, text: str) -> None:
    browser.scroll_to(element)
    element.clear()
    element.send_keys(text)


def set_date(browser: Browser, element, iso: str) -> None:
    """Date inputs take keystrokes in the browser locale's order; the value is what gets posted."""
    browser.scroll_to(element)
    browser.driver.execute_script("""
        arguments[0].value = arguments[1];
        arguments[0].dispatchEvent(new Event('input', {bubbles: true}));
        arguments[0].dispatchEvent(new Event('change', {bubbles: true}));
    """, element, iso)


def click(browser: Browser, element) -> None:
    """Clicks a control, or its label when the control itself is styled away."""
    browser.scroll_to(element)
    try:
        element.click()
    except (ElementNotInteractableException, ElementClickInterceptedException):
        browser.driver.find_element(By.CSS_SELECTOR, f"label[for='{element.get_attribute('id')}']").click()


def choose(browser: Browser, name: str, value: str) -> None:
    click(browser, browser.find(f"input[name='{name}'][value='{value}']"))


def tick(browser: Browser, element, ticked: bool = True) -> None:
    if element.is_selected() != ticked:
        click(browser, element)


def fill_application(browser: Browser, applicant: Applicant, agree: bool = True) -> None:
    """Fills /apply/ as a person would: typing, choosing, ticking. The payout method comes first:
    with script, the bank account fields appear only once bank transfer is chosen."""
    choose(browser, "contact", applicant.contact)
    choose(browser, "payout", applicant.payout)
    for name in ("name", "kana", "occupation", "postal_code", "address", "building", "phone", "email",
                 "bank_code", "branch_code", "account_number", "account_holder", "notes"):
        type_into(browser, browser.field(name), getattr(applicant, name))
    set_date(browser, browser.field("birth_date"), applicant.birth_date)
    Select(browser.field("prefecture")).select_by_value(applicant.prefecture)
    Select(browser.field("account_type")).select_by_value(applicant.account_type)
    Select(browser.field("boxes")).select_by_value(applicant.boxes)
    if browser.find_all(f"input[name='kit'][value='{applicant.kit}']"):
        choose(browser, "kit", applicant.kit)
    fill_items(browser, applicant.items)
    tick(browser, browser.field("agree"), agree)


def fill_items(browser: Browser, items: tuple[tuple[str, str, str], ...]) -> None:
    categories = browser.driver.find_elements(By.NAME, "item_category")
    if len(categories) < len(items):
        raise AssertionError(f"the form shows {len(categories)} item rows, the test needs {len(items)}")
    descriptions = browser.driver.find_elements(By.NAME, "item_description")
    quantities = browser.driver.find_elements(By.NAME, "item_quantity")
    for index, (category, description, quantity) in enumerate(items):
        browser.scroll_to(categories[index])
        Select(categories[index]).select_by_value(category)
        type_into(browser, descriptions[index], description)
        type_into(browser, quantities[index], quantity)


def spaces_as_ascii(text: str) -> str:
    return text.replace("\u3000", " ")


def values_kept(browser: Browser, applicant: Applicant) -> dict[str, tuple[str, str]]:
    """Fields whose shown value differs from what was typed: {name: (expected, shown)}."""
    differences = {}
    for name in ("name", "occupation", "postal_code", "address", "building", "phone", "email",
                 "bank_code", "branch_code", "account_number", "account_holder", "notes", "birth_date",
                 "prefecture", "account_type", "boxes"):
        shown = browser.field(name).get_attribute("value")
        # Kana fields come back normalized, spaces full-width: the same name to the customer.
        if spaces_as_ascii(shown) != spaces_as_ascii(getattr(applicant, name)):
            differences[name] = (getattr(applicant, name), shown)
    for name in ("contact", "payout"):
        checked = [e.get_attribute("value") for e in browser.driver.find_elements(By.NAME, name) if e.is_selected()]
        if checked != [getattr(applicant, name)]:
            differences[name] = (getattr(applicant, name), ",".join(checked))
    descriptions = [e.get_attribute("value") for e in browser.driver.find_elements(By.NAME, "item_description")]
    for index, (_, description, _) in enumerate(applicant.items):
        shown = descriptions[index] if index < len(descriptions) else "(no row)"
        if shown != description:
            differences[f"item_description[{index}]"] = (description, shown)
    return differences
