"""Payment methods: made from test tokens, attached and detached, updated, shown and
listed; which of a customer's methods a payment or a default may name.

Each use of a test token makes a new method (notes §1.1): attaching `pm_card_visa` gives
a fresh `pm_…` with the card's fingerprint. Detaching is permanent, as in Stripe.
"""

from __future__ import annotations

from dataclasses import replace
from typing import Any

from billcli.core import limits, payment_objects
from billcli.core.ids import check_id, new_id
from billcli.core.metadata import merged, parse_pairs
from billcli.core.pagination import Page, PageRequest
from billcli.core.payments import TestCard, attachable_card, is_token, test_card
from billcli.core.records import Customer
from billcli.core.records.payments import PaymentMethod
from billcli.core.subscriptions import ENDED
from billcli.errors import InvalidRequest, NotFound
from billcli.services.customers.balance import record_customer_update
from billcli.services.ledger.events import record, record_update
from billcli.services.ledger.lookup import live_customer
from billcli.store.ledger import Ledger, Tx

BILLING_FIELDS = ("address", "email", "name", "phone")
_USED_UP = (
    "This PaymentMethod was previously used without being attached to a Customer or was "
    "detached from a Customer, and may not be used again."
)


def find_method(tx: Tx, pm_id: str, *, param: str = "payment_method") -> PaymentMethod:
    """A `pm_` id the ledger holds; a test token is no id (it makes a method when used)."""
    if is_token(pm_id):
        raise NotFound(
            "PaymentMethod",
            pm_id,
            param=param,
            message=f"No such PaymentMethod: '{pm_id}' (a test token, not an id)",
        )
    check_id(pm_id, "card" if pm_id.startswith("card_") else "payment_method", param=param)
    method = tx.payment_methods.get(pm_id)
    if method is None:
        raise NotFound(
            "PaymentMethod", pm_id, param=param, message=f"No such PaymentMethod: '{pm_id}'"
        )
    return method


def made(
    tx: Tx,
    card: TestCard,
    customer: str | None,
    *,
    billing_details: dict[str, Any] | None = None,
    metadata: dict[str, str] | None = None,
    allow_redisplay: str = "unspecified",
) -> PaymentMethod:
    """A new method of `card`, attached to `customer` if one is given (one event)."""
    method = PaymentMethod(
        id=new_id("payment_method"),
        customer=customer,
        created=tx.now,
        test_name=card.name,
        brand=card.brand,
        last4=card.last4,
        metadata=metadata or {},
        billing_details=billing_details,
        allow_redisplay=allow_redisplay,
    )
    tx.payment_methods.add(method)
    if customer is not None:
        record(tx, "payment_method.attached", payment_objects.payment_method(method))
    return method


def attach_card(
    tx: Tx, customer_id: str, token: str, *, param: str = "payment_method"
) -> PaymentMethod:
    """A new method from a test token, attached to the customer; decline cards refuse."""
    return made(tx, attachable_card(token, param=param), customer_id)


def customer_method(tx: Tx, customer_id: str, value: str, *, param: str) -> PaymentMethod:
    """What a default payment method may be: one of the customer's own methods, or a test
    token attached to them for the purpose."""
    if is_token(value):
        return attach_card(tx, customer_id, value, param=param)
    method = find_method(tx, value, param=param)
    if method.customer != customer_id:
        raise InvalidRequest(
            f"The customer does not have a payment method with the ID {value}. The payment "
            "method must be attached to the customer.",
            param=param,
        )
    return method


def usable_method(tx: Tx, value: str, customer_id: str | None, *, param: str) -> PaymentMethod:
    """The method a payment is made with: a test token makes one of nobody (decline cards
    included: they pay, and fail, without being saved); an id must be the customer's, or
    nobody's and never detached."""
    if is_token(value):
        return made(tx, test_card(value, param=param), None)
    method = find_method(tx, value, param=param)
    if method.detached_at is not None:
        raise InvalidRequest(_USED_UP, param=param)
    if method.customer is not None and method.customer != customer_id:
        raise InvalidRequest(
            f"Invalid {param}: {value} is attached to another customer; payment methods "
            "attached to other customers cannot be used here",
            param=param,
        )
    return method


def set_default(tx: Tx, customer: Customer, value: str, *, param: str) -> Customer:
    """The customer with `value` (theirs, or a test token attached now) as their default."""
    method = customer_method(tx, customer.id, value, param=param)
    changed = replace(customer, default_payment_method=method.id)
    tx.customers.save(changed)
    return changed


def create(
    ledger: Ledger,
    token: str,
    *,
    customer: str | None = None,
    billing_details: dict[str, Any] | None = None,
    metadata: tuple[str, ...] = (),
    allow_redisplay: str | None = None,
) -> dict[str, Any]:
    """A method from a test token; with `customer`, attached to them at once."""
    card = test_card(token, param="token")
    details = _billing(billing_details)
    pairs = parse_pairs(metadata)
    with ledger.write() as tx:
        owner = None
        if customer is not None:
            owner = live_customer(tx, customer).id
            attachable_card(token, param="token")
        method = made(
            tx,
            card,
            owner,
            billing_details=details,
            metadata=merged({}, pairs),
            allow_redisplay=allow_redisplay or "unspecified",
        )
        return payment_objects.payment_method(method)


def _billing(given: dict[str, Any] | None) -> dict[str, Any] | None:
    if not given:
        return None
    limits.only_keys(given, BILLING_FIELDS, "billing_details")
    return dict(given)


def attach(ledger: Ledger, pm_id: str, customer_id: str) -> dict[str, Any]:
    """Attach a method (or a test token, which makes one) to a customer."""
    with ledger.write() as tx:
        customer = live_customer(tx, customer_id)
        if is_token(pm_id):
            return payment_objects.payment_method(attach_card(tx, customer.id, pm_id))
        method = find_method(tx, pm_id)
        if method.customer == customer.id:
            return payment_objects.payment_method(method)
        if method.customer is not None:
            raise InvalidRequest(
                "The payment method you provided has already been attached to a customer.",
                param="payment_method",
            )
        if method.detached_at is not None:
            raise InvalidRequest(_USED_UP, param="payment_method")
        attachable_card(method.test_name)
        attached = replace(method, customer=customer.id)
        tx.payment_methods.save(attached)
        shown = payment_objects.payment_method(attached)
        record(tx, "payment_method.attached", shown)
        return shown


def detach(ledger: Ledger, pm_id: str) -> dict[str, Any]:
    """Detach a method for good; a customer's default is cleared, a live subscription's
    default is refused (its next renewal would have nothing to charge)."""
    with ledger.write() as tx:
        method = find_method(tx, pm_id)
        if method.customer is None:
            raise InvalidRequest(
                f"The payment method {pm_id} is not attached to a customer.",
                param="payment_method",
            )
        check_not_charged(tx, method, param="payment_method")
        customer = tx.customers.get(method.customer)
        if customer is not None:
            cleared = without_default(customer, method.id)
            if cleared != customer:
                tx.customers.save(cleared)
                record_customer_update(tx, customer, cleared)
        detached = replace(method, customer=None, detached_at=tx.now)
        tx.payment_methods.save(detached)
        shown = payment_objects.payment_method(detached)
        record(tx, "payment_method.detached", shown)
        return shown


def check_not_charged(tx: Tx, method: PaymentMethod, *, param: str) -> None:
    """Refuse to take away a live subscription's default method: its next renewal would
    have nothing to charge (billcli asks for another default first)."""
    for sub in tx.subscriptions.of_customer(str(method.customer)):
        if sub.default_payment_method == method.id and sub.status not in ENDED:
            raise InvalidRequest(
                f"Invalid {param}: {method.id} is the default payment method of subscription "
                f"{sub.id} ({sub.status}); give it another with `billcli subscriptions update "
                f"{sub.id} --default-payment-method PM` first",
                param=param,
            )


def without_default(customer: Customer, method_id: str) -> Customer:
    """The customer with neither default (payment method, source) naming `method_id`."""
    return replace(
        customer,
        default_payment_method=None
        if customer.default_payment_method == method_id
        else customer.default_payment_method,
        default_source=None if customer.default_source == method_id else customer.default_source,
    )


def update(
    ledger: Ledger,
    pm_id: str,
    *,
    metadata: tuple[str, ...] = (),
    billing_details: dict[str, Any] | None = None,
    allow_redisplay: str | None = None,
) -> dict[str, Any]:
    """Change a saved method's billing details, metadata or `allow_redisplay` (Stripe:
    it must be attached)."""
    pairs = parse_pairs(metadata)
    details = _billing(billing_details)
    with ledger.write() as tx:
        method = find_method(tx, pm_id)
        if method.customer is None:
            raise InvalidRequest(
                "You must save this PaymentMethod to a customer before you can update it.",
                param="payment_method",
            )
        after = replace(
            method,
            metadata=merged(method.metadata, pairs),
            billing_details=method.billing_details
            if details is None
            else {**(method.billing_details or {}), **details},
            allow_redisplay=allow_redisplay or method.allow_redisplay,
        )
        return record_update(
            tx,
            "payment_method.updated",
            method,
            after,
            save=tx.payment_methods.save,
            show=payment_objects.payment_method,
        )


def show(ledger: Ledger, pm_id: str) -> dict[str, Any]:
    with ledger.read() as tx:
        return payment_objects.payment_method(find_method(tx, pm_id))


def show_of_customer(ledger: Ledger, customer_id: str, pm_id: str) -> dict[str, Any]:
    """One of a customer's methods (`/v1/customers/{c}/payment_methods/{pm}`)."""
    with ledger.read() as tx:
        live_customer(tx, customer_id)
        method = find_method(tx, pm_id)
        if method.customer != customer_id:
            raise NotFound(
                "PaymentMethod",
                pm_id,
                param="payment_method",
                message=f"No such PaymentMethod: '{pm_id}'",
            )
        return payment_objects.payment_method(method)


def list_methods(
    ledger: Ledger,
    request: PageRequest,
    *,
    customer: str | None = None,
    type_: str | None = None,
    allow_redisplay: str | None = None,
) -> Page:
    """Newest first; a customer's (their saved ones), or every method."""
    if type_ not in (None, "card"):
        raise InvalidRequest(
            f"Invalid type: '{type_}' (billcli's payment methods are cards)", param="type"
        )
    with ledger.read() as tx:
        url = "/v1/payment_methods"
        if customer is not None:
            live_customer(tx, customer)
            url = f"/v1/customers/{customer}/payment_methods"
        found, has_more = tx.payment_methods.page(
            request, customer=customer, allow_redisplay=allow_redisplay
        )
        return Page(url, [payment_objects.payment_method(m) for m in found], has_more)
