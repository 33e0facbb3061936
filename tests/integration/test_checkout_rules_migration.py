"""Checkout Sessions completed before migration 24 keep passing `ledger check`.

Before migration 23, billcli did not count a payment session's coupon (no discount was
recorded) and showed a subscription session's price before its customer's coupon while
the first invoice took it. Those ledgers were right by the rules of their day: the
newer rules (`core.checkout.RULES`) hold only for sessions completed under them. The
ledger here is made with today's code, then put back as the older code left it (its
rows and its schema at version 23), and opened again.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Callable
from typing import Any

import pytest

from billcli.services.checkout import completion
from billcli.store.ledger import Ledger

pytestmark = pytest.mark.sqlite_only("the ledger is put back to an older schema with SQLite")

BEFORE_RULES = 23  # migration 24 marks which rules a session completed under
SUCCESS = "https://shop.example/done"


def _paid(ledger_path: Any, made: dict[str, Any]) -> None:
    with Ledger(ledger_path) as ledger:
        secret = made["url"].rsplit("/c/", 1)[1]
        assert completion.pay(ledger, secret, "pm_card_visa", "ada@example.com").completed


def _as_the_older_code_left_it(path: Any, payment: str, subscription: str) -> None:
    """The payment session's coupon never counted; the subscription session showing its
    price before the customer's coupon (2 × 10.00 = 20.00, nothing off); the schema of
    version 23, without `completed_under` nor what later migrations made (25's indexes,
    27's and 28's columns; 26 remakes what it changes, so it runs again unharmed)."""
    conn = sqlite3.connect(path, isolation_level=None)
    conn.execute("DELETE FROM discounts WHERE checkout_session = ?", [payment])
    conn.execute("UPDATE coupons SET times_redeemed = times_redeemed - 1 WHERE id = 'TEN'")
    conn.execute(
        "UPDATE checkout_sessions SET amount_total = 2000, amount_discount = 0 WHERE id = ?",
        [subscription],
    )
    conn.execute("ALTER TABLE checkout_sessions DROP COLUMN completed_under")
    conn.execute("DROP INDEX checkout_sessions_by_payment_intent")
    conn.execute("DROP INDEX checkout_sessions_by_setup_intent")
    conn.execute("ALTER TABLE subscription_items DROP COLUMN price_since")
    conn.execute("ALTER TABLE events DROP COLUMN request_id")
    conn.execute(f"PRAGMA user_version = {BEFORE_RULES}")
    conn.close()


def test_sessions_completed_under_older_rules_pass_ledger_check_and_new_ones_are_held_to_them(
    ok: Callable[..., Any], billcli, ledger_path
) -> None:
    ok("products", "create", "--name", "Manual", "--id", "manual")
    ok("products", "create", "--name", "Plan", "--id", "plan")
    once = ok("prices", "create", "--product", "manual", "--currency", "usd",
              "--unit-amount", "1500")["id"]  # fmt: skip
    monthly = ok("prices", "create", "--product", "plan", "--currency", "usd",
                 "--unit-amount", "1000", "--recurring-interval", "month")["id"]  # fmt: skip
    ok("coupons", "create", "--id", "TEN", "--percent-off", "10")
    ok("coupons", "create", "--id", "HALF", "--percent-off", "50", "--duration", "forever")
    cus = ok("customers", "create", "--email", "ada@example.com", "--coupon", "HALF")["id"]
    payment = ok("checkout", "sessions", "create", "--mode", "payment", "--price", once,
                 "--coupon", "TEN", "--success-url", SUCCESS)  # fmt: skip
    sub = ok("checkout", "sessions", "create", "--mode", "subscription", "--price",
             f"{monthly}:2", "--customer", cus, "--success-url", SUCCESS)  # fmt: skip
    # 15.00 less 10% = 13.50; 2 × 10.00 less the customer's 50% = 10.00.
    assert (payment["amount_total"], sub["amount_total"]) == (1350, 1000)
    _paid(ledger_path, payment)
    _paid(ledger_path, sub)
    _as_the_older_code_left_it(ledger_path, payment["id"], sub["id"])

    result = billcli("ledger", "check")
    assert result.code == 0, result.out
    invoice = ok("invoices", "show", ok("checkout", "sessions", "show", sub["id"])["invoice"])
    assert invoice["total"] == 1000  # what the older page showed as 20.00

    # The same rows completed under today's rules are inconsistent, and found.
    conn = sqlite3.connect(ledger_path, isolation_level=None)
    conn.execute("UPDATE checkout_sessions SET completed_under = 1")
    conn.close()
    found = billcli("ledger", "check")
    assert found.code != 0
    assert "coupon TEN redeemed 0 times, not once" in found.out
    assert "total 2000 shown" in found.out
