"""Turning `auto_advance` back on resumes an open invoice's automatic collection. Stripe:
"auto_advance: Controls whether Stripe performs automatic collection of the invoice";
turned off, no payment is tried (facts §4.2); turned on again, the clock collects it
once more: at the retry its schedule holds after the attempts so far, or at once when
that has passed or it was never tried, and not at all once the schedule is spent."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

DAY = 86_400


@pytest.fixture
def failed_once(
    ok: Callable[..., Any], auto_invoice: Callable[..., Any]
) -> Callable[[str], dict[str, Any]]:
    """A collected invoice of `customer`, after its first attempt (an hour after
    finalization)."""

    def make(customer: str) -> dict[str, Any]:
        invoice = auto_invoice(customer)
        ok("invoices", "tick", "--by", "1h")
        return ok("invoices", "show", invoice["id"])  # type: ignore[no-any-return]

    return make


def test_collection_turned_back_on_after_a_new_card_pays_at_the_next_tick(
    ok: Callable[..., Any],
    customer: Callable[..., str],
    failed_once: Callable[[str], dict[str, Any]],
    at_start: int,
    checked_ledger: Any,
) -> None:
    cus = customer(card="pm_card_chargeCustomerFail")
    failed = failed_once(cus)
    assert (failed["attempt_count"], failed["next_payment_attempt"]) == (1, at_start + DAY)
    ok("invoices", "update", failed["id"], "--no-auto-advance")
    ok("invoices", "tick", "--by", "3d")  # past two retries the schedule held
    assert ok("invoices", "show", failed["id"])["attempt_count"] == 1
    ok("customers", "update", cus, "--payment-method", "pm_card_visa")
    card = ok("payment-methods", "list", "--customer", cus)["data"][0]["id"]
    ok("customers", "update", cus, "--default-payment-method", card)
    resumed = ok("invoices", "update", failed["id"], "--auto-advance")
    assert resumed["auto_advance"] is True
    assert resumed["next_payment_attempt"] == at_start + 3600 + 3 * DAY  # at once: it passed
    updated = ok("events", "list", "--type", "invoice.updated", "--limit", "1")["data"][0]
    assert updated["data"]["previous_attributes"]["next_payment_attempt"] is None
    ok("invoices", "tick", "--by", "1m")
    paid = ok("invoices", "show", failed["id"])
    assert (paid["status"], paid["attempt_count"], paid["next_payment_attempt"]) == (
        "paid",
        2,
        None,
    )
    checked_ledger()


def test_collection_turned_back_on_before_the_next_retry_waits_for_that_retry(
    ok: Callable[..., Any],
    customer: Callable[..., str],
    failed_once: Callable[[str], dict[str, Any]],
    at_start: int,
    checked_ledger: Any,
) -> None:
    failed = failed_once(customer(card="pm_card_chargeCustomerFail"))
    ok("invoices", "update", failed["id"], "--no-auto-advance")
    resumed = ok("invoices", "update", failed["id"], "--auto-advance")
    assert resumed["next_payment_attempt"] == at_start + DAY
    ok("invoices", "tick", "--by", "1d")
    retried = ok("invoices", "show", failed["id"])
    assert (retried["attempt_count"], retried["next_payment_attempt"]) == (2, at_start + 2 * DAY)
    checked_ledger()


def test_an_invoice_never_tried_is_charged_once_collection_is_turned_on(
    ok: Callable[..., Any],
    customer: Callable[..., str],
    open_invoice: Callable[..., dict[str, Any]],
    at_start: int,
    checked_ledger: Any,
) -> None:
    opened = open_invoice(customer())
    assert (opened["status"], opened["next_payment_attempt"]) == ("open", None)
    ok("invoices", "tick", "--by", "2h")
    assert ok("invoices", "show", opened["id"])["attempt_count"] == 0
    resumed = ok("invoices", "update", opened["id"], "--auto-advance")
    assert resumed["next_payment_attempt"] == at_start + 2 * 3600
    ok("invoices", "tick", "--by", "1m")
    paid = ok("invoices", "show", opened["id"])
    assert (paid["status"], paid["attempt_count"]) == ("paid", 1)
    checked_ledger()


def test_a_spent_schedule_is_not_restarted_by_turning_collection_back_on(
    ok: Callable[..., Any],
    customer: Callable[..., str],
    failed_once: Callable[[str], dict[str, Any]],
    checked_ledger: Any,
) -> None:
    ok("ledger", "config", "dunning.final_action", "leave_open")
    failed = failed_once(customer(card="pm_card_chargeCustomerFail"))
    ok("invoices", "tick", "--by", "15d")
    spent = ok("invoices", "show", failed["id"])
    assert (spent["status"], spent["attempt_count"], spent["next_payment_attempt"]) == (
        "open",
        8,
        None,
    )
    ok("invoices", "update", failed["id"], "--no-auto-advance")
    resumed = ok("invoices", "update", failed["id"], "--auto-advance")
    assert resumed["next_payment_attempt"] is None
    checked_ledger()
