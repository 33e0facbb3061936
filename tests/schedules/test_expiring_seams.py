"""An update that moves a schedule's end moves its seven-day notice: a schedule extended
after its `subscription_schedule.expiring` was sent is announced again seven days
before its new end (Stripe: "Occurs 7 days before a subscription schedule will
expire"), not never."""

from __future__ import annotations

from tests.schedules.conftest import months_after

DAY_S = 86_400


def test_a_schedule_extended_after_its_notice_is_announced_before_its_new_end(
    ok, customer, monthly, premium, at_start, checked_ledger
):
    ada = customer()
    made = ok("subscription-schedules", "create", "--customer", ada,
              "--phase", f"{monthly} iterations=1")  # fmt: skip
    end = months_after(at_start, 1)
    ok("invoices", "tick", "--to", str(end - 5 * DAY_S))
    notices = ok("events", "list", "--type", "subscription_schedule.expiring")["data"]
    assert [n["created"] for n in notices] == [end - 7 * DAY_S]
    ok("subscription-schedules", "update", made["id"],
       "--phase", f"{monthly} end={end} start={at_start}",
       "--phase", f"{premium} iterations=2")  # fmt: skip
    new_end = months_after(at_start, 3)
    ok("invoices", "tick", "--to", str(new_end))
    notices = ok("events", "list", "--type", "subscription_schedule.expiring")["data"]
    assert sorted(n["created"] for n in notices) == [end - 7 * DAY_S, new_end - 7 * DAY_S]
    assert ok("subscription-schedules", "show", made["id"])["status"] == "completed"
    checked_ledger()
