"""Everything a customer on a test clock can do happens in its clock's time: the ledger
clock stands at 2027, the test clock at 2020, so a timestamp taken from the wrong clock
is years out of place."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

from tests.clocks.conftest import CLOCK_START, customer_times, ts

DAY = 86_400
# What the journey below writes, at least once each (so the time check covers them).
WRITTEN = (
    "customers.created balance_transactions.created invoices.created invoices.finalized_at "
    "invoices.paid_at invoices.voided_at invoices.due_date invoice_items.created "
    "payment_methods.created payment_intents.created "
    "charges.created setup_intents.created subscriptions.created subscriptions.trial_start "
    "subscriptions.canceled_at subscriptions.ended_at credit_notes.created discounts.start "
    "portal_sessions.created events.created"
).split()


def _in_the_clocks_time(ledger: Path, customer: str, start: int, now: int) -> None:
    """Every timestamp of the customer's objects lies in the simulation: from the clock's
    start to at most a year after its now (a renewal's end, a retry, a trial's end)."""
    for column, values in customer_times(ledger, customer).items():
        strays = [v for v in values if not start <= v <= now + 366 * DAY]
        assert not strays, f"{column} holds {strays} outside the clock's time"


def test_a_clock_customer_does_everything_in_its_clocks_time(
    ok: Callable[..., Any],
    billcli: Callable[..., Any],
    new_clock: Callable[..., str],
    clock_customer: Callable[..., str],
    catalog: dict[str, str],
    ledger_path: Path,
    checked_ledger: Callable[[], None],
) -> None:
    start = ts(CLOCK_START)
    clock = new_clock()
    ada = clock_customer(clock)
    shown = ok("customers", "show", ada)
    assert (shown["test_clock"], shown["created"]) == (clock, start)
    ok("customers", "update", ada, "--name", "Ada L.", "--balance", "-300")
    ok("balance", "create", ada, "--amount", "-200", "--description", "goodwill")
    card = ok("payment-methods", "create", "--token", "pm_card_mastercard", "--customer", ada)
    ok("setup-intents", "create", "--customer", ada, "--payment-method", "pm_card_amex",
       "--confirm")  # fmt: skip
    ok("payment-methods", "detach", card["id"])
    item = ok("invoices", "items", "create", "--customer", ada, "--amount", "4000",
              "--description", "Consulting")  # fmt: skip
    assert (item["test_clock"], item["date"]) == (clock, start)
    draft = ok("invoices", "create", "--customer", ada, "--pending-items", "include")
    assert (draft["test_clock"], draft["created"]) == (clock, start)
    assert draft["automatically_finalizes_at"] == start + 3600  # an hour, in its time
    paid = ok("invoices", "pay", draft["id"])
    assert (paid["status"], paid["status_transitions"]["paid_at"]) == ("paid", start)
    ok("credit-notes", "create", "--invoice", paid["id"], "--amount", "500",
       "--refund-amount", "500")  # fmt: skip
    ok("invoices", "items", "create", "--customer", ada, "--amount", "900")
    voided = ok("invoices", "create", "--customer", ada, "--pending-items", "include",
                "--collection-method", "send_invoice", "--days-until-due", "30")  # fmt: skip
    voided = ok("invoices", "finalize", voided["id"])
    assert voided["due_date"] == start + 30 * DAY
    ok("invoices", "void", voided["id"])

    sub = ok("subscriptions", "create", "--customer", ada, "--price", catalog["monthly"],
             "--trial-days", "7", "--metadata", "plan=pro")  # fmt: skip
    assert (sub["test_clock"], sub["trial_start"], sub["trial_end"]) == (
        clock,
        start,
        start + 7 * DAY,
    )
    ok("coupons", "create", "--id", "half", "--percent-off", "50", "--duration", "once")
    ok("subscriptions", "update", sub["id"], "--coupon", "half", "--quantity", "2")
    upcoming = ok("invoices", "upcoming", "--customer", ada)
    assert upcoming["period_end"] >= start
    ok("portal", "configurations", "create", "--headline", "Acme")
    session = ok("portal", "sessions", "create", "--customer", ada)
    assert session["created"] == start

    advanced = ok("clocks", "advance", clock, "--by", "40d")
    now = start + 40 * DAY
    assert (advanced["status"], advanced["frozen_time"]) == ("ready", now)
    renewed = ok("subscriptions", "show", sub["id"])
    assert renewed["status"] == "active" and renewed["current_period_start"] > start
    ok("subscriptions", "cancel", sub["id"], "--invoice-now", "--prorate")
    assert ok("subscriptions", "show", sub["id"])["ended_at"] == now
    times = customer_times(ledger_path, ada)
    assert all(times[column] for column in WRITTEN), [c for c in WRITTEN if not times[c]]
    _in_the_clocks_time(ledger_path, ada, start, now)
    events = ok("events", "list", "--all")["data"]
    ours = [e for e in events if e["data"]["object"].get("customer") == ada]
    assert ours and all(start <= e["created"] <= now for e in ours)
    ledger_clock = ok("ledger", "clock")["now"]
    assert ledger_clock == ts("2027-01-31T12:00:00Z")  # the ledger's time did not move
    checked_ledger()
