"""A schedule on a test clock, for a customer without a card (as the Stripe CLI's
fixtures make one): its subscription starts active and its first invoice is collected
as a renewal's is (finalized an hour later, then past_due when it cannot be paid), so
the schedule lives to its end: the seven-day notice and `completed`, on the clock's own
time."""

from __future__ import annotations

from tests.schedules.conftest import months_after

DAY_S = 86_400
HOUR_S = 3600


def _on_clock(ok, at: int) -> tuple[str, str]:
    clock = ok("clocks", "create", "--frozen-time", str(at))["id"]
    customer = ok("customers", "create", "--name", "Bo", "--clock", clock)["id"]
    return clock, customer


def test_a_cardless_schedule_runs_to_its_end_on_its_test_clock(
    ok, monthly, at_start, checked_ledger
):
    clock, bo = _on_clock(ok, at_start)
    made = ok("subscription-schedules", "create", "--customer", bo,
              "--phase", f"{monthly} iterations=1")  # fmt: skip
    sub = made["subscription"]
    first = ok("subscriptions", "show", sub)
    assert first["status"] == "active"  # not incomplete: nothing is charged at its creation
    assert ok("invoices", "show", first["latest_invoice"])["status"] == "draft"

    ok("clocks", "advance", clock, "--to", str(at_start + HOUR_S))
    invoice = ok("invoices", "show", first["latest_invoice"])
    assert (invoice["status"], invoice["total"]) == ("open", 2000)
    assert ok("subscriptions", "show", sub)["status"] == "past_due"

    end = months_after(at_start, 1)
    ok("clocks", "advance", clock, "--to", str(end))
    done = ok("subscription-schedules", "show", made["id"])
    assert (done["status"], done["completed_at"], done["released_subscription"]) == (
        "completed", end, sub,
    )  # fmt: skip
    events = ok("events", "list", "--all")["data"]
    at = {e["type"]: e["created"] for e in events if e["type"].startswith("subscription_schedule.")}
    assert at["subscription_schedule.expiring"] == end - 7 * DAY_S
    assert at["subscription_schedule.completed"] == end
    assert "subscription_schedule.canceled" not in at
    checked_ledger()
