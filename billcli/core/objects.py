"""The Stripe-shaped dictionary of each object, built in exactly one place.

Shapes follow API version 2023-08-16 (the schemas in the OpenAPI extract): every
property the schema lists is present, null where billcli has nothing to say.
"""

from __future__ import annotations

from typing import Any

from billcli import API_VERSION
from billcli.core.records import BalanceTransaction, Customer, Event, PaymentMethod


def empty_list(url: str) -> dict[str, Any]:
    return {"object": "list", "data": [], "has_more": False, "url": url}


def customer(c: Customer) -> dict[str, Any]:
    """The `customer` object, or the deleted stub once it is deleted."""
    if c.deleted:
        return {"id": c.id, "object": "customer", "deleted": True}
    base = f"/v1/customers/{c.id}"
    return {
        "id": c.id,
        "object": "customer",
        "address": None,
        "balance": c.balance,
        "cash_balance": None,
        "created": c.created,
        "currency": c.currency,
        "default_source": None,
        "delinquent": False,
        "description": c.description,
        "discount": None,
        "email": c.email,
        "invoice_credit_balance": {c.currency: -c.balance} if c.currency else {},
        "invoice_prefix": c.invoice_prefix,
        "invoice_settings": {
            "custom_fields": None,
            "default_payment_method": c.default_payment_method,
            "footer": None,
            "rendering_options": None,
        },
        "livemode": False,
        "metadata": dict(c.metadata),
        "name": c.name,
        "next_invoice_sequence": c.next_invoice_sequence,
        "phone": c.phone,
        "preferred_locales": [],
        "shipping": None,
        "sources": empty_list(f"{base}/sources"),
        "subscriptions": empty_list(f"{base}/subscriptions"),
        "tax": {"automatic_tax": "unrecognized_location", "ip_address": None, "location": None},
        "tax_exempt": "none",
        "tax_ids": empty_list(f"{base}/tax_ids"),
        "test_clock": None,
    }


def balance_transaction(t: BalanceTransaction) -> dict[str, Any]:
    """The `customer_balance_transaction` object, field for field as in the seed."""
    return {
        "id": t.id,
        "object": "customer_balance_transaction",
        "amount": t.amount,
        "created": t.created,
        "credit_note": t.credit_note,
        "currency": t.currency,
        "customer": t.customer,
        "description": t.description,
        "ending_balance": t.ending_balance,
        "invoice": t.invoice,
        "livemode": False,
        "metadata": dict(t.metadata),
        "type": t.type,
    }


def payment_method(pm: PaymentMethod) -> dict[str, Any]:
    """A card `payment_method`, with the brand and last4 of its test number."""
    return {
        "id": pm.id,
        "object": "payment_method",
        "billing_details": {"address": None, "email": None, "name": None, "phone": None},
        "card": {
            "brand": pm.brand,
            "last4": pm.last4,
            "exp_month": 12,
            "exp_year": 2034,
            "funding": "credit",
            "country": "US",
        },
        "created": pm.created,
        "customer": pm.customer,
        "livemode": False,
        "metadata": {},
        "type": "card",
        "test_name": pm.test_name,
    }


def event(e: Event) -> dict[str, Any]:
    """The `event` object as a webhook receiver would get it."""
    data: dict[str, Any] = {"object": e.object}
    if e.previous_attributes is not None:
        data["previous_attributes"] = e.previous_attributes
    return {
        "id": e.id,
        "object": "event",
        "api_version": API_VERSION,
        "created": e.created,
        "data": data,
        "livemode": False,
        "pending_webhooks": 0,
        "request": {"id": None, "idempotency_key": e.idempotency_key},
        "type": e.type,
    }


def changed_attributes(before: dict[str, Any], after: dict[str, Any]) -> dict[str, Any]:
    """`previous_attributes` of an `.updated` event: old values of what changed."""
    return {k: v for k, v in before.items() if after.get(k) != v}
