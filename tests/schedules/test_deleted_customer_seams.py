"""Deleting a customer (or its test clock) cancels its live schedules at once, as Stripe
cancels a schedule whose subscription is canceled: none is left waiting for a customer
that is gone (a schedule not started used to make every later tick fail on it)."""

from __future__ import annotations

from tests.conftest import raw_connection
from tests.payments.conftest import event_types

DAY_S = 86_400


def test_deleting_a_customer_cancels_its_schedule_not_started_and_the_tick_goes_on(
    ok, customer, monthly, at_start, checked_ledger
):
    ada = customer()
    later = at_start + 5 * DAY_S
    waiting = ok("subscription-schedules", "create", "--customer", ada,
                 "--start-date", str(later), "--phase", f"{monthly} iterations=1")  # fmt: skip
    running = ok("subscription-schedules", "create", "--customer", ada,
                 "--phase", f"{monthly} iterations=3")  # fmt: skip
    ok("customers", "delete", ada)
    for made in (waiting, running):
        shown = ok("subscription-schedules", "show", made["id"])
        assert (shown["status"], shown["canceled_at"], shown["current_phase"]) == (
            "canceled", at_start, None,
        )  # fmt: skip
    assert event_types(ok).count("subscription_schedule.canceled") == 2
    ok("invoices", "tick", "--to", str(later + DAY_S))  # refused before: no such customer
    assert ok("subscription-schedules", "show", waiting["id"])["subscription"] is None
    assert len(ok("subscriptions", "list", "--status", "all")["data"]) == 1
    checked_ledger()


def test_deleting_a_test_clock_cancels_its_customers_schedules(
    ok, monthly, at_start, checked_ledger
):
    clock = ok("clocks", "create", "--frozen-time", str(at_start - 400 * DAY_S))["id"]
    bo = ok("customers", "create", "--name", "Bo", "--clock", clock)["id"]
    made = ok("subscription-schedules", "create", "--customer", bo,
              "--phase", f"{monthly} iterations=2")  # fmt: skip
    ok("clocks", "delete", clock)
    shown = ok("subscription-schedules", "show", made["id"])
    assert (shown["status"], shown["canceled_at"]) == ("canceled", at_start - 400 * DAY_S)
    assert ok("subscriptions", "show", made["subscription"])["status"] == "canceled"
    checked_ledger()


def test_ledger_check_names_a_live_schedule_of_a_deleted_customer(
    ok, billcli, customer, monthly, at_start, ledger_path
):
    ada = customer()
    later = at_start + 5 * DAY_S
    made = ok("subscription-schedules", "create", "--customer", ada,
              "--start-date", str(later), "--phase", f"{monthly} iterations=1")  # fmt: skip
    ok("customers", "delete", ada)
    assert billcli("ledger", "check").code == 0
    conn = raw_connection(ledger_path)  # as a deletion before the fix left it
    conn.execute(
        "UPDATE subscription_schedules SET status = 'not_started', canceled_at = NULL, "
        f"next_action_at = {later} WHERE id = '{made['id']}'"
    )
    conn.commit()
    conn.close()
    done = billcli("ledger", "check", "--json")
    assert done.code == 1
    assert [(p["object"], p["message"]) for p in done.json["problems"]] == [
        (made["id"], f"not_started schedule of deleted customer {ada}")
    ]
