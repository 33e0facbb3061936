"""Changing a subscription: items and quantities (prorated), its trial, its end, pauses;
and cancelling it.

A change is first *proposed* (`propose`: reads only) and then applied; `invoices
upcoming` renders the same proposal without applying it, so a preview and the update
made with the same `--proration-date` agree to the cent. Facts §2.7–2.8 and §3.
"""

from __future__ import annotations

from dataclasses import replace
from typing import Any

from billcli.core import limits
from billcli.core.invoicing import DAY_S, check_choice, due_terms
from billcli.core.metadata import merged, parse_pairs
from billcli.core.money import parse_amount
from billcli.core.periods import next_boundary
from billcli.core.records.invoices import InvoiceItem
from billcli.core.records.subscriptions import Subscription
from billcli.core.subscriptions import ENDED, RENEWING
from billcli.errors import InvalidRequest
from billcli.services.discounts import redemptions as discounts
from billcli.services.invoicing.items import item_object
from billcli.services.ledger.events import record
from billcli.services.subscriptions.billing import (
    create_invoice,
    licensed,
    period_lines,
    usage_lines,
    usage_so_far,
)
from billcli.services.subscriptions.clock import caught_up
from billcli.services.subscriptions.creation import (
    THRESHOLD_PARAM,
    collect_now,
    subscription_payment_method,
)
from billcli.services.subscriptions.items import billed_items, items_changed, period_amount
from billcli.services.subscriptions.pauses import trial_end_stops
from billcli.services.subscriptions.proposals import ChangeInput, Proposal, priced, propose
from billcli.services.subscriptions.prorating import credits, proration_items
from billcli.services.subscriptions.records import find, save, subscription_object
from billcli.services.subscriptions.status import end
from billcli.services.subscriptions.thresholds import check_threshold, evaluate
from billcli.services.taxes.rates import given_rates
from billcli.store.ledger import Ledger, Tx


def update(ledger: Ledger, subscription_id: str, data: ChangeInput) -> dict[str, Any]:
    data.checked()
    with ledger.write() as tx:
        return subscription_object(tx, update_in(tx, find(tx, subscription_id), data))


def update_in(tx: Tx, sub: Subscription, data: ChangeInput) -> Subscription:
    """Make a checked change inside an open transaction (the command and the portal)."""
    sub = caught_up(tx, sub)
    return apply(tx, propose(tx, sub, data), data)


def apply(tx: Tx, proposal: Proposal, data: ChangeInput, *, collect: bool = True) -> Subscription:
    """Write what `proposal` says; an invoice it makes at once becomes the subscription's
    latest, charged unless `collect` is off (a preview runs exactly this, then undoes it)."""
    sub = proposal.sub
    shown_before = subscription_object(tx, sub)
    _usage_so_far(tx, sub, proposal)
    for item_id in proposal.removed:
        tx.subscription_items.delete(item_id)
    existing = {b.item.id for b in proposal.before}
    for b in proposal.after:
        if b.item.id in existing:
            tx.subscription_items.save(b.item)
        else:
            tx.subscription_items.add(b.item)
    items_changed(tx, sub.id)
    pending = proration_items(tx, sub, proposal.prorations)
    for item in pending:
        tx.invoice_items.add(item)
        record(tx, "invoiceitem.created", item_object(tx, item))
    changed = _changed_fields(tx, sub, proposal, data)
    data.settings.add_items(tx, changed)
    if data.trial_end == "now" and sub.status == "trialing":
        ended = replace(changed, current_period_end=tx.now, trial_end=tx.now)
        stopped = trial_end_stops(tx, ended)
        if stopped is not None:  # no payment method: paused or canceled, not invoiced
            return stopped
    if proposal.invoice_now:
        changed = _invoice_now(tx, changed, proposal, data.payment_behavior, collect=collect)
    save(tx, sub, changed, shown_before=shown_before)
    current = tx.subscriptions.get(sub.id) or changed
    if data.billing_threshold:
        evaluate(tx, current)
    return tx.subscriptions.get(sub.id) or current


def _usage_so_far(tx: Tx, sub: Subscription, proposal: Proposal) -> None:
    """A metered item removed, or moved to another price, has its usage so far billed at
    the old price: a pending usage line, for the subscription's next invoice, or the one
    `always_invoice` makes now (usage is never prorated; the new price counts from now
    on, from the item's `price_since`). With `proration_behavior=none`, a metered item
    removed or moved to another price has its usage so far billed nowhere."""
    if proposal.reset or sub.status == "trialing":  # billed at once; or free
        return
    for line in usage_lines(tx, sub, proposal.metered_left, (sub.current_period_start, tx.now)):
        pending = replace(line, line_id=None)
        tx.invoice_items.add(pending)
        record(tx, "invoiceitem.created", item_object(tx, pending))


def _changed_fields(
    tx: Tx, sub: Subscription, proposal: Proposal, data: ChangeInput
) -> Subscription:
    after = proposal.after[0].price
    changed = replace(
        sub,
        interval=str(after.interval),
        interval_count=after.interval_count,
        description=sub.description if data.description is None else data.description or None,
        metadata=merged(sub.metadata, parse_pairs(data.metadata)),
        default_tax_rates=given_rates(
            tx, data.default_tax_rates, sub.default_tax_rates, "default_tax_rates"
        ),
    )
    if data.default_payment_method is not None:
        changed = replace(
            changed,
            default_payment_method=subscription_payment_method(
                tx, sub.customer, data.default_payment_method or None
            ),
        )
    if data.coupon is not None or data.promotion_code is not None:
        amount = period_amount(proposal.after, sub.currency)
        offer = discounts.Offer(data.coupon, data.promotion_code, amount)
        changed = discounts.set_on_subscription(tx, changed, offer)
    if data.remove_discount:
        changed = discounts.removed(tx, changed)
    changed = _cancellation(tx, changed, data)
    changed = _trial(tx, changed, _with_plan_trial(tx, proposal, data))
    changed = _pause(tx, changed, data)
    changed = _collection(tx, changed, data)
    changed = _threshold(changed, proposal, data)
    return replace(changed, **data.settings.fields(tx.now))


def _with_plan_trial(tx: Tx, proposal: Proposal, data: ChangeInput) -> ChangeInput:
    """`trial_from_plan`: the trial of the (first) price it bills after the change."""
    days = proposal.after[0].price.trial_period_days if data.trial_from_plan else None
    return data if days is None else replace(data, trial_end=tx.now + days * DAY_S)


def _collection(tx: Tx, sub: Subscription, data: ChangeInput) -> Subscription:
    """`collection_method` and `days_until_due`: how its next invoices are collected."""
    if data.collection_method is None and data.days_until_due is None:
        return sub
    method = data.collection_method or sub.collection_method
    keep = sub.days_until_due if method == sub.collection_method else None
    days = data.days_until_due if data.days_until_due is not None else keep
    days, _ = due_terms(method, days, None, tx.now)
    return replace(sub, collection_method=method, days_until_due=days)


def _threshold(sub: Subscription, proposal: Proposal, data: ChangeInput) -> Subscription:
    """Set (or with "" remove) the billing threshold, checked against the items after."""
    if data.billing_threshold is None:
        return sub
    if data.billing_threshold == "":
        return replace(sub, threshold_amount=None)
    amount = parse_amount(data.billing_threshold, sub.currency, param=THRESHOLD_PARAM)
    return replace(sub, threshold_amount=check_threshold(amount, sub.currency, proposal.after))


def _cancellation(tx: Tx, sub: Subscription, data: ChangeInput) -> Subscription:
    if data.cancellation_feedback is not None or data.cancellation_comment is not None:
        sub = replace(
            sub,
            cancellation_feedback=sub.cancellation_feedback
            if data.cancellation_feedback is None
            else data.cancellation_feedback or None,
            cancellation_comment=sub.cancellation_comment
            if data.cancellation_comment is None
            else data.cancellation_comment or None,
        )
    if data.cancel_at_period_end is not None:
        sub = replace(
            sub,
            cancel_at_period_end=data.cancel_at_period_end,
            canceled_at=tx.now if data.cancel_at_period_end else None,
        )
    if data.cancel_at == "":
        kept = sub.canceled_at if sub.cancel_at_period_end else None
        sub = replace(sub, cancel_at=None, canceled_at=kept)
    elif isinstance(data.cancel_at, int):
        if data.cancel_at <= tx.now:
            raise InvalidRequest("Invalid cancel_at: it must be in the future", param="cancel_at")
        sub = replace(sub, cancel_at=data.cancel_at, canceled_at=tx.now)
        if data.cancel_at < sub.current_period_end:
            sub = replace(sub, current_period_end=data.cancel_at)
    return sub


def _trial(tx: Tx, sub: Subscription, data: ChangeInput) -> Subscription:
    if data.trial_end is None or data.trial_end == "now":
        return sub
    trial_end = int(data.trial_end)
    if trial_end <= tx.now:
        raise InvalidRequest(
            "Invalid trial_end: it must be in the future (or now)", param="trial_end"
        )
    if sub.status != "trialing":
        raise InvalidRequest(
            f"Invalid trial_end: {sub.id} is {sub.status}; only a trial can be extended here",
            param="trial_end",
        )
    return replace(
        sub, trial_end=trial_end, current_period_end=trial_end, trial_will_end_sent=False
    )


def _pause(tx: Tx, sub: Subscription, data: ChangeInput) -> Subscription:
    if data.resume_collection:
        return replace(sub, pause_collection=None)
    if data.pause_collection is None:
        return sub
    if data.resumes_at is not None and data.resumes_at <= tx.now:
        raise InvalidRequest("Invalid resumes_at: it must be in the future", param="resumes_at")
    return replace(
        sub, pause_collection={"behavior": data.pause_collection, "resumes_at": data.resumes_at}
    )


def _invoice_now(
    tx: Tx, sub: Subscription, proposal: Proposal, payment_behavior: str | None, *, collect: bool
) -> Subscription:
    """An invoice at once (`subscription_update`): the subscription's pending items (the
    prorations just made) and, when a new period starts now, that period in full."""
    lines: list[InvoiceItem] = []
    if proposal.reset:
        ended = (sub.current_period_start, tx.now)
        lines = [] if sub.status == "trialing" else usage_lines(tx, sub, proposal.before, ended)
        end_at = next_boundary(tx.now, sub.interval, sub.interval_count, tx.now)
        sub = replace(
            sub,
            status="active" if sub.status == "trialing" else sub.status,
            trial_end=tx.now if sub.status == "trialing" else sub.trial_end,
            billing_cycle_anchor=tx.now,
            current_period_start=tx.now,
            current_period_end=end_at,
        )
        lines += period_lines(tx, sub, licensed(proposal.after), tx.now, end_at)
    tx.subscriptions.save(sub)
    invoice = create_invoice(tx, sub, "subscription_update", (tx.now, tx.now), lines)
    sub = replace(sub, latest_invoice=invoice.id)
    tx.subscriptions.save(sub)
    if collect:
        charge = sub.collection_method == "charge_automatically"
        collect_now(
            tx, invoice, payment_behavior or "allow_incomplete", charge=charge, retried=True
        )
    return tx.subscriptions.get(sub.id) or sub


def cancel(
    ledger: Ledger,
    subscription_id: str,
    *,
    invoice_now: bool = False,
    prorate: bool = False,
    feedback: str | None = None,
    comment: str | None = None,
) -> dict[str, Any]:
    """Cancel now; `prorate` credits the unused time, `invoice_now` invoices what is
    pending at once. With neither its pending prorations are dropped (facts §2.7); with
    `prorate` alone they wait, the credit with them, for the customer's next invoice.
    The customer's `feedback` and `comment` are its `cancellation_details`."""
    if feedback:
        check_choice(
            feedback, limits.ENUMS["cancellation_feedback"], "cancellation_details[feedback]"
        )
    limits.text("subscription", "cancellation_details[comment]", comment)
    with ledger.write() as tx:
        cancel_in(
            tx,
            find(tx, subscription_id),
            invoice_now=invoice_now,
            prorate=prorate,
            feedback=feedback or None,
            comment=comment or None,
        )
        return subscription_object(tx, find(tx, subscription_id))


def cancel_in(
    tx: Tx,
    sub: Subscription,
    *,
    invoice_now: bool = False,
    prorate: bool = False,
    feedback: str | None = None,
    comment: str | None = None,
) -> None:
    """Cancel inside an open transaction (the command and the portal)."""
    sub = caught_up(tx, sub)
    if sub.status in ENDED:
        raise InvalidRequest(
            f"Invalid subscription: {sub.id} is already {sub.status}", param="subscription"
        )
    if prorate and sub.status in RENEWING and sub.status != "trialing":
        made = credits(
            tx, priced(billed_items(tx, sub), sub.currency), tx.now, sub.current_period_end
        )
        for item in proration_items(tx, sub, made):
            tx.invoice_items.add(item)
            record(tx, "invoiceitem.created", item_object(tx, item))
    sub = replace(sub, cancellation_feedback=feedback, cancellation_comment=comment)
    final = None
    period = (sub.current_period_start, tx.now)
    billing = invoice_now and sub.status != "trialing"
    cut = (sub.current_period_start, usage_so_far(tx))
    usage = usage_lines(tx, sub, billed_items(tx, sub), cut) if billing else []
    if invoice_now and (usage or tx.invoice_items.pending_of(sub.id)):
        final = create_invoice(tx, sub, "subscription_cycle", period, usage).id
        sub = replace(sub, latest_invoice=final)
    end(tx, sub, reason="cancellation_requested", final_invoice=final)
    if not invoice_now and not prorate:
        for item in tx.invoice_items.pending_of(sub.id):
            if item.proration:
                tx.invoice_items.delete(item.id)
                record(tx, "invoiceitem.deleted", item_object(tx, item))
