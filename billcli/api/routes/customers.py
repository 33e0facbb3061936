"""Customers, their discount, and their balance transactions."""

from __future__ import annotations

from typing import Any

from billcli.api.handlers import (
    discount_cleared,
    listed,
    offer_of,
    paging,
    required,
    route,
    searched,
)
from billcli.api.params import Params, only
from billcli.core import objects
from billcli.errors import InvalidRequest, NotFound
from billcli.services.customers import balance, customers, deletion
from billcli.services.customers.customers import CustomerInput
from billcli.store.ledger import Ledger


def _default_method(p: Params) -> str | None:
    """`invoice_settings[default_payment_method]` (the only invoice setting billcli keeps);
    "" unsets it, as `invoice_settings=` does."""
    if p.cleared("invoice_settings"):
        return ""
    settings = p.map("invoice_settings") or {}
    only(settings, ("default_payment_method",), "invoice_settings")
    method = settings.get("default_payment_method")
    if method is not None and not isinstance(method, str):
        raise InvalidRequest(
            "Invalid invoice_settings[default_payment_method]: expected a string",
            param="invoice_settings[default_payment_method]",
        )
    return method


def _input(p: Params, current: dict[str, Any] | None = None) -> Any:
    balance = p.amount("balance")
    held = (current or {}).get("discount")
    return CustomerInput(
        name=p.text("name", clearable=True),
        email=p.text("email", clearable=True),
        description=p.text("description", clearable=True),
        phone=p.text("phone", clearable=True),
        currency=p.text("currency"),
        balance=balance,
        invoice_prefix=p.text("invoice_prefix"),
        payment_method=p.text("payment_method"),
        default_payment_method=_default_method(p),
        **offer_of(p),
        remove_discount=bool(held) and discount_cleared(p),
        source=p.text("source"),
        default_source=p.text("default_source") if current else None,
        metadata=p.metadata(current["metadata"] if current else None),
    )


@route("POST", "/v1/customers")
def create(ledger: Ledger, p: Params) -> Any:
    data = _input(p)
    p.unknown()
    return customers.create(ledger, data)


@route("GET", "/v1/customers/{customer}")
def retrieve(ledger: Ledger, p: Params, customer: str) -> Any:
    p.unknown()
    return customers.show(ledger, customer)


@route("POST", "/v1/customers/{customer}")
def update(ledger: Ledger, p: Params, customer: str) -> Any:
    current = customers.show(ledger, customer)
    data = _input(p, current)
    p.unknown()
    return customers.update(ledger, customer, data)


@route("DELETE", "/v1/customers/{customer}")
def delete(ledger: Ledger, p: Params, customer: str) -> Any:
    p.unknown()
    deletion.delete(ledger, customer)
    return objects.deleted("customer", customer)


@route("GET", "/v1/customers")
def list_all(ledger: Ledger, p: Params) -> Any:
    request, email = paging(p, created=True), p.text("email")
    p.unknown()
    return listed(customers.list_customers(ledger, request, email=email))


@route("GET", "/v1/customers/search")
def search(ledger: Ledger, p: Params) -> Any:
    return searched(ledger, p, "customer")


@route("GET", "/v1/customers/{customer}/discount")
def retrieve_discount(ledger: Ledger, p: Params, customer: str) -> Any:
    p.unknown()
    held = customers.show(ledger, customer).get("discount")
    if not held:
        raise NotFound(
            "discount",
            customer,
            param="customer",
            message=f"No active discount for customer: '{customer}'",
        )
    return held


@route("DELETE", "/v1/customers/{customer}/discount")
def delete_discount(ledger: Ledger, p: Params, customer: str) -> Any:
    p.unknown()
    before = customers.show(ledger, customer).get("discount")
    customers.update(ledger, customer, CustomerInput(remove_discount=True))
    return {**(before or {}), "deleted": True} if before else {"deleted": True}


@route("POST", "/v1/customers/{customer}/balance_transactions")
def create_transaction(ledger: Ledger, p: Params, customer: str) -> Any:
    data = balance.AdjustmentInput(
        customer=customer,
        amount=required(p.amount("amount"), "amount"),
        currency=p.text("currency"),
        description=p.text("description"),
        metadata=p.metadata(),
    )
    p.unknown()
    return balance.create(ledger, data)


@route("GET", "/v1/customers/{customer}/balance_transactions/{transaction}")
def retrieve_transaction(ledger: Ledger, p: Params, customer: str, transaction: str) -> Any:
    p.unknown()
    return balance.show(ledger, customer, transaction)


@route("POST", "/v1/customers/{customer}/balance_transactions/{transaction}")
def update_transaction(ledger: Ledger, p: Params, customer: str, transaction: str) -> Any:
    current = balance.show(ledger, customer, transaction)
    description = p.text("description", clearable=True)
    metadata = p.metadata(current["metadata"])
    p.unknown()
    return balance.update(ledger, customer, transaction, description=description, metadata=metadata)


@route("GET", "/v1/customers/{customer}/balance_transactions")
def list_transactions(ledger: Ledger, p: Params, customer: str) -> Any:
    request = paging(p)
    p.unknown()
    return listed(balance.list_transactions(ledger, customer, request))


ROUTES = [
    search,
    create,
    list_all,
    retrieve,
    update,
    delete,
    retrieve_discount,
    delete_discount,
    create_transaction,
    list_transactions,
    retrieve_transaction,
    update_transaction,
]
