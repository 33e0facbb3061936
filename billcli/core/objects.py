"""The Stripe-shaped dictionary of each object, built in exactly one place.

Shapes follow API version 2023-08-16 (the schemas in the OpenAPI extract): every
property the schema lists is present, null where billcli has nothing to say.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from billcli import API_VERSION
from billcli.core.invoicing import automatically_finalizes_at

if TYPE_CHECKING:
    from billcli.core.records import BalanceTransaction, Customer, Event, PaymentMethod
    from billcli.core.records.invoices import Email, Invoice, InvoiceItem
    from billcli.core.records.portal import PortalConfiguration, PortalSession
    from billcli.core.records.webhooks import WebhookAttempt, WebhookEndpoint


def empty_list(url: str) -> dict[str, Any]:
    return {"object": "list", "data": [], "has_more": False, "url": url}


def credit_balance(c: Customer) -> dict[str, Any]:
    """The fields of the `customer` object that follow its credit balance."""
    return {
        "balance": c.balance,
        "currency": c.currency,
        "invoice_credit_balance": {c.currency: -c.balance} if c.currency else {},
    }


def customer(c: Customer) -> dict[str, Any]:
    """The `customer` object, or the deleted stub once it is deleted."""
    if c.deleted:
        return {"id": c.id, "object": "customer", "deleted": True}
    base = f"/v1/customers/{c.id}"
    credit = credit_balance(c)
    return {
        "id": c.id,
        "object": "customer",
        "address": None,
        "balance": credit["balance"],
        "cash_balance": None,
        "created": c.created,
        "currency": credit["currency"],
        "default_source": None,
        "delinquent": False,
        "description": c.description,
        "discount": None,
        "email": c.email,
        "invoice_credit_balance": credit["invoice_credit_balance"],
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


def event(e: Event, *, pending_webhooks: int = 0) -> dict[str, Any]:
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
        "pending_webhooks": pending_webhooks,
        "request": {"id": None, "idempotency_key": e.idempotency_key},
        "type": e.type,
    }


def changed_attributes(before: dict[str, Any], after: dict[str, Any]) -> dict[str, Any]:
    """`previous_attributes` of an `.updated` event: old values of what changed."""
    return {k: v for k, v in before.items() if after.get(k) != v}


def deleted(object_type: str, object_id: str) -> dict[str, Any]:
    """What Stripe returns for a deleted invoice or invoice item."""
    return {"id": object_id, "object": object_type, "deleted": True}


def invoice_item(item: InvoiceItem) -> dict[str, Any]:
    """The `invoiceitem` object (a pending item has `invoice: null`)."""
    return {
        "id": item.id,
        "object": "invoiceitem",
        "amount": item.amount,
        "currency": item.currency,
        "customer": item.customer,
        "date": item.created,
        "description": item.description,
        "discountable": item.amount >= 0,
        "discounts": [],
        "invoice": item.invoice,
        "livemode": False,
        "metadata": dict(item.metadata),
        "period": {"start": item.created, "end": item.created},
        "price": None,
        "proration": False,
        "quantity": item.quantity,
        "subscription": None,
        "tax_rates": [],
        "test_clock": None,
        "unit_amount": item.unit_amount,
        "unit_amount_decimal": None if item.unit_amount is None else str(item.unit_amount),
    }


def line_item(item: InvoiceItem) -> dict[str, Any]:
    """The invoice `line_item` an attached invoice item makes."""
    return {
        "id": item.line_id,
        "object": "line_item",
        "amount": item.amount,
        "amount_excluding_tax": item.amount,
        "currency": item.currency,
        "description": item.description,
        "discount_amounts": [],
        "discountable": item.amount >= 0,
        "discounts": [],
        "invoice_item": item.id,
        "livemode": False,
        "metadata": dict(item.metadata),
        "period": {"start": item.created, "end": item.created},
        "price": None,
        "proration": False,
        "proration_details": None,
        "quantity": item.quantity,
        "subscription": None,
        "tax_amounts": [],
        "tax_rates": [],
        "type": "invoiceitem",
        "unit_amount_excluding_tax": None if item.unit_amount is None else str(item.unit_amount),
    }


def invoice(
    inv: Invoice,
    lines: dict[str, Any],
    customer: Customer,
    *,
    public_url: str,
    finalization_error: dict[str, Any] | None = None,
) -> dict[str, Any]:
    """The `invoice` object with its first lines embedded as a list object.

    A draft mirrors its customer (name, email, the balance it would start from); the
    finalized invoice keeps what it had at finalization.
    """
    draft = inv.status == "draft"
    page = f"{public_url}/i/{inv.page_secret}" if inv.page_secret else None
    starting = customer.balance if draft else inv.starting_balance
    return {
        "id": inv.id,
        "object": "invoice",
        "account_country": None,
        "account_name": None,
        "account_tax_ids": None,
        "amount_due": inv.amount_due,
        "amount_paid": inv.amount_paid,
        "amount_remaining": inv.amount_remaining,
        "amount_shipping": 0,
        "application": None,
        "application_fee_amount": None,
        "attempt_count": inv.attempt_count,
        "attempted": inv.attempted,
        "auto_advance": inv.auto_advance,
        "automatic_tax": {"enabled": False, "status": None},
        "automatically_finalizes_at": automatically_finalizes_at(inv),
        "billing_reason": inv.billing_reason,
        "charge": None,
        "collection_method": inv.collection_method,
        "created": inv.created,
        "currency": inv.currency,
        "custom_fields": None,
        "customer": inv.customer,
        "customer_address": None,
        "customer_email": customer.email if draft else inv.customer_email,
        "customer_name": customer.name if draft else inv.customer_name,
        "customer_phone": customer.phone if draft else inv.customer_phone,
        "customer_shipping": None,
        "customer_tax_exempt": "none",
        "customer_tax_ids": [],
        "default_payment_method": None,
        "default_source": None,
        "default_tax_rates": [],
        "description": inv.description,
        "discount": None,
        "discounts": [],
        "due_date": inv.due_date,
        "effective_at": inv.finalized_at,
        "ending_balance": inv.ending_balance,
        "footer": None,
        "from_invoice": None,
        "hosted_invoice_url": page,
        "invoice_pdf": f"{page}/pdf" if page else None,
        "last_finalization_error": finalization_error,
        "latest_revision": None,
        "lines": lines,
        "livemode": False,
        "metadata": dict(inv.metadata),
        "next_payment_attempt": inv.next_payment_attempt,
        "number": inv.number,
        "on_behalf_of": None,
        "paid": inv.status == "paid",
        "paid_out_of_band": inv.paid_out_of_band,
        "payment_intent": None,
        "payment_settings": {
            "default_mandate": None,
            "payment_method_options": None,
            "payment_method_types": None,
        },
        "period_end": inv.created,
        "period_start": inv.created,
        "post_payment_credit_notes_amount": 0,
        "pre_payment_credit_notes_amount": 0,
        "quote": None,
        "receipt_number": None,
        "rendering_options": None,
        "shipping_cost": None,
        "shipping_details": None,
        "starting_balance": starting if starting is not None else 0,
        "statement_descriptor": None,
        "status": inv.status,
        "status_transitions": {
            "finalized_at": inv.finalized_at,
            "marked_uncollectible_at": inv.marked_uncollectible_at,
            "paid_at": inv.paid_at,
            "voided_at": inv.voided_at,
        },
        "subscription": None,
        "subscription_details": None,
        "subtotal": inv.subtotal,
        "subtotal_excluding_tax": inv.subtotal,
        "tax": None,
        "test_clock": None,
        "threshold_reason": {"amount_gte": None, "item_reasons": []},
        "total": inv.total,
        "total_discount_amounts": [],
        "total_excluding_tax": inv.total,
        "total_tax_amounts": [],
        "transfer_data": None,
        "webhooks_delivered_at": inv.webhooks_delivered_at,
    }


def email(e: Email) -> dict[str, Any]:
    """An outbox entry (billcli's own object: emails are kept, not sent)."""
    return {
        "id": e.id,
        "object": "email",
        "created": e.created,
        "to": e.to,
        "subject": e.subject,
        "body": e.body,
        "invoice": e.invoice,
        "url": e.url,
    }


def portal_configuration(c: PortalConfiguration, *, public_url: str) -> dict[str, Any]:
    """The `billing_portal.configuration` object; the login page URL is built here."""
    login_url = f"{public_url}/p/login/{c.login_secret}" if c.login_secret else None
    return {
        "id": c.id,
        "object": "billing_portal.configuration",
        "active": c.active,
        "application": None,
        "business_profile": c.business_profile,
        "created": c.created,
        "default_return_url": c.default_return_url,
        "features": c.features,
        "is_default": c.is_default,
        "livemode": False,
        "login_page": {"enabled": login_url is not None, "url": login_url},
        "metadata": c.metadata,
        "updated": c.updated,
    }


def portal_session(s: PortalSession, *, url: str) -> dict[str, Any]:
    """The `billing_portal.session` object; its URL exists only when it is created."""
    return {
        "id": s.id,
        "object": "billing_portal.session",
        "configuration": s.configuration,
        "created": s.created,
        "customer": s.customer,
        "flow": None,
        "livemode": False,
        "locale": s.locale,
        "on_behalf_of": None,
        "return_url": s.return_url,
        "url": url,
    }


def webhook_endpoint(w: WebhookEndpoint, *, reveal: bool = False) -> dict[str, Any]:
    """The `webhook_endpoint` object; its secret only when asked for (create, --reveal)."""
    if w.deleted:
        return deleted("webhook_endpoint", w.id)
    shown = {
        "id": w.id,
        "object": "webhook_endpoint",
        "api_version": API_VERSION,
        "application": None,
        "created": w.created,
        "description": w.description,
        "enabled_events": w.events,
        "livemode": False,
        "metadata": w.metadata,
        "status": w.status,
        "url": w.url,
    }
    if reveal:
        shown["secret"] = w.secret
    return shown


def webhook_attempt(a: WebhookAttempt) -> dict[str, Any]:
    """One try at delivering an event (billcli's own object: Stripe shows it only in
    its Dashboard)."""
    return {
        "object": "webhook_attempt",
        "event": a.event,
        "endpoint": a.endpoint,
        "created": a.created,
        "status_code": a.status_code,
        "duration_ms": a.duration_ms,
        "error": a.error,
        "response_excerpt": a.response_excerpt,
    }
