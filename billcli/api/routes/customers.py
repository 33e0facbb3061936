"""Customers, their discount, and their balance transactions."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from typing import Any

from billcli.api.handlers import (
    discount_cleared,
    given,
    listed,
    offer_of,
    one_of,
    paging,
    required,
    route,
    searched,
)
from billcli.api.params import Params, spelled_as
from billcli.core import objects
from billcli.errors import NotFound
from billcli.services.customers import balance, customers, deletion
from billcli.services.customers.customers import CustomerInput
from billcli.store.ledger import Ledger

# Documented on customer create and update; billcli models none of them.
_REFUSED = (
    "cash_balance",
    "tax",
    "validate",
    "bank_account",
    "default_bank_account",
    "default_alipay_account",
)
# What `invoice_settings=` (sent empty) unsets: every setting.
_UNSET_SETTINGS = {
    "default_payment_method": "",
    "invoice_custom_fields": "",
    "invoice_footer": "",
    "invoice_rendering": "",
}


def _older_names(p: Params) -> Callable[[str], str | None]:
    """Errors about a card source named as the request named it (`card`, `default_card`:
    the older names of `source` and `default_source`)."""
    older = {"source": "card", "default_source": "default_card"}
    return {new: old for new, old in older.items() if old in p.values}.get


def _tax_id_data(p: Params) -> tuple[tuple[str, str], ...]:
    """`tax_id_data[n][type]` and `[value]`: the tax IDs a new customer starts with."""
    found = []
    for entry in p.each("tax_id_data"):
        type_ = required(entry.text("type"), entry.spelled("type"))
        value = required(entry.text("value"), entry.spelled("value"))
        entry.unknown()
        found.append((type_, value))
    return tuple(found)


def _input(p: Params, current: dict[str, Any] | None = None) -> Any:
    p.refuse(*_REFUSED)
    # `invoice_settings=` unsets every setting; `invoice_settings[k]=` unsets one.
    unset_all = p.cleared("invoice_settings")
    settings = p.nested("invoice_settings")
    data = dict(
        default_payment_method=settings.text("default_payment_method", clearable=True),
        invoice_custom_fields=given(settings, "custom_fields"),
        invoice_footer=settings.text("footer", clearable=True),
        invoice_rendering=given(settings, "rendering_options"),
    )
    settings.unknown()
    if unset_all:
        data = dict(_UNSET_SETTINGS)
    balance = p.amount("balance")
    held = (current or {}).get("discount")
    locales = p.texts("preferred_locales") if p.has("preferred_locales") else None
    return CustomerInput(
        name=p.text("name", clearable=True),
        email=p.text("email", clearable=True),
        description=p.text("description", clearable=True),
        phone=p.text("phone", clearable=True),
        currency=p.text("currency"),
        balance=balance,
        invoice_prefix=p.text("invoice_prefix"),
        payment_method=p.text("payment_method"),
        **offer_of(p),
        remove_discount=bool(held) and discount_cleared(p),
        source=one_of(p, "source", "card"),
        default_source=one_of(p, "default_source", "default_card") if current else None,
        metadata=p.metadata(current.get("metadata") if current else None),
        address=given(p, "address"),
        shipping=given(p, "shipping"),
        preferred_locales=[""] if p.cleared("preferred_locales") else locales,
        tax_exempt=p.text("tax_exempt", clearable=True),  # "" is `none` again
        business_name=p.text("business_name", clearable=True),
        individual_name=p.text("individual_name", clearable=True),
        next_invoice_sequence=p.integer("next_invoice_sequence"),
        **data,
    )


@route("POST", "/v1/customers")
def create(ledger: Ledger, p: Params) -> Any:
    """A customer, on a test clock when `test_clock` names one: only at creation, as in
    Stripe (an update does not know the parameter)."""
    data = replace(_input(p), test_clock=p.text("test_clock") or None, tax_id_data=_tax_id_data(p))
    p.unknown()
    with spelled_as(_older_names(p)):
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
    with spelled_as(_older_names(p)):
        return customers.update(ledger, customer, data)


@route("DELETE", "/v1/customers/{customer}")
def delete(ledger: Ledger, p: Params, customer: str) -> Any:
    p.unknown()
    deletion.delete(ledger, customer)
    return objects.deleted("customer", customer)


@route("GET", "/v1/customers")
def list_all(ledger: Ledger, p: Params) -> Any:
    request, email = paging(p, created=True), p.text("email")
    clock = p.text("test_clock") or None
    p.unknown()
    return listed(customers.list_customers(ledger, request, email=email, test_clock=clock))


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
        currency=required(p.text("currency"), "currency"),  # the CLI has a default; Stripe none
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
    request, invoice = paging(p, created=True), p.text("invoice")
    p.unknown()
    return listed(balance.list_transactions(ledger, customer, request, invoice=invoice))


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
