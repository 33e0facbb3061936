"""How a subscription's status follows its invoices, and how it ends (facts §2.2).

`invoicing.lifecycle` tells `after_invoice` what happened to an invoice of a subscription:
paid, a payment failed, the last retry failed, voided. The subscription being created
in the same transaction changes without events: its `customer.subscription.created`
carries where it ended up.
"""

from __future__ import annotations

from dataclasses import replace

from billcli.core.records.invoices import Invoice
from billcli.core.records.subscriptions import Subscription
from billcli.services.invoicing.collection import stop_collecting
from billcli.services.invoicing.lifecycle import mark_uncollectible_in, void_in
from billcli.services.ledger import settings
from billcli.services.subscriptions.records import save, scheduled
from billcli.store.ledger import Tx


def end(
    tx: Tx,
    sub: Subscription,
    *,
    reason: str | None,
    at: int | None = None,
    final_invoice: str | None = None,
) -> Subscription:
    """Cancel now (or at `at`, a period end reached by the clock): `canceled`, collection
    off on its unpaid invoices (facts §2.7) but a final one made for the cancellation
    (its latest), `customer.subscription.deleted`."""
    ended = replace(
        sub,
        status="canceled",
        canceled_at=sub.canceled_at if sub.canceled_at is not None else tx.now,
        ended_at=tx.now if at is None else at,
        cancellation_reason=reason,
        next_action_at=None,
    )
    for invoice in tx.invoices.of_subscription(sub.id):
        if invoice.id != final_invoice:
            stop_collecting(tx, invoice)
    save(tx, sub, ended, event="customer.subscription.deleted")
    return ended


def after_invoice(tx: Tx, invoice: Invoice, change: str) -> None:
    """Move the invoice's subscription as Stripe does when its invoice is `paid`, a
    `payment_failed` or an attempt waits for the customer (`action_required`, facts
    §6.2: a renewal's subscription is then `past_due` too), `retries_exhausted` (the last
    retry failed) or it is `voided`."""
    sub = tx.subscriptions.get(str(invoice.subscription))
    if sub is None or sub.status in ("canceled", "incomplete_expired"):
        return
    if change == "paid":
        sub = _card_saved(tx, sub, invoice)
    _moved(tx, sub, invoice, change)
    current = tx.subscriptions.get(sub.id)
    if current is not None:  # its invoice's due date may now matter, or no longer
        rescheduled = scheduled(tx, current)
        if rescheduled != current:
            tx.subscriptions.save(rescheduled)


def _card_saved(tx: Tx, sub: Subscription, invoice: Invoice) -> Subscription:
    """`payment_settings[save_default_payment_method]=on_subscription`: the customer's
    card that paid one of its invoices becomes its default payment method."""
    wanted = (sub.payment_settings or {}).get("save_default_payment_method")
    charge = tx.charges.get(invoice.charge) if invoice.charge else None
    method = (
        tx.payment_methods.get(charge.payment_method) if charge and charge.payment_method else None
    )
    if (
        wanted != "on_subscription"
        or method is None
        or method.customer != sub.customer
        or method.id == sub.default_payment_method
    ):
        return sub
    saved = replace(sub, default_payment_method=method.id)
    save(tx, sub, saved)
    return tx.subscriptions.get(sub.id) or saved


def _moved(tx: Tx, sub: Subscription, invoice: Invoice, change: str) -> None:
    latest = invoice.id == sub.latest_invoice
    if change == "paid" and latest and sub.status in ("incomplete", "past_due", "unpaid"):
        save(tx, sub, replace(sub, status="active"))
    elif change in ("payment_failed", "action_required") and latest and sub.status == "active":
        save(tx, sub, replace(sub, status="past_due"))
    elif change == "retries_exhausted" and sub.status == "past_due":
        action = settings.value(tx, "dunning.subscription_action")
        if action == "cancel":
            end(tx, sub, reason="payment_failed")
        elif action == "unpaid":
            save(tx, sub, replace(sub, status="unpaid"))
    elif change == "finalized" and invoice.status == "open":
        _paused(tx, sub, invoice)
    elif change == "voided" and latest:
        if sub.status == "incomplete":
            save(tx, sub, replace(sub, status="incomplete_expired", next_action_at=None))
        elif sub.status in ("past_due", "unpaid"):
            save(tx, sub, replace(sub, status="active"))


def _paused(tx: Tx, sub: Subscription, invoice: Invoice) -> None:
    """While collection is paused, a renewal is marked uncollectible or voided as soon as
    it is finalized (facts §2.8); `keep_as_draft` keeps it from finalizing at all."""
    behavior = (sub.pause_collection or {}).get("behavior")
    if invoice.billing_reason != "subscription_cycle" or behavior not in (
        "mark_uncollectible",
        "void",
    ):
        return
    if behavior == "void":
        void_in(tx, invoice)
    else:
        mark_uncollectible_in(tx, replace(invoice, next_payment_attempt=None))
