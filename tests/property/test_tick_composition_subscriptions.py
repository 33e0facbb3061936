"""Property: with subscriptions in play, one tick over a→c leaves the ledger exactly as
a→b then b→c: the same renewals, charges, notices and ends, at the same instants."""

import shutil
import sqlite3
import tempfile
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from billcli.services.catalog import prices, products
from billcli.services.catalog.prices import PriceInput
from billcli.services.catalog.products import ProductInput
from billcli.services.clock import tick
from billcli.services.customers import customers
from billcli.services.customers.customers import CustomerInput
from billcli.services.subscriptions import creation as subscriptions
from billcli.services.subscriptions.creation import SubscriptionInput
from billcli.store.ledger import Ledger

T = 1_801_396_800  # 2027-01-31 00:00 UTC: month-end clamping in play
DAY = 86_400


def build(path: Path) -> None:
    with Ledger(path) as ledger:
        subscribe(ledger, catalog(ledger))


def catalog(ledger: Ledger) -> dict[str, str]:
    """The ledger clock at T and a plan priced by the week, the month and the year."""
    with ledger.write() as tx:
        tx.meta.set("clock.frozen_at", str(T))
    products.create(ledger, ProductInput(name="Plan", id="plan"))
    return {
        interval: prices.create(
            ledger,
            PriceInput(
                product="plan", currency="usd", unit_amount="1500", recurring_interval=interval
            ),
        )["id"]
        for interval in ("week", "month", "year")
    }


def subscribe(
    ledger: Ledger, price: dict[str, str], start: int = T, test_clock: str | None = None
) -> None:
    """Seven customers (on `test_clock`, or the ledger clock, at `start`), one
    subscription each: a renewal, a decline, a trial, send_invoice, a cancellation at
    period end, a cancel_at and a second decline."""
    cases = [
        ("pm_card_visa", SubscriptionInput(prices=(price["month"],))),
        ("pm_card_chargeCustomerFail", SubscriptionInput(prices=(price["week"],))),
        ("pm_card_visa", SubscriptionInput(prices=(price["month"],), trial_days=9)),
        (None, SubscriptionInput(prices=(f"{price['month']}:2",),
                                 collection_method="send_invoice", days_until_due=5)),
        ("pm_card_visa", SubscriptionInput(prices=(price["year"],), cancel_at_period_end=True)),
        ("pm_card_visa", SubscriptionInput(prices=(price["month"],), cancel_at=start + 40 * DAY)),
        ("pm_card_chargeCustomerFail", SubscriptionInput(prices=(price["month"],))),
    ]  # fmt: skip
    for n, (card, data) in enumerate(cases):
        cid = customers.create(
            ledger,
            CustomerInput(
                currency="usd",
                email=f"c{n}@example.com",
                payment_method=card,
                test_clock=test_clock,
            ),
        )["id"]
        subscriptions.create(ledger, SubscriptionInput(**{**vars(data), "customer": cid}))


def state(path: Path) -> tuple[object, ...]:
    """Everything the ticks decide, by content (their new objects' ids differ)."""
    conn = sqlite3.connect(path)
    subs = conn.execute(
        "SELECT s.id, s.status, s.current_period_start, s.current_period_end, s.canceled_at, "
        "s.ended_at, s.next_action_at, s.trial_will_end_sent, s.upcoming_sent_for, i.created, "
        "i.billing_reason FROM subscriptions s LEFT JOIN invoices i ON i.id = s.latest_invoice "
        "ORDER BY s.id"
    ).fetchall()
    invoices = sorted(
        conn.execute(
            "SELECT customer, subscription, billing_reason, created, status, total, amount_due, "
            "amount_paid, attempt_count, next_payment_attempt, finalized_at, paid_at, number, "
            "period_start, period_end, auto_advance FROM invoices"
        ).fetchall(),
        key=repr,
    )
    lines = sorted(
        conn.execute(
            "SELECT i.customer, i.created, l.type, l.amount, l.period_start, l.period_end, "
            "l.proration FROM invoice_items l JOIN invoices i ON i.id = l.invoice"
        ).fetchall(),
        key=repr,
    )
    events = conn.execute("SELECT type, created FROM events ORDER BY created, seq").fetchall()
    balances = conn.execute(
        "SELECT customer, amount, type, created FROM balance_transactions ORDER BY seq"
    ).fetchall()
    clock = conn.execute("SELECT value FROM meta WHERE key = 'clock.frozen_at'").fetchone()
    conn.close()
    return subs, invoices, lines, sorted(events), balances, clock


@settings(max_examples=8, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(first=st.integers(0, 45 * DAY), second=st.integers(0, 45 * DAY))
def test_one_tick_equals_two_consecutive_ticks_with_subscriptions(first, second):
    with tempfile.TemporaryDirectory() as folder:
        whole, split = Path(folder) / "whole.db", Path(folder) / "split.db"
        build(whole)
        shutil.copy(whole, split)
        with Ledger(whole) as ledger:
            tick.tick(ledger, to=str(T + first + second))
        with Ledger(split) as ledger:
            tick.tick(ledger, to=str(T + first))
            tick.tick(ledger, to=str(T + first + second))
        assert state(whole) == state(split)
