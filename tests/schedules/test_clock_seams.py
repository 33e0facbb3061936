"""A schedule names the test clock its customer lives on, as Stripe's
`subscription_schedule.test_clock` does: in create, show, list and its events."""

from __future__ import annotations

DAY_S = 86_400


def test_a_schedule_on_a_test_clock_names_that_clock_in_every_shape(ok, monthly, at_start):
    clock = ok("clocks", "create", "--frozen-time", str(at_start - 400 * DAY_S))["id"]
    bo = ok("customers", "create", "--name", "Bo", "--clock", clock)["id"]
    made = ok("subscription-schedules", "create", "--customer", bo,
              "--phase", f"{monthly} iterations=1")  # fmt: skip
    assert made["test_clock"] == clock
    assert ok("subscription-schedules", "show", made["id"])["test_clock"] == clock
    listed = ok("subscription-schedules", "list", "--customer", bo)["data"]
    assert [s["test_clock"] for s in listed] == [clock]
    created = ok("events", "list", "--type", "subscription_schedule.created")["data"][0]
    assert created["data"]["object"]["test_clock"] == clock
    ada = ok("customers", "create", "--name", "Ada")["id"]
    plain = ok("subscription-schedules", "create", "--customer", ada,
               "--phase", f"{monthly} iterations=1")  # fmt: skip
    assert plain["test_clock"] is None
