"""A subscription a schedule manages takes no cancellation of its own: Stripe refuses
`cancel_at_period_end` and `cancel_at` on it ("The subscription is managed by the
subscription schedule `sub_sched_…`, and updating any cancelation behavior directly is
not allowed. Please update the schedule instead."), since the schedule's phases and
`end_behavior` decide its end. Other changes, and cancelling it now, stay allowed; once
released it is the subscription's own again. The portal, which cancels at the period end
by the same rule, offers no such cancellation for it."""

from __future__ import annotations

import html as markup

from tests.conftest import ledger_digest
from tests.web.conftest import csrf
from tests.web.test_portal_pages import open_portal, session_path
from tests.web.test_portal_subscriptions import version

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


def test_the_portal_offers_no_cancellation_at_the_period_end_of_a_scheduled_subscription(
    client, ok, customer, monthly, at_start, ledger_path, checked_ledger
):
    ok("portal", "configurations", "create", "--subscription-cancel", "--subscription-pause")
    ada = customer()
    made = ok("subscription-schedules", "create", "--customer", ada,
              "--phase", f"{monthly} iterations=3")  # fmt: skip
    sub = made["subscription"]
    page = open_portal(client, session_path(ok, ada))
    assert "Cancel at the end of the period" not in page
    before = ledger_digest(ledger_path)
    form = {"csrf": csrf(page), "version": version(page, sub)}
    done = client.post(f"/p/portal/subscriptions/{sub}/cancel", data=form)
    assert done.status_code == 400
    assert "managed by the subscription schedule" in markup.unescape(done.text)
    assert ledger_digest(ledger_path) == before
    assert ok("subscriptions", "show", sub)["cancel_at_period_end"] is False
    checked_ledger()
