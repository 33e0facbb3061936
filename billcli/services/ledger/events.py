"""Recording and reading the event log."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from functools import partial
from typing import Any, TypeVar

from billcli.core import objects
from billcli.core.ids import new_id
from billcli.core.pagination import Page, PageRequest
from billcli.core.records import Customer, Event
from billcli.errors import InvalidRequest, NotFound
from billcli.services.discounts.applicable import customer_object
from billcli.services.ledger.lookup import found
from billcli.store.ledger import Ledger, Tx

T = TypeVar("T")


def record(
    tx: Tx,
    type_: str,
    obj: dict[str, Any],
    *,
    previous: dict[str, Any] | None = None,
    idempotency_key: str | None = None,
) -> None:
    """Append the event for a state change, in the transaction that made it, at the
    time of the clock its object lives on: its customer's (the transaction's), or the
    ledger's for a test clock itself, which belongs to no customer's time."""
    of_a_clock = obj.get("object") == "test_helpers.test_clock"
    append(
        tx,
        [
            Event(
                id=new_id("event"),
                created=tx.ledger_now if of_a_clock else tx.now,
                type=type_,
                object=obj,
                previous_attributes=previous,
                idempotency_key=idempotency_key,
            )
        ],
    )


def record_update(
    tx: Tx,
    types: str | tuple[str, ...],
    before: T,
    after: T,
    *,
    save: Callable[[T], None],
    show: Callable[[T], dict[str, Any]],
) -> dict[str, Any]:
    """Save a changed record and record the event (or each of `types`) with the old
    values of what changed; a change that changes nothing saves and records nothing. The
    object as it is after."""
    shown_before = show(before)
    if after == before:
        return shown_before
    save(after)
    shown = show(after)
    previous = objects.changed_attributes(shown_before, shown)
    for type_ in (types,) if isinstance(types, str) else types:
        record(tx, type_, shown, previous=previous)
    return shown


def append(tx: Tx, events: list[Event]) -> None:
    """Write events, and queue each for the webhook endpoints subscribed to its type.

    Queueing in the same transaction is what makes delivery reliable: an event exists
    exactly when its deliveries do, whatever happens to the process afterwards. An event
    says when it happened on its object's clock (`created`); its delivery is due at once
    in ledger time, whatever clock the object lives on: deliveries, their retries and
    signatures keep to the ledger's time and the wall clock. A shared writer's wait
    until it commits (`flush`).
    """
    if tx.idempotency_key is not None or tx.request_id is not None:
        key, request = tx.idempotency_key, tx.request_id
        events = [
            replace(e, idempotency_key=e.idempotency_key or key, request_id=request) for e in events
        ]
    if tx.shared:
        if not tx.pending_events:
            tx.before_commit.append(partial(flush, tx))
        tx.pending_events.extend(events)
        return
    _queued(tx, events)


def mark(tx: Tx) -> int | None:
    """Where this transaction's events will begin, for `written_since` (a shared
    writer's take their `seq`s at the end)."""
    return None if tx.shared else tx.events.last_seq()


def written_since(tx: Tx, mark: int | None) -> tuple[int, int] | None:
    """The (after, last) `seq`s of the events this transaction wrote since `mark`, a
    shared writer's added now; None when it wrote none. A writer holding the lock alone,
    or the turn to add events, is the only one writing events meanwhile."""
    if mark is None:
        return flush(tx)
    last = tx.events.last_seq()
    return (mark, last) if last > mark else None


def flush(tx: Tx) -> tuple[int, int] | None:
    """Add a shared writer's events, just before it commits, holding the turn to add
    events until it has: `seq`s then follow commit order, so a reader of the events
    after a `seq` (a client paging, a tick printing its own) never passes one that
    commits later. The (after, last) `seq`s they took; None when there were none."""
    if not tx.pending_events:
        return None
    events = list(tx.pending_events)
    tx.pending_events.clear()
    tx.events.take_order()
    after = tx.events.last_seq()
    _queued(tx, events)
    return after, tx.events.last_seq()


def _queued(tx: Tx, events: list[Event]) -> None:
    tx.events.add_many(events)
    endpoints = tx.webhook_endpoints.enabled()
    if not endpoints:
        return
    # startup: webhook code loads only once an endpoint exists
    from billcli.core.records.webhooks import WebhookDelivery
    from billcli.core.webhooks import subscribed

    for event in events:
        holds = event.type == "invoice.created"
        for endpoint in endpoints:
            if subscribed(endpoint.events, event.type):
                seq = tx.webhook_deliveries.add(
                    WebhookDelivery(
                        seq=0,
                        event=event.id,
                        endpoint=endpoint.id,
                        created=tx.ledger_now,
                        next_attempt_at=tx.ledger_now,
                        invoice=event.object["id"] if holds else None,
                    )
                )
                tx.queued_deliveries.append((tx.ledger_now, seq))


def customer_updated(
    tx: Tx, before: Customer, after: Customer, *, shown_before: dict[str, Any] | None = None
) -> Event | None:
    """The `customer.updated` event between two states, None when nothing changed
    (`shown_before`: the customer rendered before a change its record does not hold,
    such as its discount ending)."""
    new = customer_object(tx, after)
    old = shown_before if shown_before is not None else customer_object(tx, before)
    previous = objects.changed_attributes(old, new)
    return _customer_event(tx, new, previous) if previous else None


def balance_changed(tx: Tx, before: Customer, after: Customer) -> Event | None:
    """`customer_updated` for two states that differ in balance and currency alone.

    A bulk import makes one per customer it touched (100,000s); comparing the three
    fields that follow the balance spares building and comparing two whole objects.
    """
    previous = objects.changed_attributes(
        objects.credit_balance(before), objects.credit_balance(after)
    )
    return _customer_event(tx, customer_object(tx, after), previous) if previous else None


def _customer_event(tx: Tx, new: dict[str, Any], previous: dict[str, Any]) -> Event:
    return Event(
        id=new_id("event"),
        created=tx.now,
        type="customer.updated",
        object=new,
        previous_attributes=previous,
    )


def has_subscribers(tx: Tx, event_type: str) -> bool:
    """Whether an event of this type would be queued for any endpoint now."""
    # startup: webhook code loads only once an endpoint exists
    from billcli.core.webhooks import subscribed

    return any(subscribed(e.events, event_type) for e in tx.webhook_endpoints.enabled())


MAX_TYPES = 20  # Stripe's limit on `types[]`


def list_events(
    ledger: Ledger,
    request: PageRequest,
    *,
    type_: str | None = None,
    types: tuple[str, ...] = (),
    hidden: tuple[str, ...] = (),
    delivered: bool | None = None,
) -> Page:
    """Newest first, of a type (`invoice.*`: Stripe's wildcard) or of several;
    `delivered` False: those whose delivery to an endpoint is pending or failed. `hidden`
    types are left out (those an API version does not have)."""
    if type_ is not None and types:
        raise InvalidRequest("You may pass either type or types, but not both.", param="types")
    if len(types) > MAX_TYPES:
        raise InvalidRequest(f"Invalid types: at most {MAX_TYPES} event types", param="types")
    wanted = (type_,) if type_ is not None else types
    with ledger.read() as tx:
        events, has_more = tx.events.page(request, types=wanted, hidden=hidden, delivered=delivered)
        shown = _shown(tx, events)
    return Page("/v1/events", shown, has_more)


def find_event(tx: Tx, event_id: str) -> Event:
    return found(tx, "event", event_id, tx.events.get, param="id")


def show_event(ledger: Ledger, event_id: str, *, hidden: tuple[str, ...] = ()) -> dict[str, Any]:
    with ledger.read() as tx:
        event = find_event(tx, event_id)
        if event.type in hidden:
            raise NotFound("event", event_id, param="id")
        return _shown(tx, [event])[0]


def _shown(tx: Tx, events: list[Event]) -> list[dict[str, Any]]:
    """Event objects, listed or retrieved, each with the deliveries it still has
    pending: one query for a whole page."""
    pending = tx.webhook_deliveries.pending_counts([e.id for e in events])
    return [objects.event(e, pending_webhooks=pending.get(e.id, 0)) for e in events]
