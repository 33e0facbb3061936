"""Moving an invoice through its life: finalize, send, void, mark uncollectible, and
settle it once paid (collecting it is `payment.py`'s).

`finalize_in` works inside an open transaction so that `invoices tick` can run exactly
the same steps that the explicit commands run.
"""

from __future__ import annotations

from dataclasses import replace
from typing import Any

from billcli.core.dates import utc_date
from billcli.core.ids import new_id
from billcli.core.invoicing import invoice_number, require_status, settle
from billcli.core.money import format_amount
from billcli.core.portal import new_secret
from billcli.core.records import Customer
from billcli.core.records.invoices import Email, Invoice
from billcli.errors import InvalidRequest
from billcli.services.customers.balance import post, record_customer_update
from billcli.services.discounts.redemptions import used
from billcli.services.invoicing import revisions
from billcli.services.invoicing.objects import (
    customer_tax_ids,
    find_invoice,
    invoice_object,
    record_invoice,
    subscription_metadata,
    with_totals,
)
from billcli.services.meters import lines as usage_lines
from billcli.services.payments import intents
from billcli.store.ledger import Ledger, Tx


def finalize_in(
    tx: Tx, invoice: Invoice, *, auto_advance: bool | None = None, send: bool = False
) -> Invoice:
    """Count its usage lines a last time (the grace period ends here), number the draft,
    take its discount, apply the customer balance, and settle what cannot be charged;
    email it when it goes out by itself (or `send` asks)."""
    require_status(invoice, ("draft",), "finalize")
    if invoice.from_invoice is not None:
        _supersede(tx, invoice)
    usage_lines.refresh(tx, invoice)
    invoice = with_totals(tx, invoice)
    customer = tx.customers.get(invoice.customer)
    assert customer is not None, invoice.customer
    before = customer
    settlement = settle(invoice.total, customer.balance, invoice.currency)
    for txn_type, amount in settlement.transactions():
        customer, _ = post(tx, customer, amount, invoice.currency, txn_type, invoice=invoice.id)
    finalized = replace(
        issued(tx, invoice, customer, before),
        starting_balance=before.balance,
        ending_balance=settlement.ending_balance,
        amount_due=settlement.amount_due,
        auto_advance=invoice.auto_advance if auto_advance is None else auto_advance,
    )
    if finalized.auto_advance and finalized.collection_method == "charge_automatically":
        finalized = replace(finalized, next_payment_attempt=tx.now)
    tx.invoices.save(finalized)
    used(tx, finalized)
    if not settlement.paid_at_once:  # what is due is paid through one intent (facts §6.1)
        finalized, _ = intents.for_invoice(tx, finalized)
    record_invoice(tx, "invoice.finalized", finalized)
    if settlement.paid_at_once:
        return mark_paid_in(tx, finalized)
    settled(tx, finalized, "finalized")
    current = tx.invoices.get(finalized.id) or finalized
    if current.status != "open":  # collection paused: marked uncollectible or voided
        return current
    if send or (finalized.auto_advance and finalized.collection_method == "send_invoice"):
        email_invoice(tx, finalized)
        record_invoice(tx, "invoice.sent", finalized)
    return finalized


def issued(tx: Tx, invoice: Invoice, customer: Customer, before: Customer) -> Invoice:
    """The draft open and numbered (its own number, its revision's, else `customer`'s
    next, which is saved, with `customer.updated` against `before`), with a hosted page
    and its customer's details as they are now; what it owes is the caller's. Every
    finalization's (`finalize_in`, a Checkout Session's post-payment invoice)."""
    number = invoice.number or (revisions.number_of(tx, invoice) if invoice.from_invoice else None)
    if number is None:  # the customer's next number (a chosen one leaves it as it is)
        sequence = customer.next_invoice_sequence
        number = invoice_number(str(customer.invoice_prefix), sequence)
        customer = replace(customer, next_invoice_sequence=sequence + 1)
    tx.customers.save(customer)
    record_customer_update(tx, before, customer)
    return replace(
        invoice,
        status="open",
        number=number,
        finalized_at=tx.now,
        page_secret=new_secret(),
        customer_name=customer.name,
        customer_email=customer.email,
        customer_phone=customer.phone,
        customer_address=customer.address,
        customer_shipping=customer.shipping,
        customer_tax_exempt=customer.tax_exempt,
        customer_tax_ids=customer_tax_ids(tx, invoice),  # still a draft: the customer's now
        subscription_metadata=subscription_metadata(tx, invoice),
    )


def _supersede(tx: Tx, revision: Invoice) -> None:
    """A revision being finalized voids the invoice it revises (giving back what credit
    that one took), which then names it as its latest revision, as do its own originals."""
    source = find_invoice(tx, str(revision.from_invoice))
    if source.status not in revisions.REVISABLE:
        raise InvalidRequest(
            f"Invalid invoice: {revision.id} revises {source.id}, which is {source.status} "
            "now; only a revision of an open or uncollectible invoice can be finalized",
            param="invoice",
        )
    ancestor = source.from_invoice
    while ancestor is not None:
        older = find_invoice(tx, ancestor)
        tx.invoices.save(replace(older, latest_revision=revision.id))
        ancestor = older.from_invoice
    void_in(tx, replace(source, latest_revision=revision.id))


def mark_paid_in(
    tx: Tx,
    invoice: Invoice,
    *,
    out_of_band: bool = False,
    events: tuple[str, ...] = ("invoice.paid",),
) -> Invoice:
    """Settle the invoice; each of `events` carries it as it is once paid. Paid other
    than through its intent (out of band, by credit notes), its intent is canceled."""
    _close_intent(tx, invoice, None)
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


def finalize(
    ledger: Ledger, invoice_id: str, *, auto_advance: bool | None = None
) -> dict[str, Any]:
    with ledger.write() as tx:
        return invoice_object(
            tx, finalize_in(tx, find_invoice(tx, invoice_id), auto_advance=auto_advance)
        )


def send(ledger: Ledger, invoice_id: str) -> dict[str, Any]:
    """Email the invoice (into the outbox) with its hosted page link; a draft is
    finalized first, as Stripe's send does."""
    with ledger.write() as tx:
        invoice = find_invoice(tx, invoice_id)
        if invoice.status == "draft":  # its email failing rolls the finalization back
            sent = finalize_in(tx, invoice, send=True)
            return invoice_object(tx, tx.invoices.get(sent.id) or sent)
        require_status(invoice, ("open",), "send")
        email_invoice(tx, invoice)
        return record_invoice(tx, "invoice.sent", invoice)


def email_invoice(tx: Tx, invoice: Invoice) -> Email:
    """Write the invoice's email into the outbox."""
    page = invoice_object(tx, invoice)["hosted_invoice_url"]
    if not invoice.customer_email:
        raise InvalidRequest(
            f"{invoice.customer} has no email address to send {invoice.id} to", param="customer"
        )
    due = f"due {utc_date(invoice.due_date)}" if invoice.due_date else "due now"
    owed = format_amount(invoice.amount_remaining, invoice.currency)
    return write_email(
        tx,
        invoice,
        subject=f"Invoice {invoice.number}: {owed} {due}",
        body=(
            f"Hello {invoice.customer_name or ''},\n\nInvoice {invoice.number} for "
            f"{owed} is {due}.\nView and pay it online: {page}\n"
        ).replace("Hello ,", "Hello,"),
    )


def write_email(tx: Tx, invoice: Invoice, *, subject: str, body: str) -> Email:
    """An email about the invoice, with its hosted page, into the outbox."""
    email = Email(
        id=new_id("email"),
        created=tx.now,
        to=str(invoice.customer_email),
        subject=subject,
        body=body,
        invoice=invoice.id,
        url=invoice_object(tx, invoice)["hosted_invoice_url"],
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
    _close_intent(tx, invoice, "void_invoice")
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


def _close_intent(tx: Tx, invoice: Invoice, reason: str | None) -> None:
    """Cancel the invoice's intent when the invoice no longer waits for it."""
    pi = tx.payment_intents.get(invoice.payment_intent) if invoice.payment_intent else None
    if pi is not None and pi.status not in intents.TERMINAL:
        intents.cancel_in(tx, pi, reason)
