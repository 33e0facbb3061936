"""An invoice a subscription change charges at once (`always_invoice`, a new billing
cycle) and that the card declines leaves the subscription `past_due` and is retried on
the published schedule from that attempt (+1, +2, +4… days: billcli-decisions,
"Payment attempts and retries"), as a renewal's is; Stripe's subscription docs: a
failed payment leaves the invoice open and retries it per the schedule."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

DAY = 86_400


def test_a_declined_always_invoice_proration_is_retried_on_the_schedule_until_it_pays(
    ok: Callable[..., Any],
    catalog: dict[str, str],
    customer: Callable[..., str],
    checked_ledger: Callable[[], None],
) -> None:
    cus = customer()
    sub = ok("subscriptions", "create", "--customer", cus, "--price", catalog["monthly"])
    ok("invoices", "tick", "--to", "2027-02-10T00:00:00Z")
    ok("customers", "update", cus, "--payment-method", "pm_card_chargeCustomerFail")
    changed = ok("subscriptions", "update", sub["id"], "--quantity", "3",
                 "--proration-behavior", "always_invoice")  # fmt: skip
    assert changed["status"] == "past_due"
    invoice = ok("invoices", "show", changed["latest_invoice"])
    first = invoice["created"]
    assert (invoice["status"], invoice["attempt_count"]) == ("open", 1)
    assert invoice["next_payment_attempt"] == first + DAY

    ok("invoices", "tick", "--to", str(first + DAY))
    retried = ok("invoices", "show", invoice["id"])
    assert retried["attempt_count"] == 2
    assert retried["next_payment_attempt"] == first + 2 * DAY

    ok("customers", "update", cus, "--payment-method", "pm_card_visa")
    ok("invoices", "tick", "--to", str(first + 2 * DAY))
    paid = ok("invoices", "show", invoice["id"])
    assert (paid["status"], paid["attempt_count"], paid["next_payment_attempt"]) == (
        "paid",
        3,
        None,
    )
    assert paid["amount_paid"] == invoice["amount_due"]
    assert ok("subscriptions", "show", sub["id"])["status"] == "active"
    checked_ledger()


def test_a_declined_first_invoice_is_left_for_the_customer_and_not_retried(
    ok: Callable[..., Any],
    catalog: dict[str, str],
    customer: Callable[..., str],
    checked_ledger: Callable[[], None],
) -> None:
    cus = customer("pm_card_chargeCustomerFail")
    sub = ok("subscriptions", "create", "--customer", cus, "--price", catalog["monthly"])
    assert sub["status"] == "incomplete"
    invoice = ok("invoices", "show", sub["latest_invoice"])
    assert (invoice["attempt_count"], invoice["next_payment_attempt"]) == (1, None)
    ok("invoices", "tick", "--by", "3d")
    assert ok("invoices", "show", invoice["id"])["attempt_count"] == 1
    checked_ledger()
