"""The retry schedule counts from an invoice's first attempt, whoever made it, and every
`invoice.payment_failed` names the next retry. Stripe: "Any payment attempt counts as
the first attempt, and subsequently only automatic retries increment the attempt count"
(`attempt_count`, facts §4.7), and on a failure `next_payment_attempt` is set when a
retry remains; billcli retries +1, +2, +4, +6, +8, +11 and +14 days after the first
attempt (billcli-decisions, Payment attempts and retries)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

DAY = 86_400


def _failures(ok: Callable[..., Any], invoice: str) -> list[tuple[int, int | None]]:
    """(attempt_count, next_payment_attempt) of each `invoice.payment_failed`, oldest first."""
    listed = ok("events", "list", "--type", "invoice.payment_failed", "--all")["data"]
    shown = [e["data"]["object"] for e in reversed(listed)]
    return [(i["attempt_count"], i["next_payment_attempt"]) for i in shown if i["id"] == invoice]


def test_each_automatic_failure_event_names_the_next_retry_and_the_last_names_none(
    ok: Callable[..., Any],
    customer: Callable[..., str],
    auto_invoice: Callable[..., dict[str, Any]],
    at_start: int,
    checked_ledger: Any,
) -> None:
    invoice = auto_invoice(customer(card="pm_card_chargeCustomerFail"))
    first = invoice["next_payment_attempt"]
    assert first == at_start
    ok("invoices", "tick", "--by", "1h")
    shown = ok("invoices", "show", invoice["id"])
    assert (shown["attempt_count"], shown["next_payment_attempt"]) == (1, first + DAY)
    assert _failures(ok, invoice["id"]) == [(1, first + DAY)]
    ok("invoices", "tick", "--by", "15d")
    assert _failures(ok, invoice["id"]) == [
        (1, first + 1 * DAY),
        (2, first + 2 * DAY),
        (3, first + 4 * DAY),
        (4, first + 6 * DAY),
        (5, first + 8 * DAY),
        (6, first + 11 * DAY),
        (7, first + 14 * DAY),
        (8, None),
    ]
    final = ok("invoices", "show", invoice["id"])
    assert (final["status"], final["attempt_count"], final["next_payment_attempt"]) == (
        "uncollectible",
        8,
        None,
    )
    checked_ledger()


def test_a_failed_manual_first_attempt_starts_the_schedule_and_is_not_repeated_at_once(
    ok: Callable[..., Any],
    billcli: Any,
    customer: Callable[..., str],
    auto_invoice: Callable[..., dict[str, Any]],
    at_start: int,
    checked_ledger: Any,
) -> None:
    invoice = auto_invoice(customer(card="pm_card_chargeCustomerFail"))
    assert invoice["next_payment_attempt"] == at_start  # the clock's first attempt, due
    declined = billcli("invoices", "pay", invoice["id"], "--json")
    assert declined.code == 4 and declined.json["error"]["code"] == "card_declined"
    shown = ok("invoices", "show", invoice["id"])
    assert (shown["attempt_count"], shown["next_payment_attempt"]) == (1, at_start + DAY)
    assert _failures(ok, invoice["id"]) == [(1, at_start + DAY)]

    ok("invoices", "tick", "--by", "23h")  # the first retry is a day after that attempt
    assert len(ok("charges", "list", "--customer", shown["customer"])["data"]) == 1
    ok("invoices", "tick", "--by", "1h")
    retried = ok("invoices", "show", invoice["id"])
    assert (retried["attempt_count"], retried["next_payment_attempt"]) == (2, at_start + 2 * DAY)
    assert len(ok("charges", "list", "--customer", shown["customer"])["data"]) == 2

    paid = ok("invoices", "pay", invoice["id"], "--payment-method", "pm_card_visa")
    assert (paid["status"], paid["attempt_count"], paid["next_payment_attempt"]) == (
        "paid",
        2,
        None,
    )
    checked_ledger()


def test_a_manual_attempt_on_an_invoice_the_clock_does_not_collect_schedules_nothing(
    ok: Callable[..., Any],
    billcli: Any,
    customer: Callable[..., str],
    open_invoice: Any,
    checked_ledger: Any,
) -> None:
    invoice = open_invoice(customer(card="pm_card_chargeCustomerFail"))  # --no-auto-advance
    assert billcli("invoices", "pay", invoice["id"], "--json").code == 4
    shown = ok("invoices", "show", invoice["id"])
    assert (shown["attempt_count"], shown["next_payment_attempt"]) == (1, None)
    assert _failures(ok, invoice["id"]) == [(1, None)]
    checked_ledger()


def test_turning_auto_advance_off_stops_the_retries_and_clears_the_next_attempt(
    ok: Callable[..., Any],
    customer: Callable[..., str],
    auto_invoice: Callable[..., dict[str, Any]],
    at_start: int,
    checked_ledger: Any,
) -> None:
    invoice = auto_invoice(customer(card="pm_card_chargeCustomerFail"))
    ok("invoices", "tick", "--by", "1h")
    failed = ok("invoices", "show", invoice["id"])
    assert (failed["attempt_count"], failed["next_payment_attempt"]) == (1, at_start + DAY)
    stopped = ok("invoices", "update", invoice["id"], "--no-auto-advance")
    assert (stopped["auto_advance"], stopped["next_payment_attempt"]) == (False, None)
    updated = ok("events", "list", "--type", "invoice.updated", "--limit", "1")["data"][0]
    assert updated["data"]["object"]["next_payment_attempt"] is None
    assert updated["data"]["previous_attributes"]["next_payment_attempt"] == at_start + DAY
    ok("invoices", "tick", "--by", "20d")
    after = ok("invoices", "show", invoice["id"])
    assert (after["status"], after["attempt_count"], after["next_payment_attempt"]) == (
        "open",
        1,
        None,
    )
    assert len(ok("charges", "list", "--customer", failed["customer"])["data"]) == 1
    checked_ledger()
