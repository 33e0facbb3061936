"""Payment methods (and a customer's), setup intents, refunds and invoice payments;
payment intents and charges are in `payment_intents.py`."""

from __future__ import annotations

from typing import Any

from billcli.api.handlers import listed, paging, required, route
from billcli.api.params import Params
from billcli.errors import InvalidRequest
from billcli.services.payments import invoice_payments, methods, refunds, setup_intents
from billcli.services.payments.setup_intents import SetupInput
from billcli.store.ledger import Ledger


def _token(p: Params) -> str:
    """`card[token]=tok_visa` (or a `pm_card_…` name); billcli keeps no card numbers."""
    p.text("type")
    card = p.map("card") or {}
    given = card.get("token") or p.text("payment_method")
    if set(card) - {"token"}:
        raise InvalidRequest(
            "Invalid card: billcli keeps no card data; give card[token]=tok_visa (or another "
            "Stripe test token)",
            param="card",
        )
    return str(required(given, "card[token]"))


@route("POST", "/v1/payment_methods")
def create_method(ledger: Ledger, p: Params) -> Any:
    token, customer = _token(p), p.text("customer")
    details, metadata = p.map("billing_details"), p.metadata()
    p.unknown()
    return methods.create(
        ledger, token, customer=customer, billing_details=details, metadata=metadata
    )


@route("GET", "/v1/payment_methods")
def list_methods(ledger: Ledger, p: Params) -> Any:
    request, customer, kind = paging(p), p.text("customer"), p.text("type")
    p.unknown()
    return listed(methods.list_methods(ledger, request, customer=customer, type_=kind))


@route("GET", "/v1/payment_methods/{payment_method}")
def retrieve_method(ledger: Ledger, p: Params, payment_method: str) -> Any:
    p.unknown()
    return methods.show(ledger, payment_method)


@route("POST", "/v1/payment_methods/{payment_method}")
def update_method(ledger: Ledger, p: Params, payment_method: str) -> Any:
    current = methods.show(ledger, payment_method)
    details, metadata = p.map("billing_details"), p.metadata(current["metadata"])
    p.unknown()
    return methods.update(ledger, payment_method, metadata=metadata, billing_details=details)


@route("POST", "/v1/payment_methods/{payment_method}/attach")
def attach_method(ledger: Ledger, p: Params, payment_method: str) -> Any:
    customer = required(p.text("customer"), "customer")
    p.unknown()
    return methods.attach(ledger, payment_method, customer)


@route("POST", "/v1/payment_methods/{payment_method}/detach")
def detach_method(ledger: Ledger, p: Params, payment_method: str) -> Any:
    p.unknown()
    return methods.detach(ledger, payment_method)


@route("GET", "/v1/customers/{customer}/payment_methods")
def list_customer_methods(ledger: Ledger, p: Params, customer: str) -> Any:
    request, kind = paging(p), p.text("type")
    p.unknown()
    return listed(methods.list_methods(ledger, request, customer=customer, type_=kind))


@route("GET", "/v1/customers/{customer}/payment_methods/{payment_method}")
def retrieve_customer_method(ledger: Ledger, p: Params, customer: str, payment_method: str) -> Any:
    p.unknown()
    return methods.show_of_customer(ledger, customer, payment_method)


def _types(p: Params) -> None:
    """`payment_method_types`: cards are what billcli has."""
    for kind in p.texts("payment_method_types"):
        if kind != "card":
            raise InvalidRequest(
                f"Invalid payment_method_types: '{kind}' (billcli's payment methods are cards)",
                param="payment_method_types",
            )


@route("POST", "/v1/setup_intents")
def create_setup_intent(ledger: Ledger, p: Params) -> Any:
    _types(p)
    data = SetupInput(
        customer=p.text("customer"),
        payment_method=p.text("payment_method"),
        usage=p.text("usage"),
        description=p.text("description"),
        metadata=p.metadata(),
        confirm=bool(p.boolean("confirm")),
        return_url=p.text("return_url"),
    )
    p.unknown()
    return setup_intents.create(ledger, data)


@route("GET", "/v1/setup_intents")
def list_setup_intents(ledger: Ledger, p: Params) -> Any:
    request, customer = paging(p, created=True), p.text("customer")
    p.unknown()
    return listed(setup_intents.list_setup_intents(ledger, request, customer=customer))


@route("GET", "/v1/setup_intents/{intent}")
def retrieve_setup_intent(ledger: Ledger, p: Params, intent: str) -> Any:
    p.text("client_secret")
    p.unknown()
    return setup_intents.show(ledger, intent)


@route("POST", "/v1/setup_intents/{intent}")
def update_setup_intent(ledger: Ledger, p: Params, intent: str) -> Any:
    current = setup_intents.show(ledger, intent)
    description = p.text("description", clearable=True)
    metadata = p.metadata(current["metadata"])
    p.unknown()
    return setup_intents.update(ledger, intent, description=description, metadata=metadata)


@route("POST", "/v1/setup_intents/{intent}/confirm")
def confirm_setup_intent(ledger: Ledger, p: Params, intent: str) -> Any:
    method, return_url = p.text("payment_method"), p.text("return_url")
    p.unknown()
    return setup_intents.confirm(ledger, intent, payment_method=method, return_url=return_url)


@route("POST", "/v1/setup_intents/{intent}/cancel")
def cancel_setup_intent(ledger: Ledger, p: Params, intent: str) -> Any:
    reason = p.text("cancellation_reason")
    p.unknown()
    return setup_intents.cancel(ledger, intent, reason=reason)


def refund_input(p: Params, charge: str | None = None) -> dict[str, Any]:
    return {
        "charge": charge or p.text("charge"),
        "payment_intent": None if charge else p.text("payment_intent"),
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
    request, invoice, status = paging(p), p.text("invoice"), p.text("status")
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
