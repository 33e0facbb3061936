"""Payment methods (and a customer's), setup intents, refunds and invoice payments;
payment intents and charges are in `payment_intents.py`."""

from __future__ import annotations

from typing import Any

from billcli.api.handlers import card_only, given, listed, no_card_data, paging, required, route
from billcli.api.params import Params
from billcli.api.unmodelled import PAYMENT_METHOD_TYPES, refusal
from billcli.core import limits
from billcli.errors import InvalidRequest
from billcli.services.payments import invoice_payments, methods, refunds, setup_intents
from billcli.services.payments.setup_intents import SetupInput
from billcli.store.ledger import Ledger


def _token(p: Params) -> str:
    """`card[token]=tok_visa` (a Stripe test token); billcli keeps no card numbers, and
    copying a connected account's method (`payment_method`) is Connect's."""
    kind = p.text("type")
    if kind is not None and kind != "card":
        raise (
            refusal(kind, "type")
            if kind in PAYMENT_METHOD_TYPES
            else InvalidRequest(
                f"Invalid type: '{kind}' (billcli's payment methods are cards)", param="type"
            )
        )
    p.refuse(*PAYMENT_METHOD_TYPES, "radar_options", "payment_method", "customer_account")
    card = p.nested("card")
    token = card.text("token")
    if set(card.values) - {"token"}:
        raise InvalidRequest(
            "Invalid card: billcli keeps no card data; give card[token]=tok_visa (or another "
            "Stripe test token)",
            param="card",
        )
    return str(required(token, "card[token]"))


@route("POST", "/v1/payment_methods")
def create_method(ledger: Ledger, p: Params) -> Any:
    token, customer = _token(p), p.text("customer")
    details, metadata = p.map("billing_details"), p.metadata()
    redisplay = p.choice("allow_redisplay", limits.ENUMS["allow_redisplay"])
    p.unknown()
    return methods.create(
        ledger,
        token,
        customer=customer,
        billing_details=details,
        metadata=metadata,
        allow_redisplay=redisplay,
    )


@route("GET", "/v1/payment_methods")
def list_methods(ledger: Ledger, p: Params) -> Any:
    request, customer, kind = paging(p), p.text("customer"), p.text("type")
    redisplay = p.choice("allow_redisplay", limits.ENUMS["allow_redisplay"])
    p.refuse("customer_account")
    p.unknown()
    return listed(
        methods.list_methods(
            ledger, request, customer=customer, type_=kind, allow_redisplay=redisplay
        )
    )


@route("GET", "/v1/payment_methods/{payment_method}")
def retrieve_method(ledger: Ledger, p: Params, payment_method: str) -> Any:
    p.unknown()
    return methods.show(ledger, payment_method)


@route("POST", "/v1/payment_methods/{payment_method}")
def update_method(ledger: Ledger, p: Params, payment_method: str) -> Any:
    current = methods.show(ledger, payment_method)
    details, metadata = p.map("billing_details"), p.metadata(current["metadata"])
    redisplay = p.choice("allow_redisplay", limits.ENUMS["allow_redisplay"])
    p.refuse("link", "us_bank_account")
    if p.has("card"):
        raise InvalidRequest(
            "Invalid card: billcli's test cards keep their expiry (12/2034) and networks",
            param="card",
        )
    p.unknown()
    return methods.update(
        ledger,
        payment_method,
        metadata=metadata,
        billing_details=details,
        allow_redisplay=redisplay,
    )


@route("POST", "/v1/payment_methods/{payment_method}/attach")
def attach_method(ledger: Ledger, p: Params, payment_method: str) -> Any:
    customer = required(p.text("customer"), "customer")
    p.refuse("customer_account")
    p.unknown()
    return methods.attach(ledger, payment_method, customer)


@route("POST", "/v1/payment_methods/{payment_method}/detach")
def detach_method(ledger: Ledger, p: Params, payment_method: str) -> Any:
    p.unknown()
    return methods.detach(ledger, payment_method)


@route("GET", "/v1/customers/{customer}/payment_methods")
def list_customer_methods(ledger: Ledger, p: Params, customer: str) -> Any:
    request, kind = paging(p), p.text("type")
    redisplay = p.choice("allow_redisplay", limits.ENUMS["allow_redisplay"])
    p.unknown()
    return listed(
        methods.list_methods(
            ledger, request, customer=customer, type_=kind, allow_redisplay=redisplay
        )
    )


@route("GET", "/v1/customers/{customer}/payment_methods/{payment_method}")
def retrieve_customer_method(ledger: Ledger, p: Params, customer: str, payment_method: str) -> Any:
    p.unknown()
    return methods.show_of_customer(ledger, customer, payment_method)


# Documented on SetupIntents, of capabilities billcli does not model.
_SETUP_REFUSED = (
    "attach_to_self",
    "flow_directions",
    "mandate_data",
    "on_behalf_of",
    "confirmation_token",
    "payment_method_configuration",
    "customer_account",
)


def _setup_defaults(p: Params) -> None:
    p.refuse(*_SETUP_REFUSED)
    card_only(p)
    no_card_data(p)
    if p.has("single_use"):
        raise InvalidRequest(
            "Invalid single_use: billcli's setup intents save a card for reuse (usage); a "
            "single payment is a PaymentIntent",
            param="single_use",
        )
    p.has("use_stripe_sdk")  # how Stripe.js handles next actions: the same either way


@route("POST", "/v1/setup_intents")
def create_setup_intent(ledger: Ledger, p: Params) -> Any:
    _setup_defaults(p)
    data = SetupInput(
        customer=p.text("customer"),
        payment_method=p.text("payment_method"),
        usage=p.text("usage"),
        description=p.text("description"),
        metadata=p.metadata(),
        confirm=bool(p.boolean("confirm")),
        return_url=p.text("return_url"),
        payment_method_options=given(p, "payment_method_options"),
        automatic_payment_methods=given(p, "automatic_payment_methods"),
    )
    p.unknown()
    return setup_intents.create(ledger, data)


@route("GET", "/v1/setup_intents")
def list_setup_intents(ledger: Ledger, p: Params) -> Any:
    request = paging(p, created=True)
    customer, method = p.text("customer"), p.text("payment_method")
    p.refuse("attach_to_self", "customer_account")
    p.unknown()
    return listed(
        setup_intents.list_setup_intents(ledger, request, customer=customer, payment_method=method)
    )


@route("GET", "/v1/setup_intents/{intent}")
def retrieve_setup_intent(ledger: Ledger, p: Params, intent: str) -> Any:
    p.text("client_secret")
    p.unknown()
    return setup_intents.show(ledger, intent)


@route("POST", "/v1/setup_intents/{intent}")
def update_setup_intent(ledger: Ledger, p: Params, intent: str) -> Any:
    current = setup_intents.show(ledger, intent)
    _setup_defaults(p)
    description = p.text("description", clearable=True)
    metadata = p.metadata(current["metadata"])
    customer, method = p.text("customer"), p.text("payment_method")
    chosen = given(p, "payment_method_options")
    p.unknown()
    return setup_intents.update(
        ledger,
        intent,
        description=description,
        metadata=metadata,
        customer=customer,
        payment_method=method,
        payment_method_options=chosen,
    )


@route("POST", "/v1/setup_intents/{intent}/confirm")
def confirm_setup_intent(ledger: Ledger, p: Params, intent: str) -> Any:
    _setup_defaults(p)
    method, return_url = p.text("payment_method"), p.text("return_url")
    secret = p.text("client_secret")
    if secret is not None and not secret.startswith(f"{intent}_secret_"):
        raise InvalidRequest(
            "Invalid client_secret: it is not this intent's client secret",
            param="client_secret",
        )
    chosen = given(p, "payment_method_options")
    p.unknown()
    return setup_intents.confirm(
        ledger,
        intent,
        payment_method=method,
        return_url=return_url,
        payment_method_options=chosen,
    )


@route("POST", "/v1/setup_intents/{intent}/cancel")
def cancel_setup_intent(ledger: Ledger, p: Params, intent: str) -> Any:
    reason = p.text("cancellation_reason")
    p.unknown()
    return setup_intents.cancel(ledger, intent, reason=reason)


def refund_input(p: Params, charge: str | None = None) -> dict[str, Any]:
    """A refund's parameters: of a card payment (a customer's cash balance, Connect's
    fee and transfer reversals are not modelled)."""
    p.refuse("origin", "instructions_email", "refund_application_fee", "reverse_transfer")
    if p.has("customer"):
        raise refusal("customer_balance", "customer")
    currency = p.text("currency")
    intent = p.text("payment_intent")
    return {
        "currency": currency,
        "charge": charge or p.text("charge"),
        "payment_intent": None if charge else intent,
        "of_intent": intent if charge else None,
        "amount": p.amount("amount"),
        "reason": p.text("reason"),
        "metadata": p.metadata(),
    }


@route("POST", "/v1/refunds")
def create_refund(ledger: Ledger, p: Params) -> Any:
    data = refund_input(p)
    p.unknown()
    return refunds.create(ledger, **data)


@route("GET", "/v1/refunds")
def list_refunds(ledger: Ledger, p: Params) -> Any:
    request, charge, intent = paging(p, created=True), p.text("charge"), p.text("payment_intent")
    p.unknown()
    return listed(refunds.list_refunds(ledger, request, charge=charge, payment_intent=intent))


@route("GET", "/v1/refunds/{refund}")
def retrieve_refund(ledger: Ledger, p: Params, refund: str) -> Any:
    p.unknown()
    return refunds.show(ledger, refund)


@route("POST", "/v1/refunds/{refund}")
def update_refund(ledger: Ledger, p: Params, refund: str) -> Any:
    metadata = p.metadata(refunds.show(ledger, refund)["metadata"])
    p.unknown()
    return refunds.update(ledger, refund, metadata=metadata)


@route("POST", "/v1/refunds/{refund}/cancel")
def cancel_refund(ledger: Ledger, p: Params, refund: str) -> Any:
    p.unknown()
    return refunds.cancel(ledger, refund)


@route("GET", "/v1/invoice_payments")
def list_invoice_payments(ledger: Ledger, p: Params) -> Any:
    request, invoice, status = paging(p, created=True), p.text("invoice"), p.text("status")
    payment = p.map("payment") or {}
    if payment.get("type") not in (None, "payment_intent"):
        raise InvalidRequest(
            "Invalid payment[type]: billcli's invoices are paid through payment intents",
            param="payment[type]",
        )
    p.unknown()
    return listed(
        invoice_payments.list_payments(
            ledger,
            request,
            invoice=invoice,
            payment_intent=payment.get("payment_intent"),
            status=status,
        )
    )


@route("GET", "/v1/invoice_payments/{invoice_payment}")
def retrieve_invoice_payment(ledger: Ledger, p: Params, invoice_payment: str) -> Any:
    p.unknown()
    return invoice_payments.show(ledger, invoice_payment)


ROUTES = [
    create_method,
    list_methods,
    retrieve_method,
    update_method,
    attach_method,
    detach_method,
    list_customer_methods,
    retrieve_customer_method,
    create_setup_intent,
    list_setup_intents,
    retrieve_setup_intent,
    update_setup_intent,
    confirm_setup_intent,
    cancel_setup_intent,
    create_refund,
    list_refunds,
    retrieve_refund,
    update_refund,
    cancel_refund,
    list_invoice_payments,
    retrieve_invoice_payment,
]
