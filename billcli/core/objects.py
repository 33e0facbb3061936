"""The Stripe-shaped dictionary of each object, built in exactly one place.

Shapes follow API version 2023-08-16 (the schemas in the OpenAPI extract): every
property the schema lists is present, null where billcli has nothing to say.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from billcli import API_VERSION

if TYPE_CHECKING:
    from billcli.core.records import BalanceTransaction, Customer, Event
    from billcli.core.records.clocks import TestClock
    from billcli.core.records.invoices import Email
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


def customer(c: Customer, *, discount: dict[str, Any] | None = None) -> dict[str, Any]:
    """The `customer` object (with its live `discount`), or the deleted stub."""
    if c.deleted:
        return {"id": c.id, "object": "customer", "deleted": True}
    base = f"/v1/customers/{c.id}"
    credit = credit_balance(c)
    # Newer than the 2023 schema: shown when set (every field of the newest versions).
    names = {
        name: getattr(c, name)
        for name in ("business_name", "individual_name")
        if getattr(c, name) is not None
    }
    return {
        "id": c.id,
        "object": "customer",
        "address": c.address,
        "balance": credit["balance"],
        "cash_balance": None,
        "created": c.created,
        "currency": credit["currency"],
        "default_source": c.default_source,
        "delinquent": False,
        "description": c.description,
        "discount": discount,
        "email": c.email,
        "invoice_credit_balance": credit["invoice_credit_balance"],
        "invoice_prefix": c.invoice_prefix,
        "invoice_settings": {
            "custom_fields": list(c.invoice_custom_fields) or None,
            "default_payment_method": c.default_payment_method,
            "footer": c.invoice_footer,
            "rendering_options": c.invoice_rendering,
        },
        "livemode": False,
        "metadata": dict(c.metadata),
        "name": c.name,
        "next_invoice_sequence": c.next_invoice_sequence,
        "phone": c.phone,
        "preferred_locales": list(c.preferred_locales),
        "shipping": c.shipping,
        "sources": empty_list(f"{base}/sources"),
        "subscriptions": empty_list(f"{base}/subscriptions"),
        "tax": {"automatic_tax": "unrecognized_location", "ip_address": None, "location": None},
        "tax_exempt": c.tax_exempt,
        "tax_ids": empty_list(f"{base}/tax_ids"),
        "test_clock": c.test_clock,
        **names,
    }


def test_clock(c: TestClock) -> dict[str, Any]:
    """The `test_helpers.test_clock` object, or the stub a deletion answers. While it
    advances, `status_details` names where to: a newer field of Stripe's, shown in every
    version, as it is what tells a waiting client how far the clock still has to go."""
    if c.deleted:
        return deleted("test_helpers.test_clock", c.id)
    advancing = c.status == "advancing" and c.target_frozen_time is not None
    return {
        "id": c.id,
        "object": "test_helpers.test_clock",
        "created": c.created,
        "deletes_after": c.deletes_after,
        "frozen_time": c.frozen_time,
        "livemode": False,
        "name": c.name,
        "status": c.status,
        "status_details": (
            {"advancing": {"target_frozen_time": c.target_frozen_time}} if advancing else {}
        ),
    }


def account(
    account_id: str, created: int, settings: dict[str, str], *, public_url: str
) -> dict[str, Any]:
    """The `account` (`GET /v1/account`): the ledger's own, made with it. What only
    connected accounts have (their company, people, requirements, bank accounts) is
    left out, as Stripe leaves it out of a platform's own account."""
    name, email = settings["account.display_name"], settings["account.email"] or None
    return {
        "id": account_id,
        "object": "account",
        "business_profile": {
            "mcc": None,
            "name": name,
            "product_description": None,
            "support_address": None,
            "support_email": email,
            "support_phone": None,
            "support_url": None,
            "url": public_url,
        },
        "business_type": None,
        "capabilities": {"card_payments": "active"},
        "charges_enabled": True,
        "country": settings["account.country"],
        "created": created,
        "default_currency": settings["default_currency"],
        "details_submitted": True,
        "email": email,
        "metadata": {},
        "payouts_enabled": False,  # billcli keeps no Stripe balance to pay out
        "settings": {
            "branding": {
                "icon": None,
                "logo": None,
                "primary_color": None,
                "secondary_color": None,
            },
            "card_payments": {
                "decline_on": {"avs_failure": False, "cvc_failure": False},
                "statement_descriptor_prefix": None,
                "statement_descriptor_prefix_kana": None,
                "statement_descriptor_prefix_kanji": None,
            },
            "dashboard": {"display_name": name, "timezone": "Etc/UTC"},
            "payments": {
                "statement_descriptor": None,
                "statement_descriptor_kana": None,
                "statement_descriptor_kanji": None,
            },
        },
        "type": "standard",
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
        "request": {"id": e.request_id, "idempotency_key": e.idempotency_key},
        "type": e.type,
    }


def changed_attributes(before: dict[str, Any], after: dict[str, Any]) -> dict[str, Any]:
    """`previous_attributes` of an `.updated` event: old values of what changed."""
    return {k: v for k, v in before.items() if after.get(k) != v}


def deleted(object_type: str, object_id: str) -> dict[str, Any]:
    """What Stripe returns for a deleted invoice or invoice item."""
    return {"id": object_id, "object": object_type, "deleted": True}


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
        **({} if c.name is None else {"name": c.name}),  # newer than the 2023 schema
    }


def portal_session(s: PortalSession, *, url: str) -> dict[str, Any]:
    """The `billing_portal.session` object; its URL exists only when it is created."""
    return {
        "id": s.id,
        "object": "billing_portal.session",
        "configuration": s.configuration,
        "created": s.created,
        "customer": s.customer,
        "flow": s.flow,
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
        "api_version": w.api_version or API_VERSION,
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
