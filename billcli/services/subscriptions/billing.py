"""The invoices a subscription makes: its first one, and one per renewal.

Facts §2.3 and §2.5: a subscription line per item and period (`type: subscription`,
`proration: false` for a whole period), after the customer's pending items (its
prorations among them); the invoice's own `period_start`/`period_end` are the period
that just ended, its lines carry the new one.
"""

from __future__ import annotations

from dataclasses import replace

from billcli.core.catalog import amount_for, line_description, unit_amount_for
from billcli.core.dates import utc_day
from billcli.core.ids import new_id
from billcli.core.invoicing import DAY_S, MAX_ITEMS
from billcli.core.periods import next_boundary, span_charge
from billcli.core.records.invoices import Invoice, InvoiceItem
from billcli.core.records.subscriptions import Subscription
from billcli.services.invoicing.invoices import gather_pending, open_draft
from billcli.services.invoicing.objects import record_invoice, with_totals
from billcli.services.subscriptions.items import Billed, billed_items
from billcli.store.ledger import Tx


def period_lines(
    tx: Tx,
    sub: Subscription,
    billed: list[Billed],
    start: int,
    end: int,
    *,
    trial: bool = False,
    prorate_partial: bool = True,
) -> list[InvoiceItem]:
    """One line per item for [start, end): a whole period at its price, a partial one
    prorated to the second, a trial at $0 ("Trial period for …")."""
    lines = []
    for b in billed:
        full = amount_for(b.price, b.item.quantity, sub.currency)
        amount, partial = (
            (0, False)
            if trial
            else span_charge(
                full,
                sub.billing_cycle_anchor,
                sub.interval,
                sub.interval_count,
                start,
                end,
                prorate_partial=prorate_partial,
            )
        )
        if trial:
            description = f"Trial period for {b.product.name}"
        elif partial:
            times = f"{b.item.quantity} × " if b.item.quantity > 1 else ""
            description = f"Remaining time on {times}{b.product.name} after {utc_day(start)}"
        else:
            description = line_description(b.item.quantity, b.product.name, b.price)
        line_id = new_id("subscription_line")
        lines.append(
            InvoiceItem(
                id=line_id,
                customer=sub.customer,
                created=tx.now,
                amount=amount,
                currency=sub.currency,
                quantity=b.item.quantity,
                unit_amount=unit_amount_for(b.price, sub.currency),
                description=description,
                line_id=line_id,
                type="subscription",
                price=b.price.id,
                subscription=sub.id,
                subscription_item=b.item.id,
                proration=partial,
                period_start=start,
                period_end=end,
            )
        )
    return lines


def _draft(tx: Tx, sub: Subscription, reason: str, period: tuple[int, int]) -> Invoice:
    days = sub.days_until_due if sub.collection_method == "send_invoice" else None
    return Invoice(
        id=new_id("invoice"),
        customer=sub.customer,
        created=tx.now,
        currency=sub.currency,
        collection_method=sub.collection_method,
        auto_advance=_collects(sub),
        days_until_due=days,
        due_date=None if days is None else tx.now + days * DAY_S,
        billing_reason=reason,
        subscription=sub.id,
        period_start=period[0],
        period_end=period[1],
    )


def _collects(sub: Subscription) -> bool:
    """Whether the subscription's new invoices advance by themselves: not while
    `unpaid` (they wait as drafts, facts §2.2) nor paused to keep drafts."""
    paused = (sub.pause_collection or {}).get("behavior") == "keep_as_draft"
    return sub.status != "unpaid" and not paused


def create_invoice(
    tx: Tx,
    sub: Subscription,
    reason: str,
    period: tuple[int, int],
    lines: list[InvoiceItem],
    *,
    sweep_pending: bool = True,
) -> Invoice:
    """A subscription's draft: its pending items (prorations first), then `lines`."""
    invoice = open_draft(tx, _draft(tx, sub, reason, period))
    if sweep_pending:
        gather_pending(tx, invoice, room=MAX_ITEMS - len(lines))
    tx.invoice_items.add_many([replace(line, invoice=invoice.id) for line in lines])
    invoice = with_totals(tx, invoice)
    tx.invoices.save(invoice)
    record_invoice(tx, "invoice.created", invoice)
    return invoice


def pending_invoice(tx: Tx, sub: Subscription) -> Invoice | None:
    """An invoice of the subscription's own pending items (prorations, added items), or
    None when nothing is pending (`pending_invoice_item_interval`)."""
    if not tx.invoice_items.pending_of(sub.id):
        return None
    invoice = open_draft(
        tx, _draft(tx, sub, "automatic_pending_invoice_item_invoice", (tx.now, tx.now))
    )
    if not gather_pending(tx, invoice, of_subscription=True):
        tx.invoices.delete(invoice.id)  # pending only in another currency: nothing to bill
        return None
    invoice = with_totals(tx, invoice)
    tx.invoices.save(invoice)
    record_invoice(tx, "invoice.created", invoice)
    return invoice


def renewal_lines(tx: Tx, sub: Subscription, start: int) -> tuple[int, list[InvoiceItem]]:
    """The period that starts at `start` (cut short by `cancel_at` inside it) and its
    lines."""
    end = next_boundary(sub.billing_cycle_anchor, sub.interval, sub.interval_count, start)
    if sub.cancel_at is not None and start < sub.cancel_at < end:
        end = sub.cancel_at
    return end, period_lines(tx, sub, billed_items(tx, sub), start, end)
