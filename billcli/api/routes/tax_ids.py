"""A customer's tax IDs (`/v1/customers/{customer}/tax_ids`)."""

from __future__ import annotations

from typing import Any

from billcli.api.handlers import listed, paging, required, route
from billcli.api.params import Params
from billcli.services.customers import tax_ids
from billcli.store.ledger import Ledger


@route("POST", "/v1/customers/{customer}/tax_ids")
def create(ledger: Ledger, p: Params, customer: str) -> Any:
    type_, value = required(p.text("type"), "type"), required(p.text("value"), "value")
    p.unknown()
    return tax_ids.create(ledger, customer, type_, value)


@route("GET", "/v1/customers/{customer}/tax_ids")
def list_all(ledger: Ledger, p: Params, customer: str) -> Any:
    request = paging(p)
    p.unknown()
    return listed(tax_ids.list_tax_ids(ledger, customer, request))


@route("GET", "/v1/customers/{customer}/tax_ids/{id}")
def retrieve(ledger: Ledger, p: Params, customer: str, id: str) -> Any:
    p.unknown()
    return tax_ids.show(ledger, customer, id)


@route("DELETE", "/v1/customers/{customer}/tax_ids/{id}")
def delete(ledger: Ledger, p: Params, customer: str, id: str) -> Any:
    p.unknown()
    return tax_ids.delete(ledger, customer, id)


ROUTES = [create, list_all, retrieve, delete]
