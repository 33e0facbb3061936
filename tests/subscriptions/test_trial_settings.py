"""Subscription settings beyond their items: what a trial ending without a payment
method does (`trial_settings`), resuming a paused subscription, trials a price sets
(`trial_from_plan`), one-time items on the first invoice (`add_invoice_items`),
pending items invoiced on their own interval, collection changed on update, and why
a customer left (`cancellation_details`)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

from tests.subscriptions.conftest import ts

DAY = 86_400
START = ts("2027-01-31T12:00:00Z")
TRIAL_END = START + 14 * DAY


def trialing(ok: Callable[..., Any], customer: str, price: str, behavior: str) -> dict[str, Any]:
    return ok("subscriptions", "create", "--customer", customer, "--price", price,  # type: ignore[no-any-return]
              "--trial-days", "14", "--missing-payment-method", behavior)  # fmt: skip


def test_a_trial_set_to_cancel_ends_the_subscription_without_an_invoice(
    ok: Callable[..., Any],
    catalog: dict[str, str],
    customer: Callable[..., str],
    events: Callable[..., list[dict[str, Any]]],
    assert_valid: Callable[..., None],
    checked_ledger: Callable[[], None],
) -> None:
    cus = customer(card=None)
    sub = trialing(ok, cus, catalog["monthly"], "cancel")
    assert sub["trial_settings"] == {"end_behavior": {"missing_payment_method": "cancel"}}
    assert_valid(sub)
    ok("invoices", "tick", "--to", "2027-03-01T00:00:00Z")
    ended = ok("subscriptions", "show", sub["id"])
    assert (ended["status"], ended["ended_at"]) == ("canceled", TRIAL_END)
    totals = [i["total"] for i in ok("invoices", "list", "--customer", cus, "--all")["data"]]
    assert totals == [0]  # the trial's own $0 invoice, nothing after it
    assert [e["data"]["object"]["id"] for e in events("customer.subscription.deleted")] == [
        sub["id"]
    ]
    checked_ledger()


def test_a_trial_set_to_pause_pauses_and_resuming_bills_a_new_period_from_then(
    ok: Callable[..., Any],
    catalog: dict[str, str],
    customer: Callable[..., str],
    events: Callable[..., list[dict[str, Any]]],
    assert_valid: Callable[..., None],
    checked_ledger: Callable[[], None],
) -> None:
    cus = customer(card=None)
    sub = trialing(ok, cus, catalog["monthly"], "pause")
    ok("invoices", "tick", "--to", "2027-02-20T12:00:00Z")
    paused = ok("subscriptions", "show", sub["id"])
    assert paused["status"] == "paused"
    assert_valid(paused)
    assert [e["created"] for e in events("customer.subscription.paused")] == [TRIAL_END]
    assert len(ok("invoices", "list", "--customer", cus, "--all")["data"]) == 1  # the trial's
    ok("customers", "update", cus, "--payment-method", "pm_card_visa")
    resumed = ok("subscriptions", "resume", sub["id"])
    now = ts("2027-02-20T12:00:00Z")
    assert (resumed["status"], resumed["current_period_start"]) == ("active", now)
    assert resumed["current_period_end"] == ts("2027-03-20T12:00:00Z")
    latest = ok("invoices", "show", resumed["latest_invoice"])
    assert (latest["total"], latest["status"]) == (2000, "paid")
    assert len(events("customer.subscription.resumed")) == 1
    checked_ledger()


def test_only_a_paused_subscription_resumes(
    ok: Callable[..., Any],
    billcli: Callable[..., Any],
    catalog: dict[str, str],
    customer: Callable[..., str],
) -> None:
    sub = ok("subscriptions", "create", "--customer", customer(), "--price", catalog["monthly"])
    refused = billcli("subscriptions", "resume", sub["id"])
    assert refused.code == 1 and "paused" in refused.err, refused.err


def test_a_trial_set_to_invoice_invoices_the_renewal_it_cannot_charge(
    ok: Callable[..., Any], catalog: dict[str, str], customer: Callable[..., str]
) -> None:
    cus = customer(card=None)
    sub = trialing(ok, cus, catalog["monthly"], "create_invoice")
    ok("invoices", "tick", "--to", "2027-02-20T12:00:00Z")
    shown = ok("subscriptions", "show", sub["id"])
    renewal = ok("invoices", "show", shown["latest_invoice"])
    assert (renewal["total"], renewal["status"]) == (2000, "open")
    assert shown["status"] == "past_due"


def test_a_trial_from_the_plan_lasts_the_prices_trial_days(
    ok: Callable[..., Any], catalog: dict[str, str], customer: Callable[..., str]
) -> None:
    price = ok("prices", "create", "--product", "pro", "--currency", "usd", "--unit-amount",
               "900", "--recurring-interval", "month", "--trial-period-days", "10")  # fmt: skip
    assert price["recurring"]["trial_period_days"] == 10
    sub = ok("subscriptions", "create", "--customer", customer(), "--price", price["id"],
             "--trial-from-plan")  # fmt: skip
    assert (sub["status"], sub["trial_end"]) == ("trialing", START + 10 * DAY)


def test_one_time_items_join_the_first_invoice_only(
    ok: Callable[..., Any], catalog: dict[str, str], customer: Callable[..., str]
) -> None:
    cus = customer()
    sub = ok("subscriptions", "create", "--customer", cus, "--price", catalog["monthly"],
             "--add-invoice-item", f"{catalog['setup']}:2")  # fmt: skip
    first = ok("invoices", "show", sub["latest_invoice"])
    assert sorted(line["amount"] for line in first["lines"]["data"]) == [2000, 2 * 5000]
    ok("invoices", "tick", "--to", "2027-03-01T00:00:00Z")
    renewal = ok("invoices", "show", ok("subscriptions", "show", sub["id"])["latest_invoice"])
    assert renewal["total"] == 2000


def test_pending_items_are_invoiced_on_their_own_interval(
    ok: Callable[..., Any],
    catalog: dict[str, str],
    customer: Callable[..., str],
    checked_ledger: Callable[[], None],
) -> None:
    cus = customer()
    sub = ok("subscriptions", "create", "--customer", cus, "--price", catalog["yearly"],
             "--pending-invoice-item-interval", "month")  # fmt: skip
    assert sub["pending_invoice_item_interval"] == {"interval": "month", "interval_count": 1}
    ok("invoices", "items", "create", "--customer", cus, "--amount", "1234",
       "--description", "Overage", "--subscription", sub["id"])  # fmt: skip
    ok("invoices", "tick", "--to", "2027-03-05T00:00:00Z")
    invoices = ok("invoices", "list", "--customer", cus, "--all")["data"]
    pending_run = [i for i in invoices if i["billing_reason"] != "subscription_create"]
    assert [(i["billing_reason"], i["total"]) for i in pending_run] == [
        ("automatic_pending_invoice_item_invoice", 1234)
    ]
    assert pending_run[0]["created"] == ts("2027-02-28T12:00:00Z")
    checked_ledger()


def test_collection_changed_on_update_reaches_the_next_renewal(
    ok: Callable[..., Any], catalog: dict[str, str], customer: Callable[..., str]
) -> None:
    sub = ok("subscriptions", "create", "--customer", customer(), "--price", catalog["monthly"])
    changed = ok("subscriptions", "update", sub["id"], "--collection-method", "send_invoice",
                 "--days-until-due", "14")  # fmt: skip
    assert (changed["collection_method"], changed["days_until_due"]) == ("send_invoice", 14)
    ok("invoices", "tick", "--to", "2027-03-01T00:00:00Z")
    renewal = ok("invoices", "show", ok("subscriptions", "show", sub["id"])["latest_invoice"])
    assert renewal["collection_method"] == "send_invoice"
    assert renewal["due_date"] == ts("2027-02-28T12:00:00Z") + 14 * DAY
    # Without days, billcli's rule for send_invoice: 30 days to pay.
    again = ok("subscriptions", "update", sub["id"], "--collection-method", "charge_automatically")
    assert again["days_until_due"] is None
    thirty = ok("subscriptions", "update", sub["id"], "--collection-method", "send_invoice")
    assert thirty["days_until_due"] == 30


@pytest.mark.parametrize(
    ("args", "fragment"),
    [
        (("--days-until-due", "3"), "send_invoice"),
        (("--collection-method", "by_pigeon"), "collection_method"),
        (("--pending-invoice-item-interval", "month:13"), "pending_invoice_item_interval"),
        (("--missing-payment-method", "shrug"), "missing_payment_method"),
    ],
)
def test_bad_settings_are_refused_naming_the_parameter(
    ok: Callable[..., Any],
    billcli: Callable[..., Any],
    catalog: dict[str, str],
    customer: Callable[..., str],
    args: tuple[str, ...],
    fragment: str,
) -> None:
    sub = ok("subscriptions", "create", "--customer", customer(), "--price", catalog["monthly"])
    refused = billcli("subscriptions", "update", sub["id"], *args)
    assert refused.code == 1 and fragment in refused.err, refused.err
    assert ok("subscriptions", "show", sub["id"]) == sub


def test_a_cancellation_keeps_the_customers_feedback_and_words(
    ok: Callable[..., Any],
    catalog: dict[str, str],
    customer: Callable[..., str],
    assert_valid: Callable[..., None],
) -> None:
    sub = ok("subscriptions", "create", "--customer", customer(), "--price", catalog["monthly"])
    canceled = ok("subscriptions", "cancel", sub["id"], "--feedback", "too_expensive",
                  "--comment", "Cheaper elsewhere")  # fmt: skip
    assert canceled["cancellation_details"] == {
        "comment": "Cheaper elsewhere",
        "feedback": "too_expensive",
        "reason": "cancellation_requested",
    }
    assert_valid(canceled)
