"""The upcoming invoice: what a subscription's next invoice will be, written nowhere.

Facts §4: the pending items (with the prorations a proposed change would make), then
the next period's lines; `created` is when it will be made, no `id`, the customer's
balance shown as it would apply. `invoices upcoming`, `subscriptions show` and the
`invoice.upcoming` event all use `preview`; a change is previewed by making it and
showing what it made (`previews`).
"""

from __future__ import annotations

from dataclasses import replace
from typing import Any

from billcli.core.ids import new_id
from billcli.core.invoicing import DAY_S, MAX_ITEMS
from billcli.core.periods import next_boundary
from billcli.core.records.invoices import Invoice, InvoiceItem
from billcli.core.records.subscriptions import Subscription
from billcli.core.subscriptions import RENEWING, ends_at_period_end
from billcli.errors import NotFound
from billcli.services.discounts.applicable import discounted
from billcli.services.invoicing.objects import invoice_object
from billcli.services.ledger.lookup import live_customer
from billcli.services.subscriptions.billing import period_lines
from billcli.services.subscriptions.items import billed_items
from billcli.services.subscriptions.records import find
from billcli.store.ledger import Ledger, Tx


def _temporary(item: InvoiceItem) -> InvoiceItem:
    """A line of a preview: pending items and previewed prorations have no line yet."""
    return item if item.line_id else replace(item, line_id=f"il_tmp_{item.id.split('_', 1)[1]}")


def preview(tx: Tx, sub: Subscription) -> dict[str, Any]:
    """The invoice the subscription makes next: its pending items, then the next
    period's lines. None when it ends at the period end (Stripe's
    `invoice_upcoming_none`)."""
    if ends_at_period_end(sub):
        raise _none(sub.customer)
    billed = billed_items(tx, sub)
    start = sub.current_period_end
    end = next_boundary(sub.billing_cycle_anchor, sub.interval, sub.interval_count, start)
    if sub.cancel_at is not None and start < sub.cancel_at < end:
        end = sub.cancel_at
    lines = period_lines(tx, sub, billed, start, end)
    pending = tx.invoice_items.pending(
        sub.customer, sub.currency, MAX_ITEMS - len(lines), subscription=sub.id
    )
    every = [_temporary(item) for item in pending + lines]
    return _shown(tx, sub, every, start, (sub.current_period_start, start))


def made_now(tx: Tx, sub: Subscription, invoice: Invoice) -> dict[str, Any]:
    """A draft a change made at once (not yet finalized), shown as the upcoming invoice:
    what `invoices upcoming` previews for an interval switch, a new anchor, a trial
    ended now or `always_invoice`."""
    lines = [
        _temporary(replace(item, line_id=None) if item.type == "invoiceitem" else item)
        for item in tx.invoice_items.on_invoice(invoice.id)
    ]
    period = (invoice.period_start or invoice.created, invoice.period_end or invoice.created)
    return _shown(tx, sub, lines, invoice.created, period)


def _shown(
    tx: Tx,
    sub: Subscription,
    lines: list[InvoiceItem],
    created: int,
    period: tuple[int, int],
) -> dict[str, Any]:
    days = sub.days_until_due if sub.collection_method == "send_invoice" else None
    draft = Invoice(
        id=new_id("invoice"),
        customer=sub.customer,
        created=created,
        currency=sub.currency,
        collection_method=sub.collection_method,
        auto_advance=False,
        days_until_due=days,
        due_date=None if days is None else created + days * DAY_S,
        billing_reason="upcoming",
        subscription=sub.id,
        period_start=period[0],
        period_end=period[1],
        next_payment_attempt=created + 3600
        if sub.collection_method == "charge_automatically"
        else None,
    )
    draft, lines = discounted(tx, draft, lines)
    shown = invoice_object(tx, draft, preview_lines=lines)
    shown.pop("id")
    shown["lines"]["url"] = f"/v1/invoices/upcoming/lines?customer={sub.customer}"
    balance = shown["starting_balance"]
    shown["amount_due"] = shown["amount_remaining"] = max(0, draft.total + balance)
    return shown


def _none(customer_id: str) -> NotFound:
    return NotFound(
        "upcoming invoice",
        customer_id,
        param="customer",
        message=f"No upcoming invoices for customer: {customer_id}",
        code="invoice_upcoming_none",
    )


def subscription_for(
    tx: Tx, customer_id: str, subscription_id: str | None, *, changing: bool = False
) -> Subscription:
    """The subscription a preview is of: the one named, else the customer's that renews
    next. None to preview is Stripe's `invoice_upcoming_none` (exit 6); a named one that
    is `changing` is taken as it is, so that a change it cannot take is refused as the
    update refuses it."""
    customer = live_customer(tx, customer_id)
    if subscription_id is not None:
        sub = find(tx, subscription_id)
        if sub.customer != customer.id:
            raise NotFound("subscription", subscription_id, param="subscription")
        if changing or sub.status in RENEWING:
            return sub
    else:
        renewing = [
            s
            for s in tx.subscriptions.of_customer(customer.id)
            if s.status in RENEWING and not ends_at_period_end(s)
        ]
        if renewing:
            return min(renewing, key=lambda s: (s.current_period_end, s.id))
    raise _none(customer.id)


def next_invoice(ledger: Ledger, subscription_id: str) -> dict[str, Any] | None:
    """When the subscription invoices next and how much (None when it will not)."""
    with ledger.read() as tx:
        sub = find(tx, subscription_id)
        if sub.status not in RENEWING or ends_at_period_end(sub):
            return None
        shown = preview(tx, sub)
    return {"created": shown["created"], "amount_due": shown["amount_due"],
            "currency": shown["currency"]}  # fmt: skip
