"""Moving an invoice through its life: finalize, pay, send, void, mark uncollectible.

`finalize_in` and `charge_in` work inside an open transaction so that `invoices tick`
can run exactly the same steps that the explicit commands run.
"""

from __future__ import annotations

from dataclasses import replace
from typing import Any

from billcli.core.dates import utc_date
from billcli.core.ids import new_id
from billcli.core.invoicing import invoice_number, require_status, settle
from billcli.core.money import format_amount
from billcli.core.payments import TestCard, decline_error, test_card
from billcli.core.portal import new_secret
from billcli.core.records import PaymentMethod
from billcli.core.records.invoices import Email, Invoice, PaymentAttempt
from billcli.errors import CardDeclined, InvalidRequest
from billcli.services.customers.balance import post, record_customer_update
from billcli.services.discounts.redemptions import used
from billcli.services.invoicing.objects import (
    find_invoice,
    invoice_object,
    record_invoice,
    subscription_metadata,
    with_totals,
)
from billcli.store.ledger import Ledger, Tx


def finalize_in(tx: Tx, invoice: Invoice, *, auto_advance: bool | None = None) -> Invoice:
    """Number the draft, take its discount, apply the customer balance, and settle what
    cannot be charged."""
    require_status(invoice, ("draft",), "finalize")
    invoice = with_totals(tx, invoice)
    customer = tx.customers.get(invoice.customer)
    assert customer is not None, invoice.customer
    before = customer
    settlement = settle(invoice.total, customer.balance, invoice.currency)
    for txn_type, amount in settlement.transactions():
        customer, _ = post(tx, customer, amount, invoice.currency, txn_type, invoice=invoice.id)
    sequence = customer.next_invoice_sequence
    customer = replace(customer, next_invoice_sequence=sequence + 1)
    tx.customers.save(customer)
    record_customer_update(tx, before, customer)
    finalized = replace(
        invoice,
        status="open",
        number=invoice_number(str(customer.invoice_prefix), sequence),
        finalized_at=tx.now,
        starting_balance=before.balance,
        ending_balance=settlement.ending_balance,
        amount_due=settlement.amount_due,
        page_secret=new_secret(),
        customer_name=customer.name,
        customer_email=customer.email,
        customer_phone=customer.phone,
        auto_advance=invoice.auto_advance if auto_advance is None else auto_advance,
        subscription_metadata=subscription_metadata(tx, invoice),
    )
    if finalized.auto_advance and finalized.collection_method == "charge_automatically":
        finalized = replace(finalized, next_payment_attempt=tx.now)
    tx.invoices.save(finalized)
    used(tx, finalized)
    record_invoice(tx, "invoice.finalized", finalized)
    if settlement.paid_at_once:
        return mark_paid_in(tx, finalized)
    settled(tx, finalized, "finalized")
    current = tx.invoices.get(finalized.id) or finalized
    if current.status != "open":  # collection paused: marked uncollectible or voided
        return current
    if finalized.auto_advance and finalized.collection_method == "send_invoice":
        email_invoice(tx, finalized)
        record_invoice(tx, "invoice.sent", finalized)
    return finalized


def mark_paid_in(
    tx: Tx,
    invoice: Invoice,
    *,
    out_of_band: bool = False,
    events: tuple[str, ...] = ("invoice.paid",),
) -> Invoice:
    """Settle the invoice; each of `events` carries it as it is once paid."""
    paid = replace(
        invoice,
        status="paid",
        amount_paid=invoice.amount_due,
        paid_at=tx.now,
        paid_out_of_band=out_of_band,
        auto_advance=False,
        next_payment_attempt=None,
    )
    tx.invoices.save(paid)
    for event_type in events:
        record_invoice(tx, event_type, paid)
    settled(tx, paid, "paid")
    return paid


def charge_in(
    tx: Tx, invoice: Invoice, card: TestCard, payment_method: str | None, *, automatic: bool
) -> tuple[Invoice, CardDeclined | None]:
    """Charge `card` for what the invoice still owes; record the attempt either way."""
    outcome = decline_error(card, param="payment_method") if card.declines else None
    tx.attempts.add(
        PaymentAttempt(
            invoice=invoice.id,
            created=tx.now,
            payment_method=payment_method,
            amount=invoice.amount_remaining,
            succeeded=outcome is None,
            automatic=automatic,
            code=outcome.code if outcome else None,
            decline_code=outcome.decline_code if outcome else None,
        )
    )
    counted = automatic or invoice.attempt_count == 0
    attempted = replace(
        invoice, attempted=True, attempt_count=invoice.attempt_count + (1 if counted else 0)
    )
    if outcome is None:
        paid = mark_paid_in(tx, attempted, events=("invoice.payment_succeeded", "invoice.paid"))
        return paid, None
    tx.invoices.save(attempted)
    record_invoice(tx, "invoice.payment_failed", attempted)
    settled(tx, attempted, "payment_failed")
    return attempted, outcome


def default_payment_method(tx: Tx, customer_id: str) -> PaymentMethod | None:
    """The customer's default card, if they have one."""
    customer = tx.customers.get(customer_id)
    if customer is None or customer.default_payment_method is None:
        return None
    return tx.payment_methods.get(customer.default_payment_method)


def payment_method_for(tx: Tx, invoice: Invoice) -> PaymentMethod | None:
    """The card an invoice is charged with: its subscription's default payment method,
    else the customer's (facts §2.1)."""
    if invoice.subscription is not None:
        subscription = tx.subscriptions.get(invoice.subscription)
        if subscription is not None and subscription.default_payment_method is not None:
            return tx.payment_methods.get(subscription.default_payment_method)
    return default_payment_method(tx, invoice.customer)


def _card_for(tx: Tx, invoice: Invoice, requested: str | None) -> tuple[TestCard, str | None]:
    """The card to charge: `--payment-method`, else the customer's default."""
    if requested is not None and not requested.startswith("pm_card_"):
        method = tx.payment_methods.get(requested)
        if method is None or method.customer != invoice.customer:
            raise InvalidRequest(
                f"Invalid payment_method: '{requested}' is neither a test card nor a payment "
                f"method of {invoice.customer}",
                param="payment_method",
            )
        return test_card(method.test_name), method.id
    if requested is not None:
        return test_card(requested), requested
    method = payment_method_for(tx, invoice)
    if method is None:
        raise InvalidRequest(
            f"{invoice.customer} has no default payment method; pass --payment-method or "
            "attach one with `customers update --payment-method`",
            param="payment_method",
        )
    return test_card(method.test_name), method.id


def finalize(
    ledger: Ledger, invoice_id: str, *, auto_advance: bool | None = None
) -> dict[str, Any]:
    with ledger.write() as tx:
        return invoice_object(
            tx, finalize_in(tx, find_invoice(tx, invoice_id), auto_advance=auto_advance)
        )


def pay(
    ledger: Ledger,
    invoice_id: str,
    *,
    paid_out_of_band: bool = False,
    payment_method: str | None = None,
) -> dict[str, Any]:
    """Collect an open or uncollectible invoice; a decline is recorded, then raised."""
    if paid_out_of_band and payment_method:
        raise InvalidRequest(
            "Invalid payment_method: not with --paid-out-of-band", param="payment_method"
        )
    with ledger.write() as tx:
        invoice = find_invoice(tx, invoice_id)
        if paid_out_of_band:
            require_status(invoice, ("open", "uncollectible"), "pay")
            return invoice_object(tx, mark_paid_in(tx, invoice, out_of_band=True))
        invoice, declined = pay_in(tx, invoice, payment_method)
        result = invoice_object(tx, invoice)
    if declined is not None:
        raise declined
    return result


def pay_in(
    tx: Tx, invoice: Invoice, payment_method: str | None
) -> tuple[Invoice, CardDeclined | None]:
    """Charge an open or uncollectible invoice once; a decline is recorded and returned.

    The decline is returned rather than raised so the attempt it records is committed
    (the CLI and the hosted invoice page both raise or show it afterwards).
    """
    require_status(invoice, ("open", "uncollectible"), "pay")
    card, method = _card_for(tx, invoice, payment_method)
    return charge_in(tx, invoice, card, method, automatic=False)


def send(ledger: Ledger, invoice_id: str) -> dict[str, Any]:
    """Email the invoice (into the outbox) with its hosted page link."""
    with ledger.write() as tx:
        invoice = find_invoice(tx, invoice_id)
        require_status(invoice, ("open",), "send")
        email_invoice(tx, invoice)
        return record_invoice(tx, "invoice.sent", invoice)


def email_invoice(tx: Tx, invoice: Invoice) -> Email:
    """Write the invoice's email into the outbox."""
    page = invoice_object(tx, invoice)["hosted_invoice_url"]
    recipient = invoice.customer_email
    if not recipient:
        raise InvalidRequest(
            f"{invoice.customer} has no email address to send {invoice.id} to", param="customer"
        )
    due = f"due {utc_date(invoice.due_date)}" if invoice.due_date else "due now"
    owed = format_amount(invoice.amount_remaining, invoice.currency)
    email = Email(
        id=new_id("email"),
        created=tx.now,
        to=recipient,
        subject=f"Invoice {invoice.number}: {owed} {due}",
        body=(
            f"Hello {invoice.customer_name or ''},\n\nInvoice {invoice.number} for "
            f"{owed} is {due}.\nView and pay it online: {page}\n"
        ).replace("Hello ,", "Hello,"),
        invoice=invoice.id,
        url=page,
    )
    tx.outbox.add(email)
    return email


def void(ledger: Ledger, invoice_id: str) -> dict[str, Any]:
    """Void a finalized invoice, giving back any balance it took or added."""
    with ledger.write() as tx:
        return void_in(tx, find_invoice(tx, invoice_id))


def void_in(tx: Tx, invoice: Invoice) -> dict[str, Any]:
    """Void inside an open transaction (the command, and an expiring subscription)."""
    require_status(invoice, ("open", "uncollectible"), "void")
    customer = tx.customers.get(invoice.customer)
    assert customer is not None
    before = customer
    for txn in tx.balance.of_invoice(invoice.id):
        if txn.type == "applied_to_invoice":
            customer, _ = post(
                tx,
                customer,
                -txn.amount,
                txn.currency,
                "unapplied_from_invoice",
                invoice=invoice.id,
            )
    record_customer_update(tx, before, customer)
    voided = replace(
        invoice, status="void", voided_at=tx.now, auto_advance=False, next_payment_attempt=None
    )
    tx.invoices.save(voided)
    shown = record_invoice(tx, "invoice.voided", voided)
    settled(tx, voided, "voided")
    return shown


def settled(tx: Tx, invoice: Invoice, change: str) -> None:
    """Tell the invoice's subscription, if it has one, what happened to its invoice."""
    if invoice.subscription is not None:
        # seam: an invoice settling moves its subscription, whose status module voids and
        # marks its invoices in turn; the one two-way hook between invoicing and subscriptions.
        from billcli.services.subscriptions.status import after_invoice

        after_invoice(tx, invoice, change)


def mark_uncollectible(ledger: Ledger, invoice_id: str) -> dict[str, Any]:
    with ledger.write() as tx:
        return invoice_object(tx, mark_uncollectible_in(tx, find_invoice(tx, invoice_id)))


def mark_uncollectible_in(tx: Tx, invoice: Invoice) -> Invoice:
    require_status(invoice, ("open",), "mark uncollectible")
    marked = replace(
        invoice,
        status="uncollectible",
        marked_uncollectible_at=tx.now,
        auto_advance=False,
        next_payment_attempt=None,
    )
    tx.invoices.save(marked)
    record_invoice(tx, "invoice.marked_uncollectible", marked)
    return marked
