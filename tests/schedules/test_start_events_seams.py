"""The events of a schedule's start show it started: `subscription_schedule.created` of
a schedule starting now is the object the create answered (active, its subscription),
and a schedule the clock starts later records `subscription_schedule.updated` (active,
previously not_started), as every state change records its event."""

from __future__ import annotations

DAY_S = 86_400


def _of(ok, kind: str, schedule: str) -> list[dict]:
    listed = ok("events", "list", "--type", f"subscription_schedule.{kind}")["data"]
    return [e["data"] for e in reversed(listed) if e["data"]["object"]["id"] == schedule]


def test_a_schedule_starting_now_is_created_active_in_its_event(
    ok, customer, monthly, at_start, checked_ledger
):
    ada = customer()
    made = ok("subscription-schedules", "create", "--customer", ada,
              "--phase", f"{monthly} iterations=2")  # fmt: skip
    [created] = _of(ok, "created", made["id"])
    assert created["object"] == made
    assert (created["object"]["status"], created["object"]["subscription"]) == (
        "active", made["subscription"],
    )  # fmt: skip
    checked_ledger()


def test_a_schedule_the_clock_starts_records_its_update(
    ok, customer, monthly, at_start, checked_ledger
):
    ada = customer()
    later = at_start + 5 * DAY_S
    made = ok("subscription-schedules", "create", "--customer", ada, "--start-date", str(later),
              "--phase", f"{monthly} iterations=2")  # fmt: skip
    [created] = _of(ok, "created", made["id"])
    assert created["object"]["status"] == "not_started"
    ok("invoices", "tick", "--to", str(later))
    started = ok("subscription-schedules", "show", made["id"])
    [updated] = _of(ok, "updated", made["id"])
    assert updated["object"] == started
    assert updated["previous_attributes"] == {
        "current_phase": None, "status": "not_started", "subscription": None,
    }  # fmt: skip
    checked_ledger()


def test_entering_the_next_phase_records_the_previous_current_phase(
    ok, customer, monthly, premium, at_start, checked_ledger
):
    ada = customer()
    made = ok("subscription-schedules", "create", "--customer", ada,
              "--phase", f"{monthly} iterations=1",
              "--phase", f"{premium} iterations=1")  # fmt: skip
    first = made["current_phase"]
    ok("invoices", "tick", "--to", str(first["end_date"]))
    [updated] = _of(ok, "updated", made["id"])
    assert updated["object"]["current_phase"] == {
        "start_date": first["end_date"], "end_date": made["phases"][1]["end_date"],
    }  # fmt: skip
    assert updated["previous_attributes"] == {"current_phase": first}
    checked_ledger()
