"""Creating a subscription: its first invoice, its status, trials, anchors, bad input."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from tests.conftest import ledger_digest
from tests.subscriptions.conftest import START, day, ts

FEB_28 = ts("2027-02-28T12:00:00Z")  # a month after Jan 31: clamped to February's end


def create(ok: Callable[..., Any], customer: str, *args: str) -> dict[str, Any]:
    return dict(ok("subscriptions", "create", "--customer", customer, *args))


def test_a_charged_subscription_pays_its_first_invoice_and_is_active(
    ok, catalog, customer, at_start, assert_valid, events, checked_ledger
) -> None:
    sub = create(ok, customer(), "--price", f"{catalog['monthly']}:2", "--metadata", "plan=pro")
    assert_valid(sub)
    assert (sub["status"], sub["start_date"], sub["billing_cycle_anchor"]) == (
        "active",
        at_start,
        at_start,
    )
    assert (sub["current_period_start"], sub["current_period_end"]) == (at_start, FEB_28)
    assert sub["quantity"] == 2 and sub["plan"]["id"] == catalog["monthly"]
    item = sub["items"]["data"][0]
    assert_valid(item)
    assert item["plan"]["amount"] == 2000 and item["price"]["id"] == catalog["monthly"]
    invoice = ok("invoices", "show", sub["latest_invoice"])
    assert_valid(invoice)
    assert (invoice["billing_reason"], invoice["status"], invoice["amount_paid"]) == (
        "subscription_create",
        "paid",
        4000,
    )
    assert invoice["period_start"] == invoice["period_end"] == at_start
    assert invoice["subscription"] == sub["id"]
    assert invoice["subscription_details"] == {"metadata": {"plan": "pro"}}
    (line,) = invoice["lines"]["data"]
    assert_valid(line)
    assert (line["type"], line["proration"], line["amount"], line["quantity"]) == (
        "subscription",
        False,
        4000,
        2,
    )
    assert line["description"] == "2 × Pro plan (at $20.00 / month)"
    assert line["period"] == {"start": at_start, "end": FEB_28}
    assert (line["subscription"], line["subscription_item"]) == (sub["id"], item["id"])
    (created,) = events("customer.subscription.created")
    assert created["data"]["object"]["status"] == "active"
    checked_ledger()


def test_a_declined_first_charge_leaves_it_incomplete_and_23_hours_expire_it(
    ok, catalog, customer, events, checked_ledger
) -> None:
    sub = create(ok, customer("pm_card_chargeCustomerFail"), "--price", catalog["monthly"])
    assert sub["status"] == "incomplete"
    first = ok("invoices", "show", sub["latest_invoice"])
    assert (first["status"], first["attempted"], first["next_payment_attempt"]) == (
        "open",
        True,
        None,
    )
    ok("invoices", "tick", "--by", "82799s")
    assert ok("subscriptions", "show", sub["id"])["status"] == "incomplete"
    ok("invoices", "tick", "--by", "1s")
    expired = ok("subscriptions", "show", sub["id"])
    assert expired["status"] == "incomplete_expired"
    assert ok("invoices", "show", sub["latest_invoice"])["status"] == "void"
    # Stripe's default list leaves out only canceled subscriptions.
    assert expired["id"] in [s["id"] for s in ok("subscriptions", "list")["data"]]
    ended = [s["id"] for s in ok("subscriptions", "list", "--status", "ended")["data"]]
    assert ended == [sub["id"]]
    checked_ledger()


def test_paying_the_first_invoice_of_an_incomplete_subscription_activates_it(
    ok, catalog, customer, events, checked_ledger
) -> None:
    sub = create(ok, customer("pm_card_chargeCustomerFail"), "--price", catalog["monthly"])
    ok("invoices", "pay", sub["latest_invoice"], "--payment-method", "pm_card_visa")
    assert ok("subscriptions", "show", sub["id"])["status"] == "active"
    (updated,) = events("customer.subscription.updated")
    assert updated["data"]["previous_attributes"] == {"status": "incomplete"}
    checked_ledger()


def test_default_incomplete_finalizes_the_first_invoice_without_charging_it(
    ok, catalog, customer, checked_ledger
) -> None:
    sub = create(
        ok, customer(), "--price", catalog["monthly"], "--payment-behavior", "default_incomplete"
    )
    assert sub["status"] == "incomplete"
    invoice = ok("invoices", "show", sub["latest_invoice"])
    assert (invoice["status"], invoice["attempted"]) == ("open", False)
    checked_ledger()


def test_error_if_incomplete_with_a_declining_card_exits_4_and_writes_nothing(
    ok, billcli, catalog, customer, ledger_path: Path
) -> None:
    failing = customer("pm_card_chargeCustomerFail")
    before = ledger_digest(ledger_path)
    done = billcli(
        "subscriptions",
        "create",
        "--customer",
        failing,
        "--price",
        catalog["monthly"],
        "--payment-behavior",
        "error_if_incomplete",
        "--json",
    )
    assert done.code == 4 and done.json["error"]["type"] == "card_error"
    assert ledger_digest(ledger_path) == before


def test_send_invoice_is_active_at_once_and_invoices_an_hour_later(
    ok, catalog, customer, checked_ledger
) -> None:
    sub = create(
        ok,
        customer(),
        "--price",
        catalog["monthly"],
        "--collection-method",
        "send_invoice",
        "--days-until-due",
        "7",
    )
    assert (sub["status"], sub["days_until_due"]) == ("active", 7)
    assert ok("invoices", "show", sub["latest_invoice"])["status"] == "draft"
    ok("invoices", "tick", "--by", "1h")
    sent = ok("invoices", "show", sub["latest_invoice"])
    assert sent["status"] == "open" and sent["due_date"] == ts(START) + 7 * 86400
    assert ok("invoices", "outbox", "--invoice", sent["id"])["data"]
    checked_ledger()


def test_a_trial_starts_with_a_zero_invoice_paid_at_once_and_needs_no_card(
    ok, catalog, customer, at_start, events, checked_ledger
) -> None:
    sub = create(ok, customer(None), "--price", catalog["monthly"], "--trial-days", "14")
    assert sub["status"] == "trialing"
    assert (sub["trial_start"], sub["trial_end"]) == (at_start, at_start + 14 * 86400)
    assert sub["current_period_end"] == sub["trial_end"]
    assert sub["billing_cycle_anchor"] == sub["trial_end"]
    invoice = ok("invoices", "show", sub["latest_invoice"])
    assert (invoice["status"], invoice["total"]) == ("paid", 0)
    assert invoice["lines"]["data"][0]["description"] == "Trial period for Pro plan"
    assert not events("customer.subscription.trial_will_end")  # 14 days: not yet
    checked_ledger()


def test_a_trial_shorter_than_three_days_hears_of_its_end_at_once(
    ok, catalog, customer, events
) -> None:
    sub = create(ok, customer(), "--price", catalog["monthly"], "--trial-days", "2")
    (notice,) = events("customer.subscription.trial_will_end")
    assert notice["data"]["object"]["id"] == sub["id"]


def test_a_billing_cycle_anchor_prorates_the_stub_to_the_second(
    ok, catalog, customer, at_start, checked_ledger
) -> None:
    anchor = ts("2027-02-15T00:00:00Z")
    sub = create(
        ok,
        customer(),
        "--price",
        catalog["monthly"],
        "--billing-cycle-anchor",
        "2027-02-15T00:00:00Z",
    )
    assert (sub["current_period_start"], sub["current_period_end"]) == (at_start, anchor)
    line = ok("invoices", "show", sub["latest_invoice"])["lines"]["data"][0]
    stub, cycle = anchor - at_start, anchor - ts("2027-01-15T00:00:00Z")
    assert (stub, cycle) == (14.5 * 86400, 31 * 86400)
    assert line["amount"] == (2 * 2000 * stub + cycle) // (2 * cycle) == 935
    assert line["proration"] is True
    assert line["description"] == "Remaining time on Pro plan after 31 Jan 2027"
    free = create(
        ok,
        customer(),
        "--price",
        catalog["monthly"],
        "--billing-cycle-anchor",
        "2027-02-15T00:00:00Z",
        "--proration-behavior",
        "none",
    )
    assert ok("invoices", "show", free["latest_invoice"])["total"] == 0
    checked_ledger()


def test_backdating_bills_every_period_since_the_start_date(
    ok, catalog, customer, at_start, checked_ledger
) -> None:
    sub = create(
        ok,
        customer(),
        "--price",
        catalog["monthly"],
        "--backdate-start-date",
        "2026-12-31T12:00:00Z",
    )
    assert sub["start_date"] == ts("2026-12-31T12:00:00Z") < sub["created"] == at_start
    assert (day(sub["current_period_start"]), day(sub["current_period_end"])) == (
        "2027-01-31 12:00:00",
        "2027-02-28 12:00:00",
    )
    line = ok("invoices", "show", sub["latest_invoice"])["lines"]["data"][0]
    assert line["amount"] == 4000  # December 31 to January 31, then to February 28
    assert line["period"]["start"] == ts("2026-12-31T12:00:00Z")
    checked_ledger()


def test_cancel_at_period_end_ends_it_there_without_a_renewal(
    ok, catalog, customer, at_start, events, checked_ledger
) -> None:
    sub = create(ok, customer(), "--price", catalog["monthly"], "--cancel-at-period-end")
    assert (sub["status"], sub["canceled_at"], sub["cancel_at"]) == ("active", at_start, None)
    ok("invoices", "tick", "--to", "2027-03-15T00:00:00Z")
    ended = ok("subscriptions", "show", sub["id"])
    assert (ended["status"], ended["ended_at"], ended["canceled_at"]) == (
        "canceled",
        FEB_28,
        at_start,
    )
    assert ended["cancellation_details"]["reason"] == "cancellation_requested"
    assert len(ok("invoices", "list", "--customer", sub["customer"])["data"]) == 1
    assert [e["data"]["object"]["id"] for e in events("customer.subscription.deleted")] == [
        sub["id"]
    ]
    checked_ledger()


def test_an_idempotency_key_replays_the_first_answer(ok, billcli, catalog, customer) -> None:
    cus = customer()
    first = create(ok, cus, "--price", catalog["monthly"], "--idempotency-key", "k1")
    again = create(ok, cus, "--price", catalog["monthly"], "--idempotency-key", "k1")
    assert again == first
    assert len(ok("subscriptions", "list", "--customer", cus)["data"]) == 1
    other = billcli(
        "subscriptions",
        "create",
        "--customer",
        cus,
        "--price",
        catalog["weekly"],
        "--idempotency-key",
        "k1",
    )
    assert other.code == 5


BAD = [
    (["--price", "{monthly}", "--price", "{eur}"], 1, "items[1][price]", "currency and interval"),
    (
        ["--price", "{monthly}", "--price", "{yearly}"],
        1,
        "items[1][price]",
        "currency and interval",
    ),
    (["--price", "{setup}"], 1, "items[0][price]", "is a one-time price"),
    (["--price", "{monthly}", "--price", "{monthly}:2"], 1, "items[1][price]", "given twice"),
    (["--price", "{monthly}:-1"], 1, "items[0][quantity]", "cannot be negative"),
    (["--price", "{monthly}:x"], 1, "items[0][quantity]", "not a whole number"),
    ([], 1, "items", "Missing required param: items."),
    (["--price", "{monthly}", "--trial-end", "2027-01-01T00:00:00Z"], 1, "trial_end", "future"),
    (["--price", "{monthly}", "--trial-days", "731"], 1, "trial_period_days", "730"),
    (
        ["--price", "{monthly}", "--trial-days", "3", "--trial-end", "2027-03-01"],
        1,
        "trial_end",
        "not both",
    ),
    (
        ["--price", "{monthly}", "--billing-cycle-anchor", "2027-03-05T00:00:00Z"],
        1,
        "billing_cycle_anchor",
        "next natural billing date",
    ),
    (
        ["--price", "{monthly}", "--billing-cycle-anchor", "2027-01-01T00:00:00Z"],
        1,
        "billing_cycle_anchor",
        "in the future",
    ),
    (["--price", "{monthly}", "--days-until-due", "5"], 1, "days_until_due", "send_invoice"),
    (["--price", "{monthly}", "--payment-behavior", "hopeful"], 1, "payment_behavior", "hopeful"),
    (["--price", "{monthly}", "--cancel-at", "2027-01-01"], 1, "cancel_at", "future"),
    (
        ["--price", "{monthly}", "--backdate-start-date", "2027-06-01"],
        1,
        "backdate_start_date",
        "in the past",
    ),
    (
        ["--price", "{monthly}", "--default-payment-method", "pm_card_visa_chargeDeclined"],
        4,
        "default_payment_method",
        "declined",
    ),
    (["--price", "price_" + "0" * 24], 6, "items[0][price]", "No such price"),
    (["--price", "{inactive}"], 1, "items[0][price]", "inactive"),
    (["--price", "{archived_product}"], 1, "items[0][price]", "marked as inactive"),
    (["--price", "{monthly}", "--description", "d" * 501], 1, "description", "at most 500"),
]


@pytest.mark.parametrize(("args", "code", "param", "message"), BAD)
def test_bad_subscriptions_are_refused_naming_the_parameter_and_write_nothing(
    ok, billcli, catalog, customer, ledger_path, args, code, param, message
) -> None:
    inactive = ok(
        "prices",
        "create",
        "--product",
        "pro",
        "--currency",
        "usd",
        "--unit-amount",
        "100",
        "--recurring-interval",
        "month",
        "--inactive",
    )["id"]
    ok("products", "create", "--name", "Old", "--id", "old")
    archived = ok(
        "prices",
        "create",
        "--product",
        "old",
        "--currency",
        "usd",
        "--unit-amount",
        "100",
        "--recurring-interval",
        "month",
    )["id"]
    ok("products", "update", "old", "--inactive")
    cus = customer()
    names = catalog | {"inactive": inactive, "archived_product": archived}
    before = ledger_digest(ledger_path)
    done = billcli(
        "subscriptions", "create", "--customer", cus, *[a.format(**names) for a in args], "--json"
    )
    assert done.code == code, done.err
    assert done.json["error"]["param"] == param, done.json
    assert message in done.err and "Traceback" not in done.err
    assert ledger_digest(ledger_path) == before


def test_unknown_customer_or_subscription_is_exit_6(billcli, catalog) -> None:
    missing = billcli(
        "subscriptions", "create", "--customer", "cus_" + "0" * 24, "--price", catalog["monthly"]
    )
    assert missing.code == 6
    for command in (["show"], ["cancel"], ["update", "--metadata", "a=b"]):
        done = billcli("subscriptions", command[0], "sub_" + "0" * 24, *command[1:])
        assert done.code == 6 and "No such subscription" in done.err


def _names_nothing_rolled_back(done: Any) -> None:
    """A refusal that wrote nothing points at no page, intent or charge."""
    error = done.json["error"]
    assert done.code == 4 and error["type"] == "card_error"
    assert "http" not in done.err and "pi_" not in done.err and "ch_" not in done.err
    assert "payment_intent" not in error and "charge" not in error
    assert len(done.err.strip().splitlines()) == 1


def test_error_if_incomplete_names_no_intent_or_page_it_rolled_back(
    ok, billcli, catalog, customer, ledger_path: Path
) -> None:
    """A card that asks for 3-D Secure under error_if_incomplete: refused (exit 4), and
    the message says that nothing was recorded instead of sending the customer to a page
    of an intent that does not exist; a decline names no rolled-back charge either."""
    for card, code in (
        ("pm_card_authenticationRequired", "invoice_payment_intent_requires_action"),
        ("pm_card_chargeCustomerFail", "card_declined"),
    ):
        asking = customer(card)
        before = ledger_digest(ledger_path)
        done = billcli("subscriptions", "create", "--customer", asking, "--price",
                       catalog["monthly"], "--payment-behavior", "error_if_incomplete",
                       "--json")  # fmt: skip
        _names_nothing_rolled_back(done)
        assert done.json["error"]["code"] == code
        assert ("nothing was recorded" in done.err) == (code != "card_declined")
        assert ledger_digest(ledger_path) == before


def test_error_if_incomplete_on_an_update_names_no_intent_or_page_it_rolled_back(
    ok, billcli, catalog, customer, ledger_path: Path, checked_ledger
) -> None:
    sub = create(ok, customer(), "--price", catalog["monthly"])
    ok("invoices", "tick", "--by", "10d")
    before = ledger_digest(ledger_path)
    done = billcli("subscriptions", "update", sub["id"], "--price", catalog["seat"],
                   "--proration-behavior", "always_invoice", "--payment-behavior",
                   "error_if_incomplete", "--default-payment-method",
                   "pm_card_authenticationRequired", "--json")  # fmt: skip
    _names_nothing_rolled_back(done)
    assert "nothing was recorded" in done.err
    assert ledger_digest(ledger_path) == before
    checked_ledger()
