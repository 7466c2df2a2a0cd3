"""The shop's side of a case, done with the CLI as staff would."""

from __future__ import annotations

from dataclasses import dataclass
from urllib.parse import urlsplit

from .shop import Shop


@dataclass(frozen=True)
class AssessedItem:
    name: str
    quantity: int
    unit_price: int

    @property
    def subtotal(self) -> int:
        return self.quantity * self.unit_price


def receive_and_assess(shop: Shop, code: str, items: list[AssessedItem]) -> dict:
    """received → confirmed → arrived → assessing, items entered, → assessed.

    - Returns: the case as `case show --json` has it afterwards.
    """
    shop.run("case", "confirm", code)
    shop.run("case", "arrive", code)
    shop.run("case", "start", code)
    for item in items:
        shop.run("items", "add", code, "--name", item.name, "--quantity", str(item.quantity),
                 "--price", str(item.unit_price))
    shop.run("case", "assess", code)
    record = shop.case(code)
    assert record["status"] == "assessed", f"{code} is {record['status']} after `case assess`"
    return record


def link_path(url: str | None, what: str) -> str:
    """The path of a link from `case show --json` (absolute, under shop.yml's base_url)."""
    assert url, f"the case has no {what} link"
    return urlsplit(url).path
