"""The paid invoice a `payment` Checkout Session with `invoice_creation[enabled]` makes
once its payment succeeds (Stripe's post-payment invoices), in the transaction that
completes the session.

The invoice records a payment already taken; it takes no other: one line per line item
the buyer bought, as the session priced and charged it (quantity, unit amount, its
share of the discount, its taxes), so its totals are the session's exactly; the
session's `invoice_data` says the rest. It is paid by the session's PaymentIntent,
linked both ways as every invoice's intent is (the intent names the invoice, the
invoice the intent and its charge), so `ledger check` sees one charge paying it and
nothing is charged twice. It touches no customer balance: what was due was paid in full.
"""

from __future__ import annotations

from dataclasses import replace

from billcli.core import payment_objects
from billcli.core.ids import new_id
from billcli.core.invoicing import invoice_number
from billcli.core.portal import new_secret
from billcli.core.records.checkout import CheckoutSession
from billcli.core.records.discounts import Discount
from billcli.core.records.invoices import Invoice, InvoiceItem
from billcli.core.records.payments import PaymentIntent
from billcli.core.tax import kept
from billcli.services.catalog import prices
from billcli.services.checkout.pricing import line_rates, money
from billcli.services.customers.balance import record_customer_update
from billcli.services.invoicing.objects import customer_tax_ids, record_invoice
from billcli.services.ledger.events import record
from billcli.services.payments.objects import intent_object
from billcli.store.ledger import Tx


def invoiced(
    tx: Tx, session: CheckoutSession, pi: PaymentIntent, discount: Discount | None
) -> Invoice:
    """The session's paid invoice for its customer, with `invoice.created`,
    `invoice.finalized`, `invoice.payment_succeeded` and `invoice.paid` (Stripe: "emits
    an invoice.paid event as soon as the payment tied to the Checkout Session
    succeeds"); `discount`: the session's redemption, which its lines' shares are of."""
    assert session.customer is not None and pi.status == "succeeded", session.id
    data = session.page.get("invoice_data") or {}
    draft = Invoice(
        id=new_id("invoice"),
        customer=session.customer,
        created=tx.now,
        currency=str(session.currency),
        auto_advance=False,
        description=data.get("description"),
        metadata=dict(data.get("metadata") or {}),
        custom_fields=list(data.get("custom_fields") or []),
        footer=data.get("footer"),
        rendering=data.get("rendering_options"),
        discount=None if discount is None else discount.id,
        subtotal=session.amount_subtotal,
        total=session.amount_total,
        amount_due=session.amount_total,
        tax_amounts=list(session.tax_amounts),
        finalizes_at=tx.now,
    )
    tx.invoices.add(draft)
    _lines(tx, session, draft)
    record_invoice(tx, "invoice.created", draft)
    finalized = _finalized(tx, draft, pi)
    record_invoice(tx, "invoice.finalized", finalized)
    _linked(tx, finalized, pi)
    paid = replace(finalized, status="paid", amount_paid=finalized.amount_due, paid_at=tx.now)
    tx.invoices.save(paid)
    shown = intent_object(tx, tx.payment_intents.get(pi.id) or pi)
    record(tx, "invoice_payment.paid", payment_objects.invoice_payment(paid.id, shown, tx.now))
    for event_type in ("invoice.payment_succeeded", "invoice.paid"):
        record_invoice(tx, event_type, paid)
    return paid


def _lines(tx: Tx, session: CheckoutSession, invoice: Invoice) -> None:
    """One line per line item bought (a line taken to 0 on the page was not), each with
    what the session's pricing made of it: its share of the discount and its taxes."""
    priced = money(tx, session)
    rates = line_rates(session)
    for n, item in enumerate(session.line_items):
        if item["quantity"] <= 0:
            continue
        price = prices.find(tx, item["price"])
        product = tx.products.get(price.product)
        tx.invoice_items.add(
            InvoiceItem(
                id=new_id("invoiceitem"),
                customer=invoice.customer,
                created=tx.now,
                amount=priced.subtotals[n],
                currency=invoice.currency,
                quantity=item["quantity"],
                unit_amount=price.unit_amount,
                description=product.name if product is not None else price.product,
                invoice=invoice.id,
                line_id=new_id("line_item"),
                metadata=dict(item.get("metadata") or {}),
                price=price.id,
                discount_amount=priced.discounts[n],
                tax_rates=rates[n],
                tax_amounts=kept(priced.taxes[n]),
            )
        )


def _finalized(tx: Tx, draft: Invoice, pi: PaymentIntent) -> Invoice:
    """Numbered as the customer's next invoice, with their details as they are now; its
    starting and ending balance 0, since it applies none of theirs."""
    customer = tx.customers.get(draft.customer)
    assert customer is not None, draft.customer
    sequence = customer.next_invoice_sequence
    numbered = replace(customer, next_invoice_sequence=sequence + 1)
    tx.customers.save(numbered)
    record_customer_update(tx, customer, numbered)
    finalized = replace(
        draft,
        status="open",
        number=invoice_number(str(customer.invoice_prefix), sequence),
        finalized_at=tx.now,
        starting_balance=0,
        ending_balance=0,
        page_secret=new_secret(),
        customer_name=customer.name,
        customer_email=customer.email,
        customer_phone=customer.phone,
        customer_address=customer.address,
        customer_shipping=customer.shipping,
        customer_tax_exempt=customer.tax_exempt,
        customer_tax_ids=customer_tax_ids(tx, draft),
        payment_intent=pi.id,
        charge=pi.latest_charge,
        attempted=True,
        attempt_count=1,
    )
    tx.invoices.save(finalized)
    return finalized


def _linked(tx: Tx, invoice: Invoice, pi: PaymentIntent) -> None:
    """The session's PaymentIntent becomes the invoice's payment; its charge, made
    before the invoice and immutable, keeps no invoice (`ledger check` counts it for
    the invoice its intent names)."""
    tx.payment_intents.save(replace(pi, invoice=invoice.id))
