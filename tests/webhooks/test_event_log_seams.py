"""Seams of the event log and webhook endpoints: what `events list` and `events show`
say of the same event, and what a delivery carries."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from tests.webhooks.receiver import running_receiver


def test_events_list_counts_the_pending_webhooks_events_show_counts(
    ok: Callable[..., Any], checked_ledger: Callable[[], None]
) -> None:
    """Stripe's `pending_webhooks` is a field of the event object, the same in a list
    as when the event is retrieved: the endpoints it has not yet reached."""
    ok("webhooks", "create", "--url", "http://127.0.0.1:9/one")
    ok("webhooks", "create", "--url", "http://127.0.0.1:9/two", "--events", "customer.created")
    customer = ok("customers", "create", "--name", "Ada")
    ok("customers", "update", customer["id"], "--name", "Ada L.")
    listed = {e["type"]: e for e in ok("events", "list")["data"]}
    assert listed["customer.created"]["pending_webhooks"] == 2
    assert listed["customer.updated"]["pending_webhooks"] == 1
    for event in listed.values():
        assert ok("events", "show", event["id"]) == event
    checked_ledger()


def test_a_basil_endpoint_gets_a_renewals_previous_period_on_the_items_where_its_object_has_it(
    ok: Callable[..., Any], checked_ledger: Callable[[], None]
) -> None:
    """Stripe computes `previous_attributes` in the event's API version: since
    2025-03-31.basil a subscription's period lives on its items, so a renewal's
    `customer.subscription.updated` names `items` (the whole list, as for any changed
    array) with the old period, never the top-level `current_period_*` that version's
    subscription does not have. A 2023-08-16 endpoint still gets those."""
    ok("invoices", "tick", "--by", "1s")
    ok("products", "create", "--name", "Plan", "--id", "plan")
    price = ok("prices", "create", "--product", "plan", "--currency", "usd",
               "--unit-amount", "1500", "--recurring-interval", "month")["id"]  # fmt: skip
    customer = ok("customers", "create", "--name", "Ada", "--payment-method", "pm_card_visa")
    sub = ok("subscriptions", "create", "--customer", customer["id"], "--price", price)
    events = "customer.subscription.updated"
    with running_receiver() as old, running_receiver() as new:
        old.secrets.append(ok("webhooks", "create", "--url", old.url, "--events", events)["secret"])
        new.secrets.append(ok("webhooks", "create", "--url", new.url, "--events", events,
                              "--api-version", "2025-03-31.basil")["secret"])  # fmt: skip
        ok("invoices", "tick", "--to", str(sub["current_period_end"] + 60))
        assert old.rejected == new.rejected == []
        [in_2023] = [r.body for r in old.received]
        [in_basil] = [r.body for r in new.received]
    assert in_2023["id"] == in_basil["id"]
    assert (in_2023["data"]["previous_attributes"]["current_period_start"],
            in_2023["data"]["previous_attributes"]["current_period_end"]) == (
        sub["current_period_start"], sub["current_period_end"],
    )  # fmt: skip
    previous = in_basil["data"]["previous_attributes"]
    assert "current_period_end" not in previous and "current_period_start" not in previous
    assert "current_period_end" not in in_basil["data"]["object"]
    [item_before] = previous["items"]["data"]
    assert (item_before["current_period_start"], item_before["current_period_end"]) == (
        sub["current_period_start"], sub["current_period_end"],
    )  # fmt: skip
    [item_now] = in_basil["data"]["object"]["items"]["data"]
    assert item_now["current_period_start"] == sub["current_period_end"]
    assert previous["latest_invoice"] == in_2023["data"]["previous_attributes"]["latest_invoice"]
    checked_ledger()


def test_every_event_a_keyed_command_records_names_its_idempotency_key(
    ok: Callable[..., Any], checked_ledger: Callable[[], None]
) -> None:
    """Stripe's `request.idempotency_key` is the key of the request that caused the
    event: a subscription created with one records its invoice, payment and charge
    events under it too, not only the object it creates; a later command without a key
    records none."""
    ok("products", "create", "--name", "Plan", "--id", "plan")
    price = ok("prices", "create", "--product", "plan", "--currency", "usd",
               "--unit-amount", "1500", "--recurring-interval", "month")["id"]  # fmt: skip
    customer = ok("customers", "create", "--name", "Ada", "--payment-method", "pm_card_visa",
                  "--idempotency-key", "new-ada")  # fmt: skip
    before = {e["id"] for e in ok("events", "list", "--all")["data"]}
    sub = ok("subscriptions", "create", "--customer", customer["id"], "--price", price,
             "--idempotency-key", "sub-ada-1")  # fmt: skip
    made = [e for e in ok("events", "list", "--all")["data"] if e["id"] not in before]
    types = {e["type"] for e in made}
    assert {"customer.subscription.created", "invoice.created", "invoice.finalized",
            "invoice.paid", "charge.succeeded", "payment_intent.succeeded"} <= types  # fmt: skip
    assert {e["request"]["idempotency_key"] for e in made} == {"sub-ada-1"}
    assert all(e["request"]["id"] is None for e in made)
    of_customer = [e for e in ok("events", "list", "--all")["data"] if e["id"] in before]
    attached = next(e for e in of_customer if e["type"] == "payment_method.attached")
    assert attached["request"]["idempotency_key"] == "new-ada"
    ok("subscriptions", "update", sub["id"], "--metadata", "seat=1")
    [updated] = ok("events", "list", "--type", "customer.subscription.updated")["data"]
    assert updated["request"]["idempotency_key"] is None
    # a replay records nothing more
    again = ok("subscriptions", "create", "--customer", customer["id"], "--price", price,
               "--idempotency-key", "sub-ada-1")  # fmt: skip
    assert again["id"] == sub["id"]
    assert len(ok("events", "list", "--all")["data"]) == len(before) + len(made) + 1
    checked_ledger()


def test_retries_after_an_endpoint_is_enabled_again_keep_the_schedules_spacing(
    ok: Callable[..., Any], checked_ledger: Callable[[], None]
) -> None:
    """A failed delivery is retried with backoff, never at once: an endpoint disabled
    for five hours after its first failure, then enabled, gets the event again at once
    (its retry was due), and the next retries 50 minutes and 2 hours after that, the
    gaps of the published schedule (+10 min, +1 h, +3 h), not three POSTs in one
    second."""
    ok("invoices", "tick", "--by", "1s")
    with running_receiver() as receiver:
        hook = ok("webhooks", "create", "--url", receiver.url, "--events", "customer.created")
        receiver.secrets.append(hook["secret"])
        receiver.script = [500] * 4
        ok("customers", "create", "--name", "Ada")
        ok("events", "deliver")
        ok("webhooks", "update", hook["id"], "--disable")
        ok("invoices", "tick", "--by", "5h")
        ok("webhooks", "update", hook["id"], "--enable")
        ok("events", "deliver")
        [event] = ok("events", "list", "--type", "customer.created")["data"]
        first, enabled = event["created"], event["created"] + 5 * 3600
        attempts = ok("events", "deliveries", event["id"])["data"]
        assert [a["created"] for a in attempts] == [first, enabled]
        ok("invoices", "tick", "--by", "49m")
        assert len(ok("events", "deliveries", event["id"])["data"]) == 2
        ok("invoices", "tick", "--by", "1m")
        ok("invoices", "tick", "--by", "2h")
        attempts = ok("events", "deliveries", event["id"])["data"]
    assert [a["created"] for a in attempts] == [
        first, enabled, enabled + 50 * 60, enabled + 50 * 60 + 2 * 3600,
    ]  # fmt: skip
    assert [a["status_code"] for a in attempts] == [500] * 4
    assert ok("events", "show", event["id"])["pending_webhooks"] == 0
    checked_ledger()
