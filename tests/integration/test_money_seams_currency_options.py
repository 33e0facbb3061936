"""Money where multi-currency prices meet other features: a customer billed in a
price's currency option sees that option's amounts everywhere an amount is shown."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

START = "2027-01-31T12:00:00Z"


def _catalog(ok: Callable[..., Any]) -> str:
    ok("ledger", "init")
    ok("invoices", "tick", "--to", START)
    ok("products", "create", "--name", "Pro", "--id", "pro")
    price = ok("prices", "create", "--product", "pro", "--currency", "usd",
               "--unit-amount", "2000", "--recurring-interval", "month",
               "--currency-option", "eur:1800", "--currency-option", "jpy:3001")  # fmt: skip
    return str(price["id"])


def _customer(ok: Callable[..., Any], currency: str) -> str:
    made = ok("customers", "create", "--name", "Ada", "--email", "ada@example.com",
              "--currency", currency, "--payment-method", "pm_card_visa")  # fmt: skip
    return str(made["id"])


def test_a_subscription_line_describes_the_unit_amount_of_the_currency_it_is_billed_in(
    ok: Callable[..., Any], checked_ledger: Callable[[], None]
) -> None:
    price = _catalog(ok)
    for currency, words in (("eur", "3 × Pro (at €18.00 / month)"),
                            ("jpy", "3 × Pro (at ¥3,001 / month)")):  # fmt: skip
        cus = _customer(ok, currency)
        ok("subscriptions", "create", "--customer", cus, "--price", f"{price}:3")
        (invoice,) = ok("invoices", "list", "--customer", cus)["data"]
        (line,) = invoice["lines"]["data"]
        assert (invoice["currency"], line["amount"]) == (
            currency,
            3 * (1800 if currency == "eur" else 3001),
        )
        assert line["description"] == words
        preview = ok("invoices", "upcoming", "--customer", cus)
        assert preview["lines"]["data"][0]["description"] == words
    checked_ledger()


def test_subscriptions_show_prices_an_item_in_the_subscriptions_currency(
    ok: Callable[..., Any], billcli: Callable[..., Any], checked_ledger: Callable[[], None]
) -> None:
    price = _catalog(ok)
    sub = ok("subscriptions", "create", "--customer", _customer(ok, "eur"), "--price", price)
    shown = billcli("subscriptions", "show", sub["id"])
    assert shown.code == 0
    assert "1 × pro at €18.00 / month" in shown.out and "$20.00" not in shown.out
    listed = billcli("subscriptions", "list")
    assert "1 × €18.00 / month" in listed.out and "$20.00" not in listed.out
    checked_ledger()
