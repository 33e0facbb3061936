"""Recording and reading the event log."""

from __future__ import annotations

from typing import Any

from billcli.core import objects
from billcli.core.ids import check_id, new_id
from billcli.core.pagination import Page, PageRequest
from billcli.core.records import Customer, Event
from billcli.errors import NotFound
from billcli.store.ledger import Ledger, Tx


def record(
    tx: Tx,
    type_: str,
    obj: dict[str, Any],
    *,
    previous: dict[str, Any] | None = None,
    idempotency_key: str | None = None,
) -> None:
    """Append the event for a state change, in the transaction that made it."""
    tx.events.add(
        Event(
            id=new_id("event"),
            created=tx.now,
            type=type_,
            object=obj,
            previous_attributes=previous,
            idempotency_key=idempotency_key,
        )
    )


def customer_updated(tx: Tx, before: Customer, after: Customer) -> Event | None:
    """The `customer.updated` event between two states, None when nothing changed."""
    old, new = objects.customer(before), objects.customer(after)
    if old == new:
        return None
    return Event(
        id=new_id("event"),
        created=tx.now,
        type="customer.updated",
        object=new,
        previous_attributes=objects.changed_attributes(old, new),
    )


def list_events(ledger: Ledger, request: PageRequest, *, type_: str | None = None) -> Page:
    with ledger.read() as tx:
        events, has_more = tx.events.page(request, type_=type_)
    return Page("/v1/events", [objects.event(e) for e in events], has_more)


def show_event(ledger: Ledger, event_id: str) -> dict[str, Any]:
    check_id(event_id, "event", param="id")
    with ledger.read() as tx:
        event = tx.events.get(event_id)
    if event is None:
        raise NotFound("event", event_id, param="id")
    return objects.event(event)
