"""Fixtures of the test clock tests: the ledger clock at a known instant, and test
clocks years away from it, so a timestamp taken from the wrong clock cannot pass."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from tests.conftest import raw_connection
from tests.subscriptions.conftest import at_start, catalog, ts  # noqa: F401

CLOCK_START = "2020-01-31T12:00:00Z"  # on the 31st: month-end clamping in every renewal

# Every table with a timestamp of a customer's, and the columns that hold one.
CUSTOMER_TIMES = {
    "customers": ("id", ["created"]),
    "balance_transactions": ("customer", ["created"]),
    "invoices": ("customer", ["created", "finalized_at", "paid_at", "voided_at", "due_date",
                              "marked_uncollectible_at", "next_payment_attempt", "finalizes_at",
                              "webhooks_delivered_at", "period_start", "period_end"]),
    "invoice_items": ("customer", ["created", "period_start", "period_end"]),
    "payment_methods": ("customer", ["created"]),
    "payment_intents": ("customer", ["created", "canceled_at"]),
    "charges": ("customer", ["created"]),
    "setup_intents": ("customer", ["created"]),
    "subscriptions": ("customer", ["created", "start_date", "current_period_start",
                                   "canceled_at", "ended_at", "trial_start"]),
    "credit_notes": ("customer", ["created", "voided_at"]),
    "discounts": ("customer", ["start", "ended_at"]),
    "portal_sessions": ("customer", ["created", "visited_at"]),
}  # fmt: skip


@pytest.fixture
def new_clock(ok: Callable[..., Any], request: pytest.FixtureRequest) -> Callable[..., str]:
    """A test clock frozen at `when` (default CLOCK_START), on a ledger whose own clock
    stands at the subscription tests' START (2027)."""
    request.getfixturevalue("at_start")

    def make(when: str = CLOCK_START, name: str = "simulation") -> str:
        return str(ok("clocks", "create", "--frozen-time", when, "--name", name)["id"])

    return make


@pytest.fixture
def clock_customer(ok: Callable[..., Any]) -> Callable[..., str]:
    """A customer with a card on a test clock."""

    def make(clock: str, name: str = "Ada", card: str | None = "pm_card_visa") -> str:
        args = ["customers", "create", "--name", name, "--email", f"{name.lower()}@example.com",
                "--clock", clock]  # fmt: skip
        return str(ok(*args, *(["--payment-method", card] if card else []))["id"])

    return make


def customer_times(ledger: Path, customer: str) -> dict[str, list[int]]:
    """Every timestamp the ledger holds for a customer's objects, by table.column, and
    the `created` of every event about them."""
    conn = raw_connection(ledger)
    found: dict[str, list[int]] = {}
    try:
        for table, (owner, columns) in CUSTOMER_TIMES.items():
            for column in columns:
                rows = conn.execute(
                    f"SELECT {column} FROM {table} WHERE {owner} = ? AND {column} IS NOT NULL",
                    [customer],
                )
                found[f"{table}.{column}"] = [row[0] for row in rows]
        events = conn.execute(
            "SELECT created FROM events WHERE json_extract(object, '$.customer') = ? "
            "OR json_extract(object, '$.id') = ?",
            [customer, customer],
        )
        found["events.created"] = [row[0] for row in events]
    finally:
        conn.close()
    return found
