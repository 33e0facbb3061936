"""Fixtures of the subscription tests: a catalog, customers, a clock at a known instant."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime
from typing import Any

import pytest

# Every scenario starts here: within the 2-year reach of one tick from today's clock,
# on the 31st, so month-end clamping shows in every monthly renewal.
START = "2027-01-31T12:00:00Z"


def ts(text: str) -> int:
    return int(datetime.fromisoformat(text.replace("Z", "+00:00")).timestamp())


def day(instant: int) -> str:
    return datetime.fromtimestamp(instant, UTC).strftime("%Y-%m-%d %H:%M:%S")


@pytest.fixture
def at_start(ok: Callable[..., Any]) -> int:
    """The ledger clock frozen at START."""
    ok("ledger", "init")
    ok("invoices", "tick", "--to", START)
    return ts(START)


@pytest.fixture
def catalog(ok: Callable[..., Any], at_start: int) -> dict[str, str]:
    """A product with monthly, yearly, weekly and one-time prices, and a second product."""
    ok("products", "create", "--name", "Pro plan", "--id", "pro")
    ok("products", "create", "--name", "Seats", "--id", "seats", "--unit-label", "seat")
    price = {}
    for name, args in {
        "monthly": ("--product", "pro", "--unit-amount", "2000", "--recurring-interval", "month"),
        "yearly": ("--product", "pro", "--unit-amount", "20000", "--recurring-interval", "year"),
        "weekly": ("--product", "pro", "--unit-amount", "700", "--recurring-interval", "week"),
        "setup": ("--product", "pro", "--unit-amount", "5000"),
        "seat": ("--product", "seats", "--unit-amount", "1000", "--recurring-interval", "month"),
        "eur": ("--product", "pro", "--unit-amount", "1800", "--recurring-interval", "month"),
    }.items():
        currency = "eur" if name == "eur" else "usd"
        price[name] = ok("prices", "create", *args, "--currency", currency)["id"]
    return price


@pytest.fixture
def customer(ok: Callable[..., Any], at_start: int) -> Callable[..., str]:
    """A customer with a card (`card=None`: without one)."""

    def make(card: str | None = "pm_card_visa", **fields: str) -> str:
        args = ["customers", "create", "--name", fields.get("name", "Ada"), "--email",
                fields.get("email", "ada@example.com")]  # fmt: skip
        if card:
            args += ["--payment-method", card]
        return str(ok(*args)["id"])

    return make
