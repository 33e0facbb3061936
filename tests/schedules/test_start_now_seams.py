"""`subscription-schedules update --phase '… start=now'` starts a schedule not started
yet at once, as the API's `phases[0][start_date]=now` does."""

from __future__ import annotations

from typing import Any


def test_the_cli_starts_a_schedule_now_the_same_way(
    ok: Any, customer: Any, monthly: Any, checked_ledger: Any
) -> None:
    ada = customer()
    made = ok("subscription-schedules", "create", "--customer", ada, "--start-date",
              "4102444800", "--phase", f"{monthly} iterations=1")  # fmt: skip
    started = ok("subscription-schedules", "update", made["id"],
                 "--phase", f"{monthly} iterations=1 start=now")  # fmt: skip
    assert (started["status"], started["subscription"] is not None) == ("active", True)
    sub = ok("subscriptions", "show", started["subscription"])
    assert sub["schedule"] == made["id"]
    checked_ledger()
