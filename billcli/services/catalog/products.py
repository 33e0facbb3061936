"""Products: what is sold; its prices say for how much."""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import Any

from billcli.core import catalog_objects, limits, objects
from billcli.core.ids import check_id, new_id
from billcli.core.invoicing import check_choice
from billcli.core.metadata import merged, parse_pairs
from billcli.core.pagination import Page, PageRequest
from billcli.core.records.catalog import Product
from billcli.core.urls import http_url
from billcli.errors import InvalidRequest, NotFound
from billcli.services.ledger.events import record
from billcli.services.ledger.idempotency import once
from billcli.services.ledger.lookup import found
from billcli.store.ledger import Ledger, Tx

KIND = "product"
_TEXT = ("name", "description", "unit_label", "statement_descriptor", "url")
TYPES = ("service", "good")  # the legacy `type` the 2023 API still takes


@dataclass(frozen=True)
class ProductInput:
    """Product options as typed; None means "not given", "" clears a field on update."""

    name: str | None = None
    id: str | None = None
    description: str | None = None
    active: bool | None = None
    unit_label: str | None = None
    statement_descriptor: str | None = None
    url: str | None = None
    shippable: bool | None = None
    metadata: tuple[str, ...] = ()
    type: str | None = None

    def checked(self) -> ProductInput:
        for param in _TEXT:
            limits.text(KIND, param, getattr(self, param))
        if self.type is not None:
            check_choice(self.type, TYPES, "type")
        if self.id is not None:
            limits.text(KIND, "id", self.id)
            check_id(self.id, "product", param="id")
        if self.url:
            http_url(self.url, "url")
        parse_pairs(self.metadata)
        return self


def find(tx: Tx, product_id: str, *, param: str = "product", live: bool = True) -> Product:
    """The product `product_id` names; a deleted one is missing for writes (`live`)."""
    product = found("product", product_id, tx.products.get, param=param)
    if live and product.deleted:
        raise NotFound("product", product_id, param=param)
    return product


def create(
    ledger: Ledger, data: ProductInput, *, idempotency_key: str | None = None
) -> dict[str, Any]:
    data.checked()
    if not data.name:
        raise InvalidRequest("Missing name: a product needs a name", param="name")
    with ledger.write() as tx:
        return once(tx, "products.create", idempotency_key, vars(data), lambda: create_in(tx, data))


def create_in(tx: Tx, data: ProductInput) -> dict[str, Any]:
    """A new product inside an open transaction (a plan may make its product inline)."""
    if data.id is not None and tx.products.get(data.id) is not None:
        raise InvalidRequest(f"Invalid id: a product with id '{data.id}' exists", param="id")
    product = Product(
        id=data.id or new_id("product"),
        created=tx.now,
        updated=tx.now,
        name=str(data.name),
        active=data.active is not False,
        description=data.description or None,
        unit_label=data.unit_label or None,
        statement_descriptor=data.statement_descriptor or None,
        url=data.url or None,
        shippable=data.shippable,
        metadata=merged({}, parse_pairs(data.metadata)),
        type=data.type or "service",
    )
    tx.products.add(product)
    shown = catalog_objects.product(product)
    record(tx, "product.created", shown)
    return shown


def update(ledger: Ledger, product_id: str, data: ProductInput) -> dict[str, Any]:
    data.checked()
    if data.id is not None:
        raise InvalidRequest("Invalid id: a product's id never changes", param="id")
    if data.type is not None:
        raise InvalidRequest("Invalid type: a product's type never changes", param="type")
    if data.name == "":
        raise InvalidRequest("Invalid name: a product needs a name", param="name")
    with ledger.write() as tx:
        before = find(tx, product_id, param="id")
        after = replace(
            before,
            name=data.name or before.name,
            description=_given(before.description, data.description),
            unit_label=_given(before.unit_label, data.unit_label),
            statement_descriptor=_given(before.statement_descriptor, data.statement_descriptor),
            url=_given(before.url, data.url),
            active=before.active if data.active is None else data.active,
            shippable=before.shippable if data.shippable is None else data.shippable,
            metadata=merged(before.metadata, parse_pairs(data.metadata)),
        )
        if after == before:
            return catalog_objects.product(before)
        after = replace(after, updated=tx.now)
        tx.products.save(after)
        old, new = catalog_objects.product(before), catalog_objects.product(after)
        record(tx, "product.updated", new, previous=objects.changed_attributes(old, new))
        return new


def _given(current: str | None, value: str | None) -> str | None:
    """An updated text field: unchanged when not given, cleared by ""."""
    return current if value is None else value or None


def delete(ledger: Ledger, product_id: str) -> dict[str, Any]:
    """Delete a product that has no prices (Stripe's rule); archive one that has."""
    with ledger.write() as tx:
        product = find(tx, product_id, param="id")
        if tx.prices.count_of_product(product.id):  # deleted plans no longer count
            raise InvalidRequest(
                f"This product cannot be deleted because it has one or more prices; archive "
                f"it instead (`billcli products update {product.id} --inactive`)",
                param="id",
            )
        gone = replace(product, deleted=True, updated=tx.now)
        tx.products.save(gone)
        record(tx, "product.deleted", catalog_objects.product(product))
        return catalog_objects.product(gone)


def show(ledger: Ledger, product_id: str) -> dict[str, Any]:
    with ledger.read() as tx:
        return catalog_objects.product(find(tx, product_id, param="id", live=False))


def list_products(ledger: Ledger, request: PageRequest, *, active: bool | None = None) -> Page:
    with ledger.read() as tx:
        products, has_more = tx.products.page(request, active=active)
    return Page("/v1/products", [catalog_objects.product(p) for p in products], has_more)
