"""Products: what is sold; its prices say for how much."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, replace
from typing import Any

from billcli.core import catalog_objects, limits, objects, product_details
from billcli.core.ids import check_id, new_id
from billcli.core.invoicing import check_choice
from billcli.core.metadata import merged, parse_pairs
from billcli.core.pagination import Page, PageRequest
from billcli.core.records.catalog import Product
from billcli.core.urls import http_url
from billcli.errors import InvalidRequest, NotFound
from billcli.services.catalog.price_making import PriceInput, new_price, planned, recorded
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
    type: str | None = None  # the legacy good | service
    # What it shows: a list replaces the one held, "" clears it.
    images: Any = None
    marketing_features: Any = None
    package_dimensions: Any = None
    # Its default price: one of its prices (update), or one made with it (create).
    default_price: str | None = None
    default_price_data: PriceInput | None = None

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
        self.details()
        if self.default_price_data is not None:
            planned(self.default_price_data)
        return self

    def params(self) -> dict[str, Any]:
        """The request's parameters, as its idempotency fingerprint sees them."""
        price = self.default_price_data
        return vars(self) | {"default_price_data": None if price is None else vars(price)}

    def details(self) -> dict[str, Any]:
        """The images, features and dimensions given, checked, as the record's fields."""
        found: dict[str, Any] = {}
        if self.images is not None:
            found["images"] = product_details.images(self.images)
        if self.marketing_features is not None:
            found["marketing_features"] = product_details.features(self.marketing_features)
        if self.package_dimensions is not None:
            found["package_dimensions"] = product_details.package_dimensions(
                self.package_dimensions
            )
        return found


def find(tx: Tx, product_id: str, *, param: str = "product", live: bool = True) -> Product:
    """The product `product_id` names; a deleted one is missing for writes (`live`)."""
    product = found(tx, "product", product_id, tx.products.get, param=param)
    if live and product.deleted:
        raise NotFound("product", product_id, param=param)
    return product


def create(
    ledger: Ledger, data: ProductInput, *, idempotency_key: str | None = None
) -> dict[str, Any]:
    data.checked()
    if not data.name:
        raise InvalidRequest.missing("name")
    with ledger.write() as tx:
        return once(
            tx,
            "products.create",
            idempotency_key,
            data.params(),
            lambda: catalog_objects.product(made(tx, data)),
        )


def made(tx: Tx, data: ProductInput) -> Product:
    """A new product inside an open transaction (a plan may make its product inline)."""
    if data.id is not None and tx.products.get(data.id) is not None:
        raise InvalidRequest.already_exists("Product")
    if data.default_price is not None:
        raise InvalidRequest(
            "Invalid default_price: a new product has no prices yet; give default_price_data",
            param="default_price",
        )
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
        **data.details(),
    )
    price = None
    if data.default_price_data is not None:
        price = new_price(tx, data.default_price_data, product.id)
        product = replace(product, default_price=price.id)
    tx.products.add(product)
    record(tx, "product.created", catalog_objects.product(product))
    if price is not None:
        tx.prices.add(price)
        recorded(tx, "created", None, price)
    return product


def made_inline(tx: Tx, given: Mapping[str, Any], param: str = "product_data") -> Product:
    """The product a price's `product_data` (a plan's `product`) makes: `name`, and what
    a product takes."""
    allowed = ("name", "active", "id", "metadata", "statement_descriptor", "unit_label")
    if "tax_code" in given:
        raise InvalidRequest(
            f"Cannot use {param}[tax_code]: billcli does not model Stripe Tax (its tax codes)",
            param=f"{param}[tax_code]",
        )
    limits.only_keys(given, allowed, param)
    metadata = given.get("metadata") or {}
    if not isinstance(metadata, Mapping):
        raise InvalidRequest(
            f"Invalid {param}[metadata]: expected an object", param=f"{param}[metadata]"
        )
    active = given.get("active")
    data = ProductInput(
        name=given.get("name"),
        id=given.get("id"),
        active=None if active is None else active in (True, "true"),
        statement_descriptor=given.get("statement_descriptor"),
        unit_label=given.get("unit_label"),
        metadata=tuple(f"{k}={v}" for k, v in metadata.items()),
    ).checked()
    if not data.name:
        raise InvalidRequest.missing(f"{param}[name]")
    return made(tx, data)


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
            **data.details(),
        )
        if data.default_price is not None:
            after = replace(after, default_price=_default_price(tx, after, data.default_price))
        if after == before:
            return catalog_objects.product(before)
        after = replace(after, updated=tx.now)
        tx.products.save(after)
        old, new = catalog_objects.product(before), catalog_objects.product(after)
        record(tx, "product.updated", new, previous=objects.changed_attributes(old, new))
        return new


def _default_price(tx: Tx, product: Product, price_id: str) -> str | None:
    """A product's default price: one of its own active prices ("" clears it)."""
    if price_id == "":
        return None
    price = found(tx, "price", price_id, tx.prices.get, param="default_price")
    if price.product != product.id or not price.active:
        raise InvalidRequest(
            f"Invalid default_price: {price.id} is not an active price of {product.id}",
            param="default_price",
        )
    return price.id


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


def list_products(
    ledger: Ledger,
    request: PageRequest,
    *,
    active: bool | None = None,
    ids: tuple[str, ...] = (),
    shippable: bool | None = None,
    url: str | None = None,
    type_: str | None = None,
) -> Page:
    if type_ is not None:
        check_choice(type_, TYPES, "type")
    with ledger.read() as tx:
        products, has_more = tx.products.page(
            request, active=active, ids=ids, shippable=shippable, url=url, type_=type_
        )
    return Page("/v1/products", [catalog_objects.product(p) for p in products], has_more)
