"""A schedule backdated past the end of its first phase, or updated to start now,
answers in the phase it is in now: the create (or update) enters every phase already
begun, as the clock's next look would, so the answer's `current_phase` is today's
(Stripe: "the start and end dates for the current phase") and the subscription has
that phase's items."""

from __future__ import annotations

from tests.schedules.conftest import months_after


def test_a_schedule_backdated_past_its_first_phase_answers_in_todays_phase(
    ok, customer, monthly, premium, at_start, checked_ledger
):
    ada = customer()
    began = months_after(at_start, -2)
    made = ok("subscription-schedules", "create", "--customer", ada, "--start-date", str(began),
              "--phase", f"{monthly} iterations=1",
              "--phase", f"{premium} iterations=3")  # fmt: skip
    assert made["status"] == "active"
    assert made["current_phase"] == {
        "start_date": months_after(at_start, -1), "end_date": months_after(at_start, 2),
    }  # fmt: skip
    sub = ok("subscriptions", "show", made["subscription"])
    assert [i["price"]["id"] for i in sub["items"]["data"]] == [premium]
    assert ok("subscription-schedules", "show", made["id"]) == made
    checked_ledger()


def test_a_schedule_updated_to_start_now_starts_at_once(
    ok, customer, monthly, at_start, checked_ledger
):
    ada = customer()
    later = at_start + 5 * 86_400
    made = ok("subscription-schedules", "create", "--customer", ada, "--start-date", str(later),
              "--phase", f"{monthly} iterations=1")  # fmt: skip
    now = ok("subscription-schedules", "update", made["id"],
             "--phase", f"{monthly} iterations=1 start={at_start}")  # fmt: skip
    assert (now["status"], now["current_phase"]["start_date"]) == ("active", at_start)
    sub = ok("subscriptions", "show", now["subscription"])
    assert (sub["status"], sub["schedule"], sub["start_date"]) == ("active", made["id"], at_start)
    checked_ledger()
