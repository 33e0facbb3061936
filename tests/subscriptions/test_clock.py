"""What `invoices tick` does to subscriptions: renewals, trials, notices, dunning, ends."""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

import pytest

from tests.subscriptions.conftest import day, ts


def subscribe(ok: Callable[..., Any], customer: str, *args: str) -> dict[str, Any]:
    return dict(ok("subscriptions", "create", "--customer", customer, *args))


def invoices_of(ok: Callable[..., Any], customer: str) -> list[dict[str, Any]]:
    """A customer's invoices, oldest first."""
    return list(reversed(ok("invoices", "list", "--customer", customer, "--all")["data"]))


def test_renewals_follow_the_anchor_with_month_end_clamping(
    ok, catalog, customer, assert_valid, checked_ledger
) -> None:
    cus = customer()
    sub = subscribe(ok, cus, "--price", catalog["monthly"])
    ok("invoices", "tick", "--to", "2027-06-01T00:00:00Z")
    renewals = invoices_of(ok, cus)[1:]
    ends = [day(i["lines"]["data"][0]["period"]["end"])[:10] for i in renewals]
    assert ends == ["2027-03-31", "2027-04-30", "2027-05-31", "2027-06-30"]
    starts = [day(i["created"])[:10] for i in renewals]
    assert starts == ["2027-02-28", "2027-03-31", "2027-04-30", "2027-05-31"]
    for invoice in renewals:
        assert_valid(invoice)
        assert invoice["billing_reason"] == "subscription_cycle"
        assert invoice["status"] == "paid" and invoice["amount_paid"] == 2000
        line = invoice["lines"]["data"][0]
        # The invoice's own period is the one that ended; its line bills the new one.
        assert invoice["period_end"] == line["period"]["start"] == invoice["created"]
        assert line["proration"] is False
        assert invoice["status_transitions"]["finalized_at"] == invoice["created"] + 3600
    shown = ok("subscriptions", "show", sub["id"])
    assert day(shown["current_period_end"])[:10] == "2027-06-30"
    assert shown["latest_invoice"] == renewals[-1]["id"]
    checked_ledger()


def test_a_renewal_sweeps_pending_items_and_uses_the_credit_balance(
    ok, catalog, customer, checked_ledger
) -> None:
    cus = customer()
    subscribe(ok, cus, "--price", catalog["monthly"])
    ok("invoices", "items", "create", "--customer", cus, "--amount", "500", "--description",
       "Extra support")  # fmt: skip
    ok("balance", "create", cus, "--amount", "-1200")
    ok("invoices", "tick", "--to", "2027-03-01T00:00:00Z")
    renewal = invoices_of(ok, cus)[1]
    assert [line["description"] for line in renewal["lines"]["data"]] == [
        "Extra support",
        "1 × Pro plan (at $20.00 / month)",
    ]
    assert (renewal["total"], renewal["starting_balance"], renewal["amount_due"]) == (
        2500,
        -1200,
        1300,
    )
    assert renewal["status"] == "paid"
    assert ok("customers", "show", cus)["balance"] == 0
    checked_ledger()


def test_a_renewal_below_the_minimum_charge_is_carried_to_the_balance(
    ok, catalog, customer, checked_ledger
) -> None:
    cus = customer()
    subscribe(ok, cus, "--price", catalog["monthly"])
    ok("balance", "create", cus, "--amount", "-1970")
    ok("invoices", "tick", "--to", "2027-03-01T00:00:00Z")
    renewal = invoices_of(ok, cus)[1]
    assert (renewal["amount_due"], renewal["status"]) == (0, "paid")
    assert ok("customers", "show", cus)["balance"] == 30  # 30 cents owed, as a debit
    next_one = ok("invoices", "upcoming", "--customer", cus)
    assert next_one["amount_due"] == 2030
    checked_ledger()


def test_a_trial_ends_into_a_paid_period(ok, catalog, customer, events, checked_ledger) -> None:
    cus = customer()
    sub = subscribe(ok, cus, "--price", catalog["monthly"], "--trial-days", "10")
    ok("invoices", "tick", "--by", "6d")
    assert not events("customer.subscription.trial_will_end")
    ok("invoices", "tick", "--by", "1d")
    (notice,) = events("customer.subscription.trial_will_end")
    assert notice["created"] == sub["trial_end"] - 3 * 86400
    ok("invoices", "tick", "--by", "4d")
    active = ok("subscriptions", "show", sub["id"])
    assert active["status"] == "active"
    assert active["current_period_start"] == sub["trial_end"]
    assert active["current_period_end"] == ts("2027-03-10T12:00:00Z")  # anchored on the trial end
    first_paid = invoices_of(ok, cus)[1]
    assert (first_paid["billing_reason"], first_paid["status"], first_paid["total"]) == (
        "subscription_cycle",
        "paid",
        2000,
    )
    checked_ledger()


def test_invoice_upcoming_is_recorded_days_before_each_renewal(
    ok, catalog, customer, events, assert_valid
) -> None:
    cus = customer()
    sub = subscribe(ok, cus, "--price", catalog["monthly"])
    ok("invoices", "tick", "--to", "2027-03-29T00:00:00Z")
    notices = events("invoice.upcoming")
    assert [day(n["created"])[:10] for n in notices] == ["2027-02-25", "2027-03-28"]
    payload = notices[0]["data"]["object"]
    assert "id" not in payload and payload["billing_reason"] == "upcoming"
    assert payload["created"] == sub["current_period_end"] and payload["amount_due"] == 2000
    ok("ledger", "config", "subscriptions.upcoming_days", "0")
    ok("invoices", "tick", "--to", "2027-05-01T00:00:00Z")
    assert len(events("invoice.upcoming")) == 2  # 0 turns the notice off


@pytest.mark.parametrize(
    ("action", "status"), [("cancel", "canceled"), ("unpaid", "unpaid"), ("past_due", "past_due")]
)
def test_a_failed_renewal_is_past_due_then_dunning_decides(
    ok, catalog, customer, action, status, checked_ledger
) -> None:
    ok("ledger", "config", "dunning.subscription_action", action)
    cus = customer()
    sub = subscribe(ok, cus, "--price", catalog["monthly"])
    ok("customers", "update", cus, "--payment-method", "pm_card_chargeCustomerFail")
    ok("invoices", "tick", "--to", "2027-03-01T00:00:00Z")
    assert ok("subscriptions", "show", sub["id"])["status"] == "past_due"
    ok("invoices", "tick", "--to", "2027-03-15T00:00:00Z")  # 8 attempts over 14 days
    renewal = invoices_of(ok, cus)[1]
    assert (renewal["attempt_count"], renewal["status"]) == (8, "uncollectible")
    ended = ok("subscriptions", "show", sub["id"])
    assert ended["status"] == status
    if status == "canceled":
        assert ended["cancellation_details"]["reason"] == "payment_failed"
        ok("invoices", "tick", "--to", "2027-04-15T00:00:00Z")
        assert len(invoices_of(ok, cus)) == 2  # a canceled subscription bills no more
    if status == "unpaid":
        ok("invoices", "tick", "--to", "2027-04-01T00:00:00Z")
        waiting = invoices_of(ok, cus)[2]
        assert (waiting["status"], waiting["auto_advance"]) == ("draft", False)
        ok("invoices", "finalize", waiting["id"])
        ok("customers", "update", cus, "--payment-method", "pm_card_visa")
        ok("invoices", "pay", waiting["id"])
        assert ok("subscriptions", "show", sub["id"])["status"] == "active"
    checked_ledger()


def test_paying_the_latest_invoice_of_a_past_due_subscription_makes_it_active(
    ok, catalog, customer, checked_ledger
) -> None:
    cus = customer()
    sub = subscribe(ok, cus, "--price", catalog["monthly"])
    ok("customers", "update", cus, "--payment-method", "pm_card_chargeCustomerFail")
    ok("invoices", "tick", "--to", "2027-03-02T00:00:00Z")
    assert ok("subscriptions", "show", sub["id"])["status"] == "past_due"
    ok("invoices", "pay", invoices_of(ok, cus)[1]["id"], "--payment-method", "pm_card_visa")
    assert ok("subscriptions", "show", sub["id"])["status"] == "active"
    checked_ledger()


def test_an_unpaid_send_invoice_renewal_is_past_due_after_its_due_date(
    ok, catalog, customer, checked_ledger
) -> None:
    cus = customer()
    sub = subscribe(ok, cus, "--price", catalog["monthly"], "--collection-method",
                    "send_invoice", "--days-until-due", "10")  # fmt: skip
    first = sub["latest_invoice"]
    ok("invoices", "tick", "--to", "2027-02-10T11:59:59Z")
    assert ok("subscriptions", "show", sub["id"])["status"] == "active"
    ok("invoices", "tick", "--to", "2027-02-10T12:00:00Z")
    assert ok("subscriptions", "show", sub["id"])["status"] == "past_due"
    ok("invoices", "pay", first, "--paid-out-of-band")
    assert ok("subscriptions", "show", sub["id"])["status"] == "active"
    checked_ledger()


def test_cancel_at_inside_a_period_ends_it_then_and_bills_the_last_part_prorated(
    ok, catalog, customer, checked_ledger
) -> None:
    cus = customer()
    sub = subscribe(ok, cus, "--price", catalog["monthly"], "--cancel-at",
                    "2027-03-15T12:00:00Z")  # fmt: skip
    ok("invoices", "tick", "--to", "2027-04-01T00:00:00Z")
    ended = ok("subscriptions", "show", sub["id"])
    assert (ended["status"], ended["ended_at"]) == ("canceled", ts("2027-03-15T12:00:00Z"))
    last = invoices_of(ok, cus)[1]
    line = last["lines"]["data"][0]
    assert line["period"] == {
        "start": ts("2027-02-28T12:00:00Z"),
        "end": ts("2027-03-15T12:00:00Z"),
    }
    # 15 of March's 31 days: 2000 × 15 / 31 = 967.7
    assert (line["amount"], line["proration"]) == (968, True)
    checked_ledger()


def test_a_tick_with_subscriptions_is_idempotent(ok, catalog, customer) -> None:
    cus = customer()
    subscribe(ok, cus, "--price", catalog["weekly"])
    ok("invoices", "tick", "--to", "2027-03-01T00:00:00Z")
    before = ok("events", "list", "--all")["data"]
    again = ok("invoices", "tick", "--to", "2027-03-01T00:00:00Z")
    assert again["data"] == [] and ok("events", "list", "--all")["data"] == before


def test_a_subscriptions_draft_cannot_be_deleted_only_voided(
    ok, billcli, catalog, customer, ledger_path, checked_ledger
) -> None:
    """Stripe: a subscription's invoice must be voided, never deleted (a deleted renewal
    would leave its period billed by nothing)."""
    from tests.conftest import ledger_digest

    cus = customer()
    subscribe(ok, cus, "--price", catalog["monthly"])
    ok("invoices", "tick", "--to", "2027-02-28T12:30:00Z")  # the renewal is a draft
    draft = invoices_of(ok, cus)[1]
    assert (draft["status"], draft["billing_reason"]) == ("draft", "subscription_cycle")
    before = ledger_digest(ledger_path)
    done = billcli("invoices", "delete", draft["id"], "--json")
    assert done.code == 1
    assert done.json["error"]["param"] == "invoice"
    assert "invoices void" in done.err and len(done.err.strip().splitlines()) == 1
    assert ledger_digest(ledger_path) == before
    ok("invoices", "finalize", draft["id"])
    assert ok("invoices", "void", draft["id"])["status"] == "void"
    checked_ledger()


def test_the_tick_summary_counts_what_dunning_did_to_subscriptions(
    ok, billcli, catalog, customer
) -> None:
    """A renewal whose charge fails makes its subscription past due, and the last retry
    cancels it: the tick that did it says so."""
    cus = customer()
    subscribe(ok, cus, "--price", catalog["monthly"])
    ok("customers", "update", cus, "--payment-method", "pm_card_chargeCustomerFail")
    first = ok("invoices", "tick", "--to", "2027-03-01T00:00:00Z", "--dry-run")
    assert first["outcomes"]["past_due"] == {"usd": {"count": 1, "amount": 0}}
    shown = billcli("invoices", "tick", "--to", "2027-03-01T00:00:00Z").out
    assert re.search(r"Past due\s+1\b", shown), shown
    last = ok("invoices", "tick", "--to", "2027-03-15T00:00:00Z", "--dry-run")
    assert last["outcomes"]["canceled"] == {"usd": {"count": 1, "amount": 0}}
    assert last["outcomes"]["past_due"] == {}
    shown = billcli("invoices", "tick", "--to", "2027-03-15T00:00:00Z").out
    assert re.search(r"Canceled\s+1\b", shown), shown


def test_the_tick_summary_shows_status_outcomes_as_counts_and_money_beside_its_failure(
    ok, billcli, catalog, customer
) -> None:
    """A subscription going past due moves no money itself: the summary counts it, with
    no "$0.00" beside it, while the failed payment that caused it shows what is unpaid
    ($20.00, the monthly price)."""
    cus = customer()
    subscribe(ok, cus, "--price", catalog["monthly"])
    ok("customers", "update", cus, "--payment-method", "pm_card_chargeCustomerFail")
    shown = billcli("invoices", "tick", "--to", "2027-03-01T00:00:00Z").out
    (past_due,) = [line for line in shown.splitlines() if "Past due" in line]
    assert past_due.split() == ["Past", "due", "1"], shown
    assert "$0.00" not in shown
    (failed,) = [line for line in shown.splitlines() if "Payment failed" in line]
    assert failed.split()[-1] == "($20.00)", shown
