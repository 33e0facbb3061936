"""The `checkout.session` object and its line items (`item`), in their current shape
(notes A.1–A.2): `line_items` is not part of the session unless expanded."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING, Any

from billcli.core import checkout_page
from billcli.core.tax import exclusive, loaded

if TYPE_CHECKING:
    from billcli.core.records.checkout import CheckoutSession
    from billcli.core.tax import TaxAmount


def session(s: CheckoutSession, *, url: str | None) -> dict[str, Any]:
    """The session; `url` is the hosted page's while the session is open (else None)."""
    return {
        "id": s.id,
        "object": "checkout.session",
        "adaptive_pricing": None,
        "allow_promotion_codes": s.allow_promotion_codes or None,
        "allowed_payment_method_types": None,
        "amount_subtotal": s.amount_subtotal,
        "amount_total": s.amount_total,
        "automatic_tax": {"enabled": False, "liability": None, "status": None},
        "branding_settings": None,
        "cancel_url": s.cancel_url,
        "client_reference_id": s.client_reference_id,
        "client_secret": None,
        "collected_information": None,
        "created": s.created,
        "currency": s.currency,
        "currency_conversion": None,
        "custom_fields": [],
        "customer": s.customer,
        "customer_account": None,
        "customer_creation": s.customer_creation,
        "customer_details": s.customer_details,
        "customer_email": s.customer_email,
        "discounts": discounts(s),
        "excluded_payment_method_types": None,
        "expires_at": s.expires_at,
        "integration_identifier": None,
        "invoice": s.invoice,
        "livemode": False,
        "managed_payments": None,
        "metadata": dict(s.metadata),
        "mode": s.mode,
        "name_collection": None,
        "optional_items": None,
        "origin_context": None,
        "payment_intent": s.payment_intent,
        "payment_link": None,
        "payment_method_collection": s.payment_method_collection,
        "payment_method_configuration_details": None,
        "payment_method_options": {},
        "payment_method_types": ["card"],
        "payment_status": s.payment_status,
        "permissions": None,
        "presentment_details": None,
        "recovered_from": None,
        "redirect_on_completion": None,
        "return_url": None,
        "saved_payment_method_options": None,
        "setup_intent": s.setup_intent,
        "shipping_address_collection": None,
        "shipping_cost": None,
        "shipping_options": [],
        "status": s.status,
        "subscription": s.subscription,
        "success_url": s.success_url,
        "tax_id_collection": {"enabled": False, "required": "never"},
        "total_details": {
            "amount_discount": s.amount_discount,
            "amount_shipping": 0,
            "amount_tax": sum(t.amount for t in loaded(s.tax_amounts)),
        },
        "ui_mode": "hosted_page",
        "url": url if s.status == "open" else None,
        "wallet_options": None,
        **checkout_page.shown(s.page),
    }


def discounts(s: CheckoutSession) -> list[dict[str, str | None]]:
    """As given: the coupon, or the promotion code (its coupon then shows only in the
    subscription's discount), as `discounts[]` takes them."""
    if s.promotion_code is not None:
        return [{"coupon": None, "promotion_code": s.promotion_code}]
    return [{"coupon": s.coupon, "promotion_code": None}] if s.coupon else []


def line_item(
    item: dict[str, Any],
    price: dict[str, Any],
    money: tuple[int, int, Sequence[TaxAmount]],
    product_name: str,
    rates: Mapping[str, dict[str, Any]],
    currency: str | None = None,
) -> dict[str, Any]:
    """One `item`: `money` is the line's subtotal, its discount and its taxes, each
    tax's rate shown from `rates` (by id), in the session's `currency` (None: the
    price's own)."""
    subtotal, discount, taxes = money
    return {
        "id": item["id"],
        "object": "item",
        "adjustable_quantity": item.get("adjustable_quantity"),
        "amount_discount": discount,
        "amount_subtotal": subtotal,
        "amount_tax": sum(t.amount for t in taxes),
        "amount_total": subtotal - discount + exclusive(taxes),
        "currency": currency or price["currency"],
        "description": product_name,
        "discounts": [],
        "metadata": dict(item.get("metadata") or {}),
        "price": price,
        "quantity": item["quantity"],
        "taxes": [
            {
                "amount": t.amount,
                "rate": rates[t.tax_rate],
                "taxability_reason": None,
                "taxable_amount": t.taxable_amount,
            }
            for t in taxes
        ],
    }
