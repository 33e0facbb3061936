"""A customer's tax IDs: added (alone or with the customer), listed, shown, deleted.

Stripe has no update: a wrong tax ID is deleted and added again. Verification is
settled when the tax ID is made (`core/tax_ids.py`), so no later event changes it.
A deleted customer's tax IDs stay in the ledger, refused as missing like the customer.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from billcli.core import objects
from billcli.core.ids import check_id, new_id
from billcli.core.pagination import Page, PageRequest
from billcli.core.records import Customer
from billcli.core.records.taxes import TaxId
from billcli.core.tax_id_objects import tax_id as shown
from billcli.core.tax_ids import MAX_PER_CUSTOMER, checked, verification_status
from billcli.errors import InvalidRequest, NotFound
from billcli.services.ledger.events import record
from billcli.services.ledger.lookup import live_customer
from billcli.store.ledger import Ledger, Tx


def add_in(tx: Tx, customer: Customer, type_: str, value: str, *, param: str = "") -> TaxId:
    """A new tax ID of the customer (`customer.tax_id.created`); `param` prefixes the
    parameter an error names (`tax_id_data[0]` on a customer's creation)."""
    try:
        value, country = checked(type_, value)
        if tx.tax_ids.count_of(customer.id) >= MAX_PER_CUSTOMER:
            raise InvalidRequest(
                f"A customer can have at most {MAX_PER_CUSTOMER} tax IDs; "
                f"delete one of {customer.id}'s first",
                param="value",
                code="tax_id_invalid",
            )
    except InvalidRequest as error:
        if param and error.param:
            error.respelled(f"{param}[{error.param}]")
        raise
    made = TaxId(
        id=new_id("tax_id"),
        customer=customer.id,
        created=tx.now,
        type=type_,
        value=value,
        country=country,
        verification_status=verification_status(type_, value),
    )
    tx.tax_ids.add(made)
    record(tx, "customer.tax_id.created", shown(made))
    return made


def add_many_in(tx: Tx, customer: Customer, given: Sequence[tuple[str, str]]) -> None:
    """`tax_id_data` on a customer's creation: each one, in order, in its transaction."""
    for index, (type_, value) in enumerate(given):
        add_in(tx, customer, type_, value, param=f"tax_id_data[{index}]")


def create(ledger: Ledger, customer_id: str, type_: str, value: str) -> dict[str, Any]:
    with ledger.write() as tx:
        return shown(add_in(tx, live_customer(tx, customer_id), type_, value))


def _own(tx: Tx, customer_id: str, tax_id: str) -> TaxId:
    """One of a live customer's tax IDs; another customer's is missing."""
    live_customer(tx, customer_id)
    check_id(tax_id, "tax_id", param="id")
    found = tx.tax_ids.get(tax_id)
    if found is None or found.customer != customer_id:
        raise NotFound("tax ID", tax_id, param="id")
    return found


def show(ledger: Ledger, customer_id: str, tax_id: str) -> dict[str, Any]:
    with ledger.read() as tx:
        return shown(_own(tx, customer_id, tax_id))


def delete(ledger: Ledger, customer_id: str, tax_id: str) -> dict[str, Any]:
    """Delete a tax ID for good (`customer.tax_id.deleted`); invoices finalized with it
    keep it in their `customer_tax_ids`."""
    with ledger.write() as tx:
        found = _own(tx, customer_id, tax_id)
        tx.tax_ids.remove(found.id)
        record(tx, "customer.tax_id.deleted", shown(found))
        return objects.deleted("tax_id", found.id)


def list_tax_ids(ledger: Ledger, customer_id: str, request: PageRequest) -> Page:
    """The customer's tax IDs, newest first."""
    with ledger.read() as tx:
        live_customer(tx, customer_id)
        found, has_more = tx.tax_ids.page(request, customer=customer_id)
        url = f"/v1/customers/{customer_id}/tax_ids"
        return Page(url, [shown(t) for t in found], has_more)
