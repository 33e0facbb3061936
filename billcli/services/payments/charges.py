"""Charges: every attempt that reached a card, shown, listed, searched (through
`queries/search`), and given a description or metadata."""

from __future__ import annotations

from dataclasses import replace
from typing import Any

from billcli.core import contact, intent_details
from billcli.core.metadata import merged, parse_pairs
from billcli.core.pagination import Page, PageRequest
from billcli.errors import InvalidRequest
from billcli.services.ledger.events import record_update
from billcli.services.ledger.lookup import live_customer
from billcli.services.payments.objects import charge_object, find_charge
from billcli.store.ledger import Ledger


def show(ledger: Ledger, charge_id: str) -> dict[str, Any]:
    with ledger.read() as tx:
        return charge_object(tx, find_charge(tx, charge_id))


def list_charges(
    ledger: Ledger,
    request: PageRequest,
    *,
    customer: str | None = None,
    payment_intent: str | None = None,
) -> Page:
    with ledger.read() as tx:
        found, has_more = tx.charges.page(request, customer=customer, payment_intent=payment_intent)
        return Page("/v1/charges", [charge_object(tx, c) for c in found], has_more)


def update(
    ledger: Ledger,
    charge_id: str,
    *,
    description: str | None = None,
    metadata: tuple[str, ...] = (),
    customer: str | None = None,
    receipt_email: str | None = None,
    shipping: Any = None,
) -> dict[str, Any]:
    """A charge's description, metadata, receipt email and shipping may change, and a
    charge of nobody may be given its customer; its money never changes."""
    pairs = parse_pairs(metadata)
    email = intent_details.receipt_email(receipt_email)
    sent = None if shipping is None else contact.shipping(shipping, "charge", tracked=True)
    with ledger.write() as tx:
        charge = find_charge(tx, charge_id)
        after = replace(
            charge,
            description=charge.description if description is None else (description or None),
            metadata=merged(charge.metadata, pairs),
            receipt_email=charge.receipt_email if receipt_email is None else email,
            shipping=charge.shipping if shipping is None else sent,
        )
        if customer is not None and customer != charge.customer:
            if charge.customer is not None:
                raise InvalidRequest(
                    f"Invalid customer: {charge.id} is {charge.customer}'s already",
                    param="customer",
                )
            after = replace(after, customer=live_customer(tx, customer).id)
        return record_update(
            tx,
            "charge.updated",
            charge,
            after,
            save=tx.charges.save,
            show=lambda ch: charge_object(tx, ch),
        )
