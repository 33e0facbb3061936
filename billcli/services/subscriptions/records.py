"""A subscription as the ledger keeps it: found by id, shown as Stripe's object, saved
with its next action scheduled and its change recorded as an event."""

from __future__ import annotations

from dataclasses import replace

from billcli.core import catalog_objects, objects
from billcli.core.records.subscriptions import Subscription
from billcli.core.subscriptions import next_action_at
from billcli.services.discounts.applicable import held
from billcli.services.ledger import settings
from billcli.services.ledger.events import record
from billcli.services.ledger.lookup import found
from billcli.services.subscriptions import mrr
from billcli.services.subscriptions.items import billed_items
from billcli.services.taxes.rates import rate_objects
from billcli.store.ledger import Tx


def creating(tx: Tx, subscription_id: str) -> None:
    """Mark a subscription as being created in this transaction (no update events)."""
    tx.memo[("creating", subscription_id)] = True


def subscription_object(tx: Tx, sub: Subscription) -> dict[str, object]:
    managing = tx.subscription_schedules.managing(sub.id)
    return catalog_objects.subscription(
        sub,
        [(b.item, b.price) for b in billed_items(tx, sub)],
        discount=held(tx, sub.discount),
        test_clock=tx.clock_of(sub.customer),
        rates=lambda ids: rate_objects(tx, ids),
        schedule=None if managing is None else managing.id,
    )


def save(
    tx: Tx,
    before: Subscription,
    after: Subscription,
    *,
    event: str | None = None,
    shown_before: dict[str, object] | None = None,
) -> None:
    """Write a change (its next action rescheduled) and record it: `event`, or
    `customer.subscription.updated` with the previous values of what changed
    (`shown_before`: the object rendered before its items changed)."""
    after = scheduled(tx, after)
    tx.subscriptions.save(after)
    if ("creating", after.id) in tx.memo:
        return
    mrr.record(tx, after)
    new = subscription_object(tx, after)
    if event is not None:
        record(tx, event, new)
        return
    old = shown_before if shown_before is not None else subscription_object(tx, before)
    previous = objects.changed_attributes(old, new)
    if previous:
        record(tx, "customer.subscription.updated", new, previous=previous)


def scheduled(tx: Tx, sub: Subscription) -> Subscription:
    """The subscription with `next_action_at` set to when the clock must look again."""
    when = next_action_at(
        sub,
        upcoming_days=int(settings.value(tx, "subscriptions.upcoming_days")),
        overdue_at=overdue_at(tx, sub),
    )
    if when is not None:
        tx.scheduled_subscriptions.append((when, sub.id))
    return sub if when == sub.next_action_at else replace(sub, next_action_at=when)


def overdue_at(tx: Tx, sub: Subscription) -> int | None:
    """The due date of a send_invoice subscription's open latest invoice."""
    if sub.collection_method != "send_invoice" or sub.latest_invoice is None:
        return None
    invoice = tx.invoices.get(sub.latest_invoice)
    if invoice is None or invoice.status != "open":
        return None
    return invoice.due_date


def find(tx: Tx, subscription_id: str, *, param: str = "subscription") -> Subscription:
    return found(tx, "subscription", subscription_id, tx.subscriptions.get, param=param)
