"""Property: one tick over a→c leaves the ledger exactly as a→b then b→c."""

import shutil
import sqlite3
import tempfile
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from billcli.services.clock import tick
from billcli.services.customers import customers
from billcli.services.customers.customers import CustomerInput
from billcli.services.invoicing import invoices
from billcli.services.invoicing import items as invoice_items
from billcli.services.invoicing.invoices import InvoiceInput
from billcli.services.invoicing.items import ItemInput
from billcli.services.ledger import settings as ledger_settings
from billcli.store.ledger import Ledger

T = 1_900_000_000
CARDS = ["pm_card_visa", "pm_card_chargeCustomerFail", None]


def build(path: Path, *, final_action: str) -> None:
    with Ledger(path) as ledger:
        with ledger.write() as tx:
            tx.meta.set("clock.frozen_at", str(T))
        ledger_settings.set_value(ledger, "dunning.final_action", final_action)
        for n, card in enumerate(CARDS * 2):
            cid = customers.create(
                ledger,
                CustomerInput(
                    currency="usd",
                    email=f"c{n}@example.com",
                    payment_method=card,
                    balance="-300" if n % 2 else None,
                ),
            )["id"]
            invoice_items.create(ledger, ItemInput(cid, amount=str(1000 + n)))
            method = "send_invoice" if n == 5 else None
            invoices.create(
                ledger, InvoiceInput(cid, pending_items="include", collection_method=method)
            )
            with ledger.write(at=T + n * 1800):
                pass


def state(path: Path) -> tuple[object, ...]:
    conn = sqlite3.connect(path)
    invoices_ = conn.execute(
        "SELECT id, status, amount_due, amount_paid, attempt_count, next_payment_attempt, "
        "finalized_at, paid_at, marked_uncollectible_at, number, ending_balance FROM invoices "
        "ORDER BY id"
    ).fetchall()
    # An intent or charge the tick makes has a fresh id in each run: it is named by its
    # invoice, as an invoice payment is.
    events = conn.execute(
        "SELECT type, created, coalesce(json_extract(object, '$.invoice'), "
        "json_extract(object, '$.id')) FROM events ORDER BY seq"
    ).fetchall()
    attempts = conn.execute(
        "SELECT invoice, created, succeeded FROM payment_attempts ORDER BY seq"
    ).fetchall()
    balances = conn.execute(
        "SELECT customer, amount, type, created FROM balance_transactions ORDER BY seq"
    ).fetchall()
    clock = conn.execute("SELECT value FROM meta WHERE key = 'clock.frozen_at'").fetchone()
    conn.close()
    return invoices_, events, attempts, balances, clock


@settings(max_examples=12, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    first=st.integers(0, 20 * 86_400),
    second=st.integers(0, 20 * 86_400),
    final_action=st.sampled_from(["mark_uncollectible", "leave_open"]),
)
def test_one_tick_equals_two_consecutive_ticks(first, second, final_action):
    with tempfile.TemporaryDirectory() as folder:
        whole, split = Path(folder) / "whole.db", Path(folder) / "split.db"
        build(whole, final_action=final_action)
        shutil.copy(whole, split)
        start = T + 5 * 1800
        with Ledger(whole) as ledger:
            tick.tick(ledger, to=str(start + first + second))
        with Ledger(split) as ledger:
            tick.tick(ledger, to=str(start + first))
            tick.tick(ledger, to=str(start + first + second))
        assert state(whole) == state(split)
