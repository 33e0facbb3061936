"""Payment intents and charges (with a charge's refunds)."""

from __future__ import annotations

from typing import Any

from billcli.api.handlers import card_only, given, listed, no_card_data, paging, route, searched
from billcli.api.params import Params
from billcli.api.routes.payments import refund_input
from billcli.errors import InvalidRequest
from billcli.services.payments import capture, charges, confirmation, payment_intents, refunds
from billcli.services.payments.payment_intents import IntentInput
from billcli.store.ledger import Ledger

# Documented on intents, of capabilities billcli does not model.
_REFUSED = (
    "application_fee_amount",
    "on_behalf_of",
    "transfer_data",
    "transfer_group",
    "customer_account",
    "mandate",
    "mandate_data",
    "radar_options",
    "confirmation_token",
    "hooks",
    "payment_details",
    "amount_details",
    "payment_method_configuration",
    "amount_to_confirm",
)


# Documented on a capture, of capabilities billcli does not model (Connect, line items).
_UNMODELLED_CAPTURE = (
    "application_fee_amount",
    "transfer_data",
    "hooks",
    "payment_details",
    "amount_details",
)


def _defaults(p: Params) -> None:
    """The unmodelled parameters, and card-only types."""
    p.refuse(*_REFUSED)
    card_only(p)
    no_card_data(p)
    p.has("use_stripe_sdk")  # how Stripe.js handles next actions: the same either way


def _details(p: Params) -> dict[str, Any]:
    """What an intent carries beside its money, as the services read it."""
    return {
        "receipt_email": p.text("receipt_email"),
        "statement_descriptor": p.text("statement_descriptor"),
        "statement_descriptor_suffix": p.text("statement_descriptor_suffix"),
        "payment_method_options": given(p, "payment_method_options"),
        "automatic_payment_methods": given(p, "automatic_payment_methods"),
        "setup_future_usage": p.text("setup_future_usage"),
        "shipping": given(p, "shipping"),
        "capture_method": p.text("capture_method"),
    }


@route("POST", "/v1/payment_intents")
def create_intent(ledger: Ledger, p: Params) -> Any:
    _defaults(p)
    data = IntentInput(
        amount=p.amount("amount"),
        currency=p.text("currency"),
        customer=p.text("customer"),
        payment_method=p.text("payment_method"),
        description=p.text("description"),
        metadata=p.metadata(),
        confirm=bool(p.boolean("confirm")),
        off_session=bool(p.boolean("off_session")),
        return_url=p.text("return_url"),
        error_on_requires_action=bool(p.boolean("error_on_requires_action")),
        confirmation_method=p.text("confirmation_method"),
        **_details(p),
    )
    p.unknown()
    return payment_intents.create(ledger, data)


@route("GET", "/v1/payment_intents")
def list_intents(ledger: Ledger, p: Params) -> Any:
    request, customer = paging(p, created=True), p.text("customer")
    p.refuse("customer_account")
    p.unknown()
    return listed(payment_intents.list_intents(ledger, request, customer=customer))


@route("GET", "/v1/payment_intents/search")
def search_intents(ledger: Ledger, p: Params) -> Any:
    return searched(ledger, p, "payment_intent")


@route("GET", "/v1/payment_intents/{intent}")
def retrieve_intent(ledger: Ledger, p: Params, intent: str) -> Any:
    p.text("client_secret")
    p.unknown()
    return payment_intents.show(ledger, intent)


@route("POST", "/v1/payment_intents/{intent}")
def update_intent(ledger: Ledger, p: Params, intent: str) -> Any:
    current = payment_intents.show(ledger, intent)
    _defaults(p)
    description, method = p.text("description", clearable=True), p.text("payment_method")
    metadata = p.metadata(current["metadata"])
    amount, currency, customer = p.amount("amount"), p.text("currency"), p.text("customer")
    details = _details(p)
    p.unknown()
    return payment_intents.update(
        ledger,
        intent,
        description=description,
        metadata=metadata,
        payment_method=method,
        amount=amount,
        currency=currency,
        customer=customer,
        given=details,
    )


@route("POST", "/v1/payment_intents/{intent}/confirm")
def confirm_intent(ledger: Ledger, p: Params, intent: str) -> Any:
    _defaults(p)
    method, return_url = p.text("payment_method"), p.text("return_url")
    off_session = bool(p.boolean("off_session"))
    refuse_action = bool(p.boolean("error_on_requires_action"))
    _client_secret(p, intent)
    details = _details(p)
    p.unknown()
    return confirmation.confirm(
        ledger,
        intent,
        payment_method=method,
        off_session=off_session,
        return_url=return_url,
        refuse_action=refuse_action,
        given=details,
    )


def _client_secret(p: Params, intent: str) -> None:
    """`client_secret` (what a publishable key sends): when given, the intent's own."""
    secret = p.text("client_secret")
    if secret is not None and not secret.startswith(f"{intent}_secret_"):
        raise InvalidRequest(
            "Invalid client_secret: it is not this intent's client secret",
            param="client_secret",
        )


@route("POST", "/v1/payment_intents/{intent}/cancel")
def cancel_intent(ledger: Ledger, p: Params, intent: str) -> Any:
    reason = p.text("cancellation_reason")
    p.unknown()
    return payment_intents.cancel(ledger, intent, reason=reason)


@route("POST", "/v1/payment_intents/{intent}/capture")
def capture_intent(ledger: Ledger, p: Params, intent: str) -> Any:
    """Capture an authorization (all of it, or `amount_to_capture`)."""
    p.refuse(*_UNMODELLED_CAPTURE)
    amount, final = p.amount("amount_to_capture"), p.boolean("final_capture")
    metadata = p.metadata(payment_intents.show(ledger, intent)["metadata"])
    descriptor = p.text("statement_descriptor")
    suffix = p.text("statement_descriptor_suffix")
    p.unknown()
    return capture.capture(
        ledger,
        intent,
        amount_to_capture=amount,
        metadata=metadata,
        final_capture=final,
        statement_descriptor=descriptor,
        statement_descriptor_suffix=suffix,
    )


@route("POST", "/v1/charges")
def create_charge(ledger: Ledger, p: Params) -> Any:
    """The legacy Charges API: refused, with where to go instead."""
    raise InvalidRequest(
        "billcli charges cards through PaymentIntents: create one with "
        "POST /v1/payment_intents (amount, currency, payment_method=pm_card_visa, "
        "confirm=true); the legacy Charges API's create is not served",
        param="source",
    )


@route("GET", "/v1/charges")
def list_charges(ledger: Ledger, p: Params) -> Any:
    request, customer, intent = (
        paging(p, created=True),
        p.text("customer"),
        p.text("payment_intent"),
    )
    p.refuse("transfer_group")
    p.unknown()
    return listed(charges.list_charges(ledger, request, customer=customer, payment_intent=intent))


@route("GET", "/v1/charges/search")
def search_charges(ledger: Ledger, p: Params) -> Any:
    return searched(ledger, p, "charge")


@route("GET", "/v1/charges/{charge}")
def retrieve_charge(ledger: Ledger, p: Params, charge: str) -> Any:
    p.unknown()
    return charges.show(ledger, charge)


@route("POST", "/v1/charges/{charge}")
def update_charge(ledger: Ledger, p: Params, charge: str) -> Any:
    current = charges.show(ledger, charge)
    description = p.text("description", clearable=True)
    metadata = p.metadata(current["metadata"])
    customer, email = p.text("customer"), p.text("receipt_email")
    shipping = given(p, "shipping")
    p.refuse("fraud_details", "transfer_group")
    p.unknown()
    return charges.update(
        ledger,
        charge,
        description=description,
        metadata=metadata,
        customer=customer,
        receipt_email=email,
        shipping=shipping,
    )


@route("GET", "/v1/charges/{charge}/refunds")
def list_charge_refunds(ledger: Ledger, p: Params, charge: str) -> Any:
    request = paging(p)
    p.unknown()
    return listed(
        refunds.list_refunds(ledger, request, charge=charge), f"/v1/charges/{charge}/refunds"
    )


@route("POST", "/v1/charges/{charge}/refunds")
def create_charge_refund(ledger: Ledger, p: Params, charge: str) -> Any:
    data = refund_input(p, charge)
    p.unknown()
    return refunds.create(ledger, **data)


def _refund_of(ledger: Ledger, charge: str, refund: str) -> dict[str, Any]:
    shown = refunds.show(ledger, refund)
    if shown["charge"] != charge:
        raise InvalidRequest(f"Refund {refund} is not a refund of {charge}", param="refund")
    return shown


@route("GET", "/v1/charges/{charge}/refunds/{refund}")
def retrieve_charge_refund(ledger: Ledger, p: Params, charge: str, refund: str) -> Any:
    p.unknown()
    return _refund_of(ledger, charge, refund)


@route("POST", "/v1/charges/{charge}/refunds/{refund}")
def update_charge_refund(ledger: Ledger, p: Params, charge: str, refund: str) -> Any:
    metadata = p.metadata(_refund_of(ledger, charge, refund)["metadata"])
    p.unknown()
    return refunds.update(ledger, refund, metadata=metadata)


ROUTES = [
    search_intents,
    create_intent,
    list_intents,
    retrieve_intent,
    update_intent,
    confirm_intent,
    cancel_intent,
    capture_intent,
    search_charges,
    create_charge,
    list_charges,
    retrieve_charge,
    update_charge,
    list_charge_refunds,
    create_charge_refund,
    retrieve_charge_refund,
    update_charge_refund,
]
