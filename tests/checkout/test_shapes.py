"""The new objects keep Stripe's shape. The extract has no `checkout.session` or `item`
schema and only a stub for `subscription_schedule`, so their field sets are checked
against the current stripe library's resource classes (generated from Stripe's spec);
what the extract does have (the price in a line item, the subscription a schedule
manages) is validated against its schema."""

from __future__ import annotations

from typing import Any

import stripe


def _fields(cls: type) -> set[str]:
    return set(cls.__annotations__) - {"OBJECT_NAME"}


def test_a_checkout_session_and_its_items_have_the_current_fields(ok, monthly, assert_valid):
    made = ok("checkout", "sessions", "create", "--mode", "subscription", "--price", monthly,
              "--success-url", "https://shop.example/ok")  # fmt: skip
    assert set(made) == _fields(stripe.checkout.Session) - {"line_items"}
    shown = ok("checkout", "sessions", "show", made["id"])
    item: dict[str, Any] = shown["line_items"]["data"][0]
    assert set(item) == _fields(stripe.LineItem)
    assert_valid(item["price"])


def test_a_schedule_and_its_phases_have_the_current_fields(ok, monthly, assert_valid, customer):
    made = ok("subscription-schedules", "create", "--customer", customer(),
              "--phase", f"{monthly} iterations=2")  # fmt: skip
    assert set(made) == _fields(stripe.SubscriptionSchedule)
    phase = made["phases"][0]
    assert set(phase) == _fields(stripe.SubscriptionSchedule.Phase)
    assert set(phase["items"][0]) == _fields(stripe.SubscriptionSchedule.Phase.Item)
    managed = ok("subscriptions", "show", made["subscription"])
    assert managed["schedule"] == made["id"]
    assert_valid(managed)
