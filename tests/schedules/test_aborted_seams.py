"""A schedule whose subscription dunning cancels (every retry of an invoice failed) ends
`canceled` with `subscription_schedule.aborted`, Stripe's event for "a subscription
schedule is canceled due to the underlying subscription being canceled because of
delinquency"; a subscription canceled by hand still gives `subscription_schedule.canceled`."""

from __future__ import annotations

from tests.payments.conftest import event_types
from tests.schedules.conftest import months_after


def _two_phases(ok, ada, monthly, premium):
    """A schedule of `ada`'s: a month of `monthly`, then two of `premium`."""
    return ok("subscription-schedules", "create", "--customer", ada,
              "--phase", f"{monthly} iterations=1",
              "--phase", f"{premium} iterations=2")  # fmt: skip


def _delinquent(ok, customer, monthly, premium, at_start):
    """With dunning set to cancel, a customer whose card fails and that customer's
    `_two_phases` schedule, after all 8 attempts (over 14 days) failed."""
    ok("ledger", "config", "dunning.subscription_action", "cancel")
    ada = customer(card="pm_card_chargeCustomerFail")
    made = _two_phases(ok, ada, monthly, premium)
    ok("invoices", "tick", "--to", str(at_start + 20 * 86_400))
    return made


def test_dunning_that_cancels_the_subscription_aborts_its_schedule(
    ok, customer, monthly, premium, at_start, checked_ledger
):
    made = _delinquent(ok, customer, monthly, premium, at_start)
    sub = ok("subscriptions", "show", made["subscription"])
    assert (sub["status"], sub["cancellation_details"]["reason"]) == ("canceled", "payment_failed")
    ok("invoices", "tick", "--to", str(months_after(at_start, 1)))  # the schedule's next look
    shown = ok("subscription-schedules", "show", made["id"])
    assert (shown["status"], shown["canceled_at"]) == ("canceled", months_after(at_start, 1))
    types = event_types(ok)
    assert types.count("subscription_schedule.aborted") == 1
    assert "subscription_schedule.canceled" not in types
    checked_ledger()


def test_a_subscription_canceled_by_hand_cancels_its_schedule(
    ok, customer, monthly, premium, at_start, checked_ledger
):
    made = _two_phases(ok, customer(), monthly, premium)
    ok("subscriptions", "cancel", made["subscription"])
    ok("invoices", "tick", "--to", str(months_after(at_start, 1)))
    assert ok("subscription-schedules", "show", made["id"])["status"] == "canceled"
    types = event_types(ok)
    assert types.count("subscription_schedule.canceled") == 1
    assert "subscription_schedule.aborted" not in types
    checked_ledger()


def test_a_schedule_of_a_delinquent_customer_deleted_before_its_next_look_is_aborted(
    ok, customer, monthly, premium, at_start, checked_ledger
):
    made = _delinquent(ok, customer, monthly, premium, at_start)
    ok("customers", "delete", made["customer"])
    assert ok("subscription-schedules", "show", made["id"])["status"] == "canceled"
    types = event_types(ok)
    assert types.count("subscription_schedule.aborted") == 1
    assert "subscription_schedule.canceled" not in types
    checked_ledger()
