"""Checkout Sessions, and the two calls of Stripe's payment-page API that the Stripe CLI
uses to complete one (`GET /v1/payment_pages/{session}` and its `confirm`), served as a
thin shim over the service the hosted page calls."""

from __future__ import annotations

from typing import Any

from billcli.api.handlers import listed, paging, required, route
from billcli.api.params import Params
from billcli.errors import InvalidRequest
from billcli.services.checkout import completion, sessions
from billcli.services.checkout.sessions import SessionInput
from billcli.store.ledger import Ledger


def _line_items(p: Params) -> tuple[tuple[str, int], ...]:
    """`line_items[n][price|quantity]` (billcli's line items take a price, no
    `price_data`)."""
    items = []
    for n, item in enumerate(p.each("line_items")):
        price = required(item.text("price"), f"line_items[{n}][price]")
        quantity = item.integer("quantity")
        item.unknown()
        items.append((str(price), 1 if quantity is None else quantity))
    return tuple(items)


def _coupons(p: Params) -> tuple[str, ...]:
    coupons = []
    for n, entry in enumerate(p.maps("discounts")):
        coupon = entry.get("coupon")
        if coupon is None or set(entry) != {"coupon"}:
            raise InvalidRequest(
                f"Invalid discounts[{n}]: give a coupon (promotion codes: allow_promotion_codes)",
                param=f"discounts[{n}]",
            )
        coupons.append(str(coupon))
    return tuple(coupons)


@route("POST", "/v1/checkout/sessions")
def create_session(ledger: Ledger, p: Params) -> Any:
    for kind in p.texts("payment_method_types"):
        if kind != "card":
            raise InvalidRequest(
                f"Invalid payment_method_types: '{kind}' (billcli's payment methods are cards)",
                param="payment_method_types",
            )
    subscription = p.nested("subscription_data")
    intent = p.nested("payment_intent_data")
    data = SessionInput(
        mode=p.text("mode"),
        line_items=_line_items(p),
        success_url=p.text("success_url"),
        cancel_url=p.text("cancel_url"),
        customer=p.text("customer"),
        customer_email=p.text("customer_email"),
        customer_creation=p.text("customer_creation"),
        client_reference_id=p.text("client_reference_id"),
        metadata=p.metadata(),
        coupons=_coupons(p),
        allow_promotion_codes=p.boolean("allow_promotion_codes"),
        payment_method_collection=p.text("payment_method_collection"),
        expires_at=p.integer("expires_at"),
        trial_period_days=subscription.integer("trial_period_days"),
        trial_end=subscription.integer("trial_end"),
        subscription_metadata=subscription.metadata(),
        shipping=intent.map("shipping"),
        currency=p.text("currency"),
    )
    subscription.unknown()
    intent.unknown()
    p.unknown()
    return sessions.create(ledger, data)


@route("GET", "/v1/checkout/sessions")
def list_sessions(ledger: Ledger, p: Params) -> Any:
    request = paging(p)
    filters = {
        name: p.text(name) for name in ("customer", "status", "subscription", "payment_intent")
    }
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
    p.unknown()
    return completion.confirm_page(ledger, session, method, expected_amount=expected, email=email)


ROUTES = [
    create_session,
    list_sessions,
    retrieve_session,
    list_line_items,
    expire_session,
    payment_page,
    confirm_payment_page,
]
