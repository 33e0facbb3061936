"""Checkout Sessions: a customer's way in through the hosted payment page."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any


@dataclass(frozen=True)
class CheckoutSession:
    """One session, its amounts fixed at creation (prices never change). `secret` opens
    its hosted page while it is open; `line_items` are `{id, price, quantity, metadata}`."""

    id: str
    created: int
    mode: str
    status: str
    currency: str | None
    expires_at: int
    secret: str
    line_items: list[dict[str, Any]] = field(default_factory=list)
    amount_subtotal: int = 0
    amount_discount: int = 0
    amount_total: int = 0
    success_url: str | None = None
    cancel_url: str | None = None
    customer: str | None = None
    customer_email: str | None = None
    customer_creation: str | None = None
    client_reference_id: str | None = None
    metadata: dict[str, str] = field(default_factory=dict)
    coupon: str | None = None
    allow_promotion_codes: bool = False
    payment_method_collection: str | None = None
    subscription_data: dict[str, Any] | None = None
    payment_intent_data: dict[str, Any] | None = None
    payment_status: str = "unpaid"
    payment_intent: str | None = None
    setup_intent: str | None = None
    subscription: str | None = None
    invoice: str | None = None
    customer_details: dict[str, Any] | None = None
    completed_at: int | None = None
    # The hosted page's settings as given (core/checkout_page.py): locale, address and
    # phone collection, texts, consent, customer updates.
    page: dict[str, Any] = field(default_factory=dict)
    promotion_code: str | None = None  # the code `coupon` came from (promo_…)
    # Each rate's tax on the amount due today (`core.tax.TaxAmount.stored`); line items
    # keep their own rates as `tax_rates`.
    tax_amounts: list[dict[str, Any]] = field(default_factory=list)
    # The version of billcli's Checkout rules it completed under (`core.checkout.RULES`;
    # 0: before migration 24, whose rules `ledger check` no longer holds it to).
    completed_under: int = 0
