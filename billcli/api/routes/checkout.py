"""Checkout Sessions, and the two calls of Stripe's payment-page API that the Stripe CLI
uses to complete one (`GET /v1/payment_pages/{session}` and its `confirm`), served as a
thin shim over the service the hosted page calls."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from billcli.api.handlers import (
    card_only,
    listed,
    paging,
    rates_of,
    route,
    without_automatic_tax,
)
from billcli.api.params import Params
from billcli.api.routes import price_params
from billcli.core.checkout import Adjustable
from billcli.core.checkout_invoice import InvoiceData
from billcli.core.checkout_page import PageInput
from billcli.core.invoicing import check_choice
from billcli.errors import InvalidRequest
from billcli.services.catalog.price_making import PriceInput
from billcli.services.checkout import completion, sessions
from billcli.services.checkout.details import ADDRESS_FIELDS, Collected
from billcli.services.checkout.sessions import SessionInput
from billcli.store.ledger import Ledger

_CONNECT = ("on_behalf_of", "transfer_data", "application_fee_amount", "application_fee_percent")
# Top-level parameters of what billcli's Checkout does not do (api/unmodelled.py).
_REFUSED = (
    "customer_account", "adaptive_pricing", "branding_settings", "wallet_options",
    "managed_payments", "permissions", "payment_method_configuration",
    "payment_method_options", "payment_method_data", "saved_payment_method_options",
    "setup_intent_data", "optional_items", "integration_identifier", "name_collection",
    "origin_context", "shipping_address_collection", "shipping_options", "tax_id_collection",
    "custom_fields",
)  # fmt: skip


@dataclass(frozen=True)
class _Items:
    """`line_items[n][price|price_data|quantity|metadata|tax_rates|adjustable_quantity]`
    as the service takes them."""

    items: tuple[tuple[str, int], ...]  # (price, quantity); "" where price_data is given
    prices: tuple[PriceInput | None, ...]  # the inline prices, by n
    metadata: tuple[tuple[str, ...], ...]
    tax_rates: tuple[tuple[str, ...], ...]
    adjustable: tuple[Adjustable | None, ...]  # adjustable_quantity, by n


def _line_items(p: Params) -> _Items:
    """A line item takes a price or an inline `price_data` (with `product` or
    `product_data`); its own tax rates, not `dynamic_tax_rates` (chosen by the
    customer's address, which needs Stripe Tax's registrations)."""
    items, inline, metadata, rates, adjustable = [], [], [], [], []
    for item in p.each("line_items"):
        item.refuse("dynamic_tax_rates")
        adjustable.append(_adjustable(item) if item.has("adjustable_quantity") else None)
        price = item.text("price")
        inline.append(price_params.price_data(item, "price_data", product_data=True))
        quantity = item.integer("quantity")
        metadata.append(item.metadata())
        rates.append(tuple(r for r in rates_of(item, "tax_rates") if r))
        item.unknown()
        items.append((price or "", 1 if quantity is None else quantity))
    return _Items(tuple(items), tuple(inline), tuple(metadata), tuple(rates), tuple(adjustable))


def _adjustable(item: Params) -> Adjustable:
    given = item.nested("adjustable_quantity")
    found = Adjustable(given.boolean("enabled"), given.integer("minimum"), given.integer("maximum"))
    given.unknown()
    return found


def _discounts(p: Params) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """`discounts[n][coupon]` or `discounts[n][promotion_code]`: (coupons, codes)."""
    coupons: list[str] = []
    codes: list[str] = []
    for n, entry in enumerate(p.maps("discounts")):
        if len(entry) != 1 or not set(entry) <= {"coupon", "promotion_code"}:
            raise InvalidRequest(
                f"Invalid discounts[{n}]: give one of coupon or promotion_code",
                param=f"discounts[{n}]",
            )
        (coupons if "coupon" in entry else codes).append(str(next(iter(entry.values()))))
    return tuple(coupons), tuple(codes)


def _embedded_only(p: Params) -> None:
    """`return_url` and `redirect_on_completion` belong to the embedded form, which
    billcli does not serve: its page is hosted, and sends the customer to success_url."""
    for name in ("return_url", "redirect_on_completion"):
        if p.has(name):
            raise InvalidRequest(
                f"Cannot use {name}: it applies only to ui_mode embedded, and billcli's "
                "Checkout is hosted (use success_url)",
                param=name,
            )


def _page(p: Params) -> PageInput:
    """What the hosted page asks and says (core/checkout_page.py)."""
    expiration = p.nested("after_expiration")
    recovery = expiration.nested("recovery")
    consent = p.nested("consent_collection")
    reuse = consent.nested("payment_method_reuse_agreement")
    update = p.nested("customer_update")
    texts = p.nested("custom_text")
    invoice = p.nested("invoice_creation")
    phone = p.nested("phone_number_collection")
    written = [(name, texts.nested(name)) for name in list(texts.values)]
    page = PageInput(
        locale=p.text("locale"),
        billing_address_collection=p.text("billing_address_collection"),
        phone_number_collection=phone.boolean("enabled"),
        custom_text=tuple((name, str(text.text("message") or "")) for name, text in written),
        submit_type=p.text("submit_type"),
        recovery=recovery.boolean("enabled"),
        recovery_promotion_codes=recovery.boolean("allow_promotion_codes"),
        promotions_consent=consent.text("promotions"),
        terms_of_service=consent.text("terms_of_service"),
        reuse_agreement=reuse.text("position"),
        update_address=update.text("address"),
        update_name=update.text("name"),
        update_shipping=update.text("shipping"),
        invoice_creation=invoice.boolean("enabled"),
        invoice_data=_invoice_data(invoice) if invoice.has("invoice_data") else None,
        ui_mode=p.text("ui_mode"),
    )
    for group in (recovery, expiration, reuse, consent, update, phone, invoice, texts):
        group.unknown()
    for _, text in written:
        text.unknown()
    return page


def _invoice_data(invoice: Params) -> InvoiceData:
    """`invoice_creation[invoice_data]`: what the post-payment invoice says; account tax
    IDs are refused by name (billcli does not model them: api/unmodelled.py)."""
    given = invoice.nested("invoice_data")
    given.refuse("account_tax_ids")
    issuer = given.nested("issuer")
    data = InvoiceData(
        description=given.text("description"),
        footer=given.text("footer"),
        metadata=given.metadata(),
        custom_fields=given.maps("custom_fields"),
        rendering_options=given.map("rendering_options"),
        issuer=issuer.text("type"),
    )
    issuer.refuse("account")
    issuer.unknown()
    given.unknown()
    return data


@route("POST", "/v1/checkout/sessions")
def create_session(ledger: Ledger, p: Params) -> Any:
    p.refuse(*_REFUSED)
    card_only(p)
    without_automatic_tax(p)
    _embedded_only(p)
    subscription = p.nested("subscription_data")
    subscription.refuse(*_CONNECT, "billing_mode", "billing_cycle_anchor_config",
                        "pending_invoice_item_interval", "trial_settings",
                        "invoice_settings")  # fmt: skip
    intent = p.nested("payment_intent_data")
    intent.refuse(*_CONNECT, "transfer_group", "capture_method", "setup_future_usage",
                  "statement_descriptor", "statement_descriptor_suffix")  # fmt: skip
    items = _line_items(p)
    coupons, codes = _discounts(p)
    data = SessionInput(
        mode=p.text("mode"),
        line_items=items.items,
        line_item_prices=items.prices,
        line_item_metadata=items.metadata,
        line_item_tax_rates=items.tax_rates,
        line_item_adjustable=items.adjustable,
        success_url=p.text("success_url"),
        cancel_url=p.text("cancel_url"),
        customer=p.text("customer"),
        customer_email=p.text("customer_email"),
        customer_creation=p.text("customer_creation"),
        client_reference_id=p.text("client_reference_id"),
        metadata=p.metadata(),
        coupons=coupons,
        promotion_codes=codes,
        allow_promotion_codes=p.boolean("allow_promotion_codes"),
        payment_method_collection=p.text("payment_method_collection"),
        expires_at=p.integer("expires_at"),
        trial_period_days=subscription.integer("trial_period_days"),
        trial_end=subscription.integer("trial_end"),
        subscription_metadata=subscription.metadata(),
        subscription_description=subscription.text("description"),
        billing_cycle_anchor=subscription.integer("billing_cycle_anchor"),
        proration_behavior=subscription.text("proration_behavior"),
        default_tax_rates=tuple(r for r in rates_of(subscription, "default_tax_rates") if r),
        shipping=intent.map("shipping"),
        intent_description=intent.text("description"),
        intent_metadata=intent.metadata(),
        receipt_email=intent.text("receipt_email"),
        currency=p.text("currency"),
        page=_page(p),
    )
    subscription.unknown()
    intent.unknown()
    p.unknown()
    return sessions.create(ledger, data)


@route("GET", "/v1/checkout/sessions")
def list_sessions(ledger: Ledger, p: Params) -> Any:
    request = paging(p, created=True)
    p.refuse("customer_account", "payment_link")
    filters = {
        name: p.text(name) for name in ("customer", "status", "subscription", "payment_intent")
    }
    details = p.nested("customer_details")
    filters["email"] = details.text("email")
    details.unknown()
    p.unknown()
    return listed(sessions.list_sessions(ledger, request, **filters))


@route("GET", "/v1/checkout/sessions/{session}")
def retrieve_session(ledger: Ledger, p: Params, session: str) -> Any:
    p.unknown()
    return sessions.show(ledger, session)


@route("GET", "/v1/checkout/sessions/{session}/line_items")
def list_line_items(ledger: Ledger, p: Params, session: str) -> Any:
    request = paging(p)
    p.unknown()
    return listed(sessions.line_items(ledger, session, request))


@route("POST", "/v1/checkout/sessions/{session}/expire")
def expire_session(ledger: Ledger, p: Params, session: str) -> Any:
    p.unknown()
    return sessions.expire(ledger, session)


@route("GET", "/v1/payment_pages/{session}")
def payment_page(ledger: Ledger, p: Params, session: str) -> Any:
    p.unknown()
    return sessions.show(ledger, session)


@route("POST", "/v1/payment_pages/{session}/confirm")
def confirm_payment_page(ledger: Ledger, p: Params, session: str) -> Any:
    method = p.text("payment_method")
    expected = p.integer("expected_amount")
    email = p.text("email")
    collected = _collected(p)
    p.unknown()
    return completion.confirm_page(
        ledger, session, method, expected_amount=expected, email=email, collected=collected
    )


def _collected(p: Params) -> Collected:
    """What the page would have asked the customer: the terms (`consent[terms_of_service]`,
    as the session's `consent` shows it), a name, a phone, a billing address."""
    consent = p.nested("consent")
    terms = consent.text("terms_of_service")
    if terms is not None:
        check_choice(terms, ("accepted",), "consent[terms_of_service]")
    consent.unknown()
    given = p.nested("billing_address")
    address = {k: v for k in ADDRESS_FIELDS if (v := (given.text(k) or "").strip())}
    given.unknown()
    return Collected(
        name=(p.text("name") or "").strip() or None,
        address=address or None,
        phone=(p.text("phone") or "").strip() or None,
        terms_accepted=terms == "accepted",
    )


ROUTES = [
    create_session,
    list_sessions,
    retrieve_session,
    list_line_items,
    expire_session,
    payment_page,
    confirm_payment_page,
]
