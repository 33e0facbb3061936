"""A subscription a schedule manages takes no cancellation of its own: Stripe refuses
`cancel_at_period_end` and `cancel_at` on it ("The subscription is managed by the
subscription schedule `sub_sched_…`, and updating any cancelation behavior directly is
not allowed. Please update the schedule instead."), since the schedule's phases and
`end_behavior` decide its end. Other changes, and cancelling it now, stay allowed; once
released it is the subscription's own again."""

from __future__ import annotations

DAY_S = 86_400


def test_a_scheduled_subscription_refuses_a_cancellation_of_its_own(
    ok, customer, monthly, at_start, refused, checked_ledger
):
    ada = customer()
    made = ok("subscription-schedules", "create", "--customer", ada,
              "--phase", f"{monthly} iterations=3")  # fmt: skip
    sub = made["subscription"]
    words = (
        f"The subscription is managed by the subscription schedule `{made['id']}`, and "
        "updating any cancelation behavior directly is not allowed. Please update the "
        "schedule instead."
    )
    done = refused(["subscriptions", "update", sub, "--cancel-at-period-end"], 1, words)
    assert done.json["error"]["param"] == "cancel_at_period_end"
    later = str(at_start + 10 * DAY_S)
    done = refused(["subscriptions", "update", sub, "--cancel-at", later], 1, words)
    assert done.json["error"]["param"] == "cancel_at"
    shown = ok("subscriptions", "show", sub)
    assert (shown["cancel_at_period_end"], shown["cancel_at"]) == (False, None)

    ok("subscriptions", "update", sub, "--metadata", "team=blue")  # anything else goes on
    ok("subscription-schedules", "release", made["id"])
    freed = ok("subscriptions", "update", sub, "--cancel-at-period-end")
    assert freed["cancel_at_period_end"] is True
    checked_ledger()
