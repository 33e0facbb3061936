"""Subscription schedules per rule, with every invoice computed here from the prices:
a year of three phases renewing at each phase's price, a phase change in the middle of
a period prorated as the phase says, the expiring notice seven days before the end,
release and cancel, and Stripe's refusals with nothing written."""

from __future__ import annotations

import json
from collections.abc import Callable
from itertools import pairwise
from typing import Any

from tests.payments.conftest import event_types
from tests.schedules.conftest import months_after

DAY_S = 86_400


def _invoices(ok: Callable[..., Any], sub: str) -> list[tuple[int, str, int]]:
    listed = ok("invoices", "list", "--all")["data"]
    return [
        (i["created"], i["billing_reason"], i["total"])
        for i in reversed(listed)
        if i["subscription"] == sub
    ]


def test_a_year_of_three_phases_bills_each_phase_at_its_renewals_then_releases(
    ok, customer, monthly, premium, at_start, checked_ledger
):
    ada = customer()
    made = ok("subscription-schedules", "create", "--customer", ada,
              "--phase", f"{monthly} iterations=3",
              "--phase", f"{premium} iterations=3",
              "--phase", f"{premium}:2 iterations=6")  # fmt: skip
    assert (made["status"], made["end_behavior"]) == ("active", "release")
    bounds = [at_start, months_after(at_start, 3), months_after(at_start, 6),
              months_after(at_start, 12)]  # fmt: skip
    assert [(p["start_date"], p["end_date"]) for p in made["phases"]] == list(pairwise(bounds))
    sub = made["subscription"]
    assert ok("subscriptions", "show", sub)["schedule"] == made["id"]

    ok("invoices", "tick", "--to", str(months_after(at_start, 12) + 1))
    # One invoice a month: 3 × 20.00, then 3 × 50.00, then 6 × 2 × 50.00; the thirteenth
    # (the first after the schedule) keeps the last phase's items.
    expected = [2000] * 3 + [5000] * 3 + [10000] * 6 + [10000]
    billed = _invoices(ok, sub)
    assert [total for _, _, total in billed] == expected
    assert [at for at, _, _ in billed] == [months_after(at_start, n) for n in range(13)]
    assert billed[0][1] == "subscription_create"
    assert sum(expected) == 2000 * 3 + 5000 * 3 + 10000 * 7 == 91000

    done = ok("subscription-schedules", "show", made["id"])
    assert (done["status"], done["subscription"], done["released_subscription"]) == (
        "completed", None, sub,
    )  # fmt: skip
    assert done["completed_at"] == months_after(at_start, 12)
    assert ok("subscriptions", "show", sub)["schedule"] is None
    types = event_types(ok)
    assert types.count("subscription_schedule.updated") == 2
    assert types.count("subscription_schedule.expiring") == 1
    assert types.count("subscription_schedule.completed") == 1
    expiring = ok("events", "list", "--type", "subscription_schedule.expiring")["data"][0]
    assert expiring["created"] == months_after(at_start, 12) - 7 * DAY_S
    checked_ledger()


def test_a_phase_change_mid_period_is_prorated_as_the_phase_says(
    ok, customer, monthly, premium, at_start, checked_ledger
):
    ada = customer()
    switch = at_start + 10 * DAY_S
    made = ok("subscription-schedules", "create", "--customer", ada,
              "--phase", f"{monthly} end={switch}",
              "--phase", f"{premium} iterations=2")  # fmt: skip
    ok("invoices", "tick", "--to", str(switch))
    period = months_after(at_start, 1) - at_start  # March: 31 days
    left = period - 10 * DAY_S
    credit = (2 * 2000 * left + period) // (2 * period)  # half away from zero
    charge = (2 * 5000 * left + period) // (2 * period)
    assert (credit, charge) == (1355, 3387)
    pending = ok("invoices", "items", "list", "--customer", ada, "--pending")["data"]
    assert sorted(i["amount"] for i in pending) == [-credit, charge]
    ok("invoices", "tick", "--to", str(months_after(at_start, 1)))
    billed = _invoices(ok, made["subscription"])
    assert [total for _, _, total in billed] == [2000, 5000 + charge - credit]
    checked_ledger()


def test_a_phase_without_prorations_changes_the_price_from_the_next_renewal_only(
    ok, customer, monthly, premium, at_start, checked_ledger
):
    ada = customer()
    switch = at_start + 10 * DAY_S
    made = ok("subscription-schedules", "create", "--customer", ada,
              "--phase", f"{monthly} end={switch}",
              "--phase", f"{premium} iterations=2 proration=none")  # fmt: skip
    ok("invoices", "tick", "--to", str(months_after(at_start, 1)))
    assert [t for _, _, t in _invoices(ok, made["subscription"])] == [2000, 5000]
    checked_ledger()


def test_a_schedule_starting_later_creates_its_subscription_on_the_clock_once(
    ok, customer, monthly, at_start, checked_ledger
):
    ada = customer()
    later = at_start + 5 * DAY_S
    made = ok("subscription-schedules", "create", "--customer", ada, "--start-date", str(later),
              "--end-behavior", "cancel", "--phase", f"{monthly} iterations=2")  # fmt: skip
    assert (made["status"], made["subscription"], made["current_phase"]) == (
        "not_started", None, None,
    )  # fmt: skip
    ok("invoices", "tick", "--to", str(later))
    started = ok("subscription-schedules", "show", made["id"])
    assert started["status"] == "active"
    assert started["current_phase"] == {"start_date": later, "end_date": months_after(later, 2)}
    ok("invoices", "tick", "--to", str(later))  # a second tick at the same instant: nothing
    assert len(ok("subscriptions", "list", "--status", "all")["data"]) == 1
    ok("invoices", "tick", "--to", str(months_after(later, 2)))
    sub = ok("subscriptions", "show", started["subscription"])
    assert (sub["status"], sub["ended_at"]) == ("canceled", months_after(later, 2))
    assert [t for _, _, t in _invoices(ok, sub["id"])] == [2000, 2000]
    assert ok("subscription-schedules", "show", made["id"])["status"] == "completed"
    checked_ledger()


def test_release_keeps_the_subscription_and_cancel_ends_it(
    ok, customer, monthly, premium, checked_ledger, refused
):
    ada = customer()
    phases = ["--phase", f"{monthly} iterations=1", "--phase", f"{premium} iterations=1"]
    kept = ok("subscription-schedules", "create", "--customer", ada, *phases)
    released = ok("subscription-schedules", "release", kept["id"])
    assert (released["status"], released["released_subscription"]) == (
        "released", kept["subscription"],
    )  # fmt: skip
    assert ok("subscriptions", "show", kept["subscription"])["status"] == "active"
    ended = ok("subscription-schedules", "create", "--customer", ada, *phases)
    canceled = ok("subscription-schedules", "cancel", ended["id"])
    assert canceled["status"] == "canceled"
    assert ok("subscriptions", "show", ended["subscription"])["status"] == "canceled"
    refused(["subscription-schedules", "release", ended["id"]], 1,
            "You cannot release a subscription schedule that is currently in the `canceled` "
            "status.")  # fmt: skip
    refused(["subscription-schedules", "cancel", kept["id"]], 1,
            "You cannot cancel a subscription schedule that is currently in the `released` "
            "status.")  # fmt: skip
    checked_ledger()


def test_an_update_replaces_future_phases_and_keeps_the_current_start(
    ok, customer, monthly, premium, at_start, refused, checked_ledger, tmp_path
):
    ada = customer()
    once = f"{monthly} iterations=1"
    made = ok("subscription-schedules", "create", "--customer", ada, "--phase", once,
              "--phase", once)  # fmt: skip
    document = {"phases": [
        {"items": [{"price": monthly, "quantity": 1}], "iterations": 1},
        {"items": [{"price": premium, "quantity": 3}], "iterations": 2},
    ]}  # fmt: skip
    filed = tmp_path / "phases.json"
    filed.write_text(json.dumps(document))
    changed = ok("subscription-schedules", "update", made["id"], "--from-file", str(filed))
    assert [(p["items"][0]["price"], p["items"][0]["quantity"]) for p in changed["phases"]] == [
        (monthly, 1), (premium, 3),
    ]  # fmt: skip
    assert changed["phases"][1]["end_date"] == months_after(at_start, 3)
    refused(["subscription-schedules", "update", made["id"], "--phase",
             f"{monthly} start={at_start + 60} iterations=1"], 1,
            "You can not modify the start date of the current phase.")  # fmt: skip
    refused(["subscription-schedules", "update", made["id"], "--phase",
             f"{monthly} end={at_start - 60}"], 1, "must end after it starts")  # fmt: skip
    ok("invoices", "tick", "--to", str(months_after(at_start, 3)))
    # Released at the end of the second phase, the subscription renews on its terms.
    assert [t for _, _, t in _invoices(ok, made["subscription"])] == [2000, 15000, 15000, 15000]
    checked_ledger()


def test_bad_schedules_are_refused_with_nothing_written(ok, customer, monthly, at_start, refused):
    ada = customer()
    ok("products", "create", "--name", "Euro", "--id", "euro")
    euro = ok("prices", "create", "--product", "euro", "--currency", "eur", "--unit-amount",
              "900", "--recurring-interval", "month")["id"]  # fmt: skip
    create = ["subscription-schedules", "create", "--customer", ada]
    refused([*create, "--phase", f"{monthly} iterations=1",
             "--phase", f"{monthly} start={at_start} iterations=1"], 1,
            "would overlap")  # fmt: skip
    refused([*create, "--phase", f"{monthly} iterations=1", "--phase", f"{euro} iterations=1"],
            1, "one currency")  # fmt: skip
    refused([*create, "--phase", f"{monthly} end={at_start + 60} iterations=2"], 1,
            "give end_date or iterations, not both")  # fmt: skip
    refused([*create], 1, "Missing required param: phases.")
    refused([*create, "--end-behavior", "renew", "--phase", monthly], 1, "Invalid end_behavior")


def test_invoices_upcoming_previews_the_next_phase(
    ok, billcli, customer, monthly, premium, at_start
):
    ada = customer()
    phases = ["--phase", f"{monthly} iterations=1", "--phase", f"{premium}:2 iterations=1"]
    made = ok("subscription-schedules", "create", "--customer", ada, "--end-behavior", "cancel",
              *phases)  # fmt: skip
    upcoming = ok("invoices", "upcoming", "--customer", ada)
    assert (upcoming["created"], upcoming["total"]) == (months_after(at_start, 1), 2 * 5000)
    assert [line["price"]["id"] for line in upcoming["lines"]["data"]] == [premium]
    ok("invoices", "tick", "--to", str(months_after(at_start, 1)))
    assert ok("subscriptions", "show", made["subscription"])["items"]["data"][0]["quantity"] == 2
    # The last phase cancels the subscription when it ends: nothing comes next.
    assert billcli("invoices", "upcoming", "--customer", ada).code == 6
