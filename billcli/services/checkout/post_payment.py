"""The paid invoice a `payment` Checkout Session with `invoice_creation[enabled]` makes
once its payment succeeds (Stripe's post-payment invoices), in the transaction that
completes the session.

It is made as every invoice is, through the invoicing services: a draft with the
customer's invoice settings where the session's `invoice_data` gives none of its own
(`details.with_customer_settings`), one invoice item per line item bought
(`items.create_in`, which prices it as every item is), finalized by the step every
finalization takes (`lifecycle.issued`: its number and its customer's details), and
paid by the payment already taken (`payment.paid_by_in`: one attempt recorded, as for
every card-paid invoice). Its money is the session's exactly: each line's share of the
discount and its taxes as the session priced and charged them, so its totals are what
was paid. It is paid by the session's PaymentIntent, which names it, as does its charge
(made for no invoice, it names it once it exists: migration 26), so `ledger check` sees
one charge paying it and nothing is charged twice. It touches no customer balance: what
was due was paid in full. A no-cost order (total 0) paid nothing: its invoice of 0 is
paid when finalized, with no intent or charge, as every invoice of nothing due is.
"""

from __future__ import annotations

from dataclasses import replace
from typing import Any

from billcli.core.ids import new_id
from billcli.core.records.checkout import CheckoutSession
from billcli.core.records.discounts import Discount
from billcli.core.records.invoices import Invoice
from billcli.core.records.payments import PaymentIntent
from billcli.core.tax import kept
from billcli.services.checkout.pricing import line_rates, money
from billcli.services.invoicing import details, items
from billcli.services.invoicing.invoices import open_draft
from billcli.services.invoicing.lifecycle import issued, mark_paid_in
from billcli.services.invoicing.objects import record_invoice
from billcli.services.invoicing.payment import paid_by_in
from billcli.services.ledger.lookup import live_customer
from billcli.store.ledger import Tx

# `invoice_data`'s keys (as the session stores them) for the invoice's own fields
_PRINTED = {"custom_fields": "custom_fields", "footer": "footer", "rendering_options": "rendering"}


def invoiced(
    tx: Tx, session: CheckoutSession, pi: PaymentIntent | None, discount: Discount | None
) -> Invoice:
    """The session's paid invoice for its customer, with `invoice.created`,
    `invoice.finalized`, `invoice.payment_succeeded` and `invoice.paid` (Stripe: "emits
    an invoice.paid event as soon as the payment tied to the Checkout Session
    succeeds"); `discount`: the session's redemption, which its lines' shares are of.
    `pi` None: a no-cost order, which paid nothing; its invoice, of 0, is paid when
    finalized, as every invoice of nothing due is (`invoice.paid` only)."""
    assert session.customer is not None, session.id
    assert (pi is None) == (session.amount_total == 0), session.id
    assert pi is None or pi.status == "succeeded", session.id
    data = session.page.get("invoice_data") or {}
    customer = live_customer(tx, session.customer)
    given = {field: data[key] for key, field in _PRINTED.items() if key in data}
    draft = open_draft(
        tx,
        Invoice(
            id=new_id("invoice"),
            customer=customer.id,
            created=tx.now,
            currency=str(session.currency),
            auto_advance=False,
            description=data.get("description"),
            metadata=dict(data.get("metadata") or {}),
            **details.with_customer_settings(customer, given),
        ),
    )
    draft = _as_charged(tx, session, _lines(tx, session, draft), discount)
    record_invoice(tx, "invoice.created", draft)
    customer = live_customer(tx, draft.customer)  # as its items left it (its currency)
    # its starting and ending balance 0: it applies none of the customer's
    finalized = replace(
        issued(tx, draft, customer, customer),
        starting_balance=0,
        ending_balance=0,
        payment_intent=None if pi is None else pi.id,
    )
    tx.invoices.save(finalized)
    record_invoice(tx, "invoice.finalized", finalized)
    if pi is None:
        return mark_paid_in(tx, finalized)
    charge = tx.charges.get(str(pi.latest_charge))
    assert charge is not None and charge.invoice is None, pi.latest_charge
    pi = replace(pi, invoice=finalized.id)
    tx.payment_intents.save(pi)
    tx.charges.save(replace(charge, invoice=finalized.id))
    return paid_by_in(tx, finalized, pi, charge, str(pi.payment_method or charge.payment_method))


def _lines(tx: Tx, session: CheckoutSession, draft: Invoice) -> Invoice:
    """One invoice item per line item bought (a line taken to 0 on the page was not),
    made on the draft by the invoice items' service, with the line's tax rates and
    metadata; the draft as its items left it."""
    rates = line_rates(session)
    for n, line in enumerate(session.line_items):
        if line["quantity"] <= 0:
            continue
        metadata: dict[str, Any] = line.get("metadata") or {}
        items.create_in(
            tx,
            items.ItemInput(
                customer=draft.customer,
                price=line["price"],
                quantity=line["quantity"],
                currency=draft.currency,
                invoice=draft.id,
                metadata=tuple(f"{k}={v}" for k, v in metadata.items()),
                tax_rates=tuple(rates[n]),
                set_up=True,  # checked when the session was made, as a subscription's are
            ),
        )
    made = tx.invoices.get(draft.id)
    assert made is not None, draft.id
    return made


def _as_charged(
    tx: Tx, session: CheckoutSession, draft: Invoice, discount: Discount | None
) -> Invoice:
    """The draft's money as the session charged it: each line's amount, its share of
    the session's discount and its taxes, and the totals paid (what the invoice would
    make of them itself may round a discount's shares otherwise; what was paid wins)."""
    priced = money(tx, session)
    bought = [n for n, line in enumerate(session.line_items) if line["quantity"] > 0]
    lines = tx.invoice_items.on_invoice(draft.id)
    assert len(lines) == len(bought), draft.id
    for n, item in zip(bought, lines, strict=True):
        charged = replace(
            item,
            amount=priced.subtotals[n],
            discount_amount=priced.discounts[n],
            tax_amounts=kept(priced.taxes[n]),
        )
        if charged != item:
            tx.invoice_items.save(charged)
    draft = replace(
        draft,
        discount=None if discount is None else discount.id,
        subtotal=session.amount_subtotal,
        total=session.amount_total,
        amount_due=session.amount_total,
        tax_amounts=list(session.tax_amounts),
    )
    tx.invoices.save(draft)
    return draft
