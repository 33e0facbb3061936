"""The invoices a subscription makes: its first one, and one per renewal.

Facts §2.3 and §2.5: a subscription line per item and period (`type: subscription`,
`proration: false` for a whole period), after the customer's pending items (its
prorations among them); the invoice's own `period_start`/`period_end` are the period
that just ended, its lines carry the new one. Licensed items bill the new period in
advance; metered items bill the period that ended in arrears (facts C.6), by their
usage lines (`services.meters.lines`); a trial's usage is not billed.
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
from billcli.services.meters.lines import usage_line
from billcli.services.subscriptions.items import Billed, billed_items
from billcli.store.ledger import Tx


def licensed(billed: list[Billed]) -> list[Billed]:
    """The items billed in advance (a metered item is billed after, by its usage)."""
    return [b for b in billed if not b.price.metered]


def usage_so_far(tx: Tx) -> int:
    """Where usage "so far" ends when a cycle is cut short (a threshold reached, a
    cancellation): after the current second. Spans are half-open, so without it the
    event that just crossed a threshold, or the last one before a cancellation, stamped
    this second, would not count."""
    return tx.now + 1


def usage_lines(
    tx: Tx,
    sub: Subscription,
    billed: list[Billed],
    cycle: tuple[int, int],
) -> list[InvoiceItem]:
    """The usage lines of the metered items for what `cycle` has not billed yet."""
    lines = []
    for b in billed:
        if b.price.metered:
            line = usage_line(tx, sub.customer, sub.currency, b.item, b.price, b.product, cycle)
            if line is not None:
                lines.append(line)
    return lines


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
            description = line_description(b.item.quantity, b.product.name, b.price, sub.currency)
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
                tax_rates=list(b.item.tax_rates) or None,
            )
        )
    return lines


def draft(tx: Tx, sub: Subscription, reason: str, period: tuple[int, int]) -> Invoice:
    """A new draft of the subscription, not yet written."""
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
        default_tax_rates=list(sub.default_tax_rates),
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
    threshold_amount: int | None = None,
) -> Invoice:
    """A subscription's draft: its pending items (prorations first), then `lines`."""
    made = replace(draft(tx, sub, reason, period), threshold_amount=threshold_amount)
    invoice = open_draft(tx, made)
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
        tx, draft(tx, sub, "automatic_pending_invoice_item_invoice", (tx.now, tx.now))
    )
    if not gather_pending(tx, invoice, of_subscription=True):
        tx.invoices.delete(invoice.id)  # pending only in another currency: nothing to bill
        return None
    invoice = with_totals(tx, invoice)
    tx.invoices.save(invoice)
    record_invoice(tx, "invoice.created", invoice)
    return invoice


def renewal_lines(tx: Tx, sub: Subscription, start: int) -> tuple[int, list[InvoiceItem]]:
    """The period that starts at `start` (cut short by `cancel_at` inside it), and its
    lines: the usage of the period ending at `start`, then the new period's."""
    end = next_boundary(sub.billing_cycle_anchor, sub.interval, sub.interval_count, start)
    if sub.cancel_at is not None and start < sub.cancel_at < end:
        end = sub.cancel_at
    billed = billed_items(tx, sub)
    ended = (sub.current_period_start, start)
    usage = [] if sub.status == "trialing" else usage_lines(tx, sub, billed, ended)
    return end, usage + period_lines(tx, sub, licensed(billed), start, end)


def final_usage(tx: Tx, sub: Subscription, until: int) -> Invoice | None:
    """When a subscription ends: an invoice for the usage of its last period not yet
    billed (to `until`), with its pending items; None when it has no metered item."""
    billed = billed_items(tx, sub)
    if sub.status == "trialing" or not any(b.price.metered for b in billed):
        return None
    lines = usage_lines(tx, sub, billed, (sub.current_period_start, until))
    if not lines and not tx.invoice_items.pending_of(sub.id):
        return None
    return create_invoice(tx, sub, "subscription_cycle", (sub.current_period_start, until), lines)
