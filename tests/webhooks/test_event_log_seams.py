"""Seams of the event log and webhook endpoints: what `events list` and `events show`
say of the same event, and what a delivery carries."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any


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
