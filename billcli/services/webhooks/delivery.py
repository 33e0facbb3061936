"""Delivering queued events: claim what is due, send it, record what came back.

A delivery is claimed with a lease (wall-clock seconds) in one transaction, sent with
no transaction open, and settled in another. Concurrent deliverers (two ticks, a tick
and a cron `events deliver`) skip leased rows, and settling ignores a delivery that
is no longer pending, so an endpoint that answered 2xx never gets the event again. A
process killed between sending and settling leaves a lease that expires, and the
event goes out once more: at least once, as Stripe promises, never after a success
that was recorded.
"""

from __future__ import annotations

import json
import time
from collections.abc import Callable, Iterable, Iterator
from contextlib import AbstractContextManager
from dataclasses import replace
from typing import Any

from billcli import API_VERSION
from billcli.core import objects
from billcli.core.invoicing import finalizes_at
from billcli.core.records.webhooks import WebhookAttempt, WebhookDelivery
from billcli.core.tick import FINALIZE, Step, delivery_step, step
from billcli.core.webhooks import next_delivery_at
from billcli.services.ledger.events import find_event
from billcli.services.webhooks.http import Outgoing, Sent
from billcli.services.webhooks.payloads import Shape, as_recorded
from billcli.services.webhooks.schedule import (
    BATCH,
    LEASE_MARGIN_S,
    DeliveryReport,
    Sender,
    sender,
)
from billcli.store.ledger import UNDECIDED, Ledger, Tx


def claim(
    tx: Tx, deliveries: Iterable[WebhookDelivery], lease_s: float, shape: Shape = as_recorded
) -> list[Outgoing]:
    """Lease the deliveries that are still due and unleased; the requests to send, each
    event in its endpoint's API version (`shape`)."""
    wall = time.time()
    out = []
    for listed in deliveries:
        delivery = tx.webhook_deliveries.get(listed.seq)
        if (
            delivery is None
            or delivery.state != "pending"
            or delivery.next_attempt_at is None
            or delivery.next_attempt_at > tx.ledger_now
            or (delivery.lease_until is not None and delivery.lease_until > wall)
        ):
            continue
        endpoint = tx.webhook_endpoints.get(delivery.endpoint)
        event = tx.events.get(delivery.event)
        if endpoint is None or event is None or endpoint.status != "enabled" or endpoint.deleted:
            continue
        keys = [endpoint.secret]
        expires = endpoint.previous_secret_expires_at
        if endpoint.previous_secret and expires is not None and expires > tx.ledger_now:
            keys.append(endpoint.previous_secret)
        pending = tx.webhook_deliveries.pending_count(event.id)
        payload = objects.event(event, pending_webhooks=pending)
        payload = shape(payload, endpoint.api_version or API_VERSION)
        body = json.dumps(payload, ensure_ascii=False)
        tx.webhook_deliveries.save(replace(delivery, lease_until=wall + lease_s))
        out.append(
            Outgoing(
                delivery.seq,
                event.id,
                endpoint.id,
                endpoint.url,
                body.encode(),
                tuple(keys),
                tx.ledger_now,
            )
        )
    return out


Held = list[tuple[str, int]]  # drafts whose webhooks may have ended, and when (ledger time)


def settle(
    tx: Tx, results: Iterable[tuple[Outgoing, Sent]], report: DeliveryReport
) -> tuple[list[Step], Held]:
    """Record each attempt at the instant it was claimed for; the work it schedules,
    and the drafts whose `invoice.created` deliveries it ended (to `release`).

    That instant, not the clock's now: a concurrent tick may have moved the clock on
    while the request was in flight, and a draft's hour starts when its webhook ended.
    """
    later: list[Step] = []
    held: Held = []
    for claimed, sent in results:
        at = claimed.at
        delivery = tx.webhook_deliveries.get(sent.seq)
        if delivery is None or delivery.state != "pending":
            continue
        attempt = WebhookAttempt(
            event=delivery.event,
            endpoint=delivery.endpoint,
            created=at,
            duration_ms=sent.duration_ms,
            status_code=sent.status_code,
            error=sent.error,
            response_excerpt=sent.excerpt,
        )
        tx.webhook_attempts.add(attempt)
        report.attempts.append(objects.webhook_attempt(attempt))
        made = delivery.attempts + 1
        first = delivery.first_attempt_at if delivery.first_attempt_at is not None else at
        retry_at = None if sent.ok else next_delivery_at(first, made, at)
        state = "succeeded" if sent.ok else "pending" if retry_at is not None else "failed"
        tx.webhook_deliveries.save(
            replace(
                delivery,
                state=state,
                attempts=made,
                first_attempt_at=first,
                next_attempt_at=retry_at,
                finished_at=None if state == "pending" else at,
                lease_until=None,
            )
        )
        if retry_at is not None:
            report.retrying += 1
            later.append(delivery_step(retry_at, delivery.seq))
            continue
        report.delivered += state == "succeeded"
        report.failed += state == "failed"
        if delivery.invoice is not None:
            held.append((delivery.invoice, at))
    return later, held


def release_here(tx: Tx, held: Held) -> tuple[list[Step], dict[str | None, Held]]:
    """`release` the drafts on this transaction's clock (the steps they schedule go on
    with its plan); the others by clock, for a transaction of their own each (no
    transaction mixes clocks; what they schedule, their clock's advance finds)."""
    later: list[Step] = []
    elsewhere: dict[str | None, Held] = {}
    for invoice_id, at in held:
        clock = tx.invoices.clock_of(invoice_id)
        if tx.on is UNDECIDED or tx.on == clock:
            later += release(tx, invoice_id, at)
        else:
            elsewhere.setdefault(clock, []).append((invoice_id, at))
    return later, elsewhere


def release_elsewhere(
    open_on: Callable[[str | None], AbstractContextManager[Tx]],
    elsewhere: dict[str | None, Held],
) -> None:
    for clock, drafts in elsewhere.items():
        with open_on(clock) as tx:
            for invoice_id, at in drafts:
                release(tx, invoice_id, at)


def release(tx: Tx, invoice_id: str, at: int) -> list[Step]:
    """Once none of a draft's `invoice.created` deliveries is pending, it may finalize:
    an hour after its webhooks ended, at `at` in ledger time, or for a test clock's
    draft at that clock's now (its time stands still between advances)."""
    invoice = tx.invoices.get(invoice_id)
    if (
        invoice is None
        or invoice.status != "draft"
        or invoice.webhooks_delivered_at is not None
        or tx.webhook_deliveries.holding(invoice_id)
    ):
        return []
    tx.owns(invoice.customer)
    if tx.on is not None:
        at = tx.now
    due = finalizes_at(invoice.created, at, invoice.chosen_finalization)
    tx.invoices.save(replace(invoice, webhooks_delivered_at=at, finalizes_at=due))
    return [step(due, FINALIZE, invoice_id, tx.invoices.seq(invoice_id))]


def deliver_batch(
    open_tx: Callable[[], AbstractContextManager[Tx]],
    open_on: Callable[[str | None], AbstractContextManager[Tx]],
    seqs: list[int],
    send: Sender,
    lease_s: float,
    report: DeliveryReport,
    shape: Shape = as_recorded,
) -> list[Step]:
    """Claim, send and settle these deliveries; the steps settling scheduled (drafts of
    other clocks than `open_tx`'s are released in transactions `open_on` opens)."""
    with open_tx() as tx:
        deliveries = [d for d in (tx.webhook_deliveries.get(s) for s in seqs) if d is not None]
        outgoing = claim(tx, deliveries, lease_s, shape)
    if not outgoing:
        return []
    results = send(outgoing)
    with open_tx() as tx:
        later, held = settle(tx, zip(outgoing, results, strict=True), report)
        released, elsewhere = release_here(tx, held)
    release_elsewhere(open_on, elsewhere)
    return later + released


def deliver_due(
    ledger: Ledger, *, timeout: float | None = None, shape: Shape = as_recorded
) -> DeliveryReport:
    """Send every delivery due by the ledger's now (`events deliver`, for cron)."""
    report = DeliveryReport()
    with ledger.read() as tx:
        send, limit = sender(tx, timeout)
    while True:
        with ledger.read() as tx:
            due = tx.webhook_deliveries.due(tx.ledger_now, BATCH, unleased_at=time.time())
        if not due:
            return report
        before = len(report.attempts)
        deliver_batch(
            ledger.write,
            lambda clock: ledger.write(clock=clock),
            [d.seq for d in due],
            send,
            limit + LEASE_MARGIN_S,
            report,
            shape,
        )
        if len(report.attempts) == before:
            return report  # everything due is leased by another deliverer


def attempts_of(ledger: Ledger, event_id: str) -> Iterator[dict[str, Any]]:
    """Every attempt to deliver an event, oldest first (`events deliveries`)."""
    with ledger.read() as tx:
        find_event(tx, event_id)
        attempts = tx.webhook_attempts.of_event(event_id)
    yield from (objects.webhook_attempt(a) for a in attempts)
