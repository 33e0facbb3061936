"""Products and prices."""

from __future__ import annotations

from dataclasses import replace
from typing import Any

from billcli.api.handlers import given, listed, paging, route, searched
from billcli.api.params import Params, spelled_as
from billcli.api.routes.price_params import price_data, price_input, request_name
from billcli.core import objects
from billcli.core.objects import empty_list
from billcli.services.catalog import prices, products
from billcli.services.catalog.products import ProductInput
from billcli.store.ledger import Ledger


def _product_input(p: Params, current: dict[str, Any] | None = None) -> Any:
    p.refuse("tax_code", "tax_details")
    features = "marketing_features" if p.has("marketing_features") else "features"
    return ProductInput(
        name=p.text("name"),
        id=p.text("id"),
        description=p.text("description", clearable=True),
        active=p.boolean("active"),
        unit_label=p.text("unit_label", clearable=True),
        statement_descriptor=p.text("statement_descriptor", clearable=True),
        url=p.text("url", clearable=True),
        shippable=p.boolean("shippable"),
        metadata=p.metadata(current.get("metadata") if current else None),
        type=p.text("type"),
        images=given(p, "images"),
        marketing_features=given(p, features),
        package_dimensions=given(p, "package_dimensions"),
        default_price=p.text("default_price"),
        default_price_data=price_data(p, "default_price_data"),
    )


@route("POST", "/v1/products")
def create_product(ledger: Ledger, p: Params) -> Any:
    data = _product_input(p)
    p.unknown()
    return products.create(ledger, data)


@route("GET", "/v1/products/{id}")
def retrieve_product(ledger: Ledger, p: Params, id: str) -> Any:
    p.unknown()
    return products.show(ledger, id)


@route("POST", "/v1/products/{id}")
def update_product(ledger: Ledger, p: Params, id: str) -> Any:
    data = _product_input(p, products.show(ledger, id))
    p.unknown()
    return products.update(ledger, id, data)


@route("DELETE", "/v1/products/{id}")
def delete_product(ledger: Ledger, p: Params, id: str) -> Any:
    p.unknown()
    products.delete(ledger, id)
    return objects.deleted("product", id)


@route("GET", "/v1/products/{id}/features")
def list_product_features(ledger: Ledger, p: Params, id: str) -> Any:
    """A product's entitlement features: billcli models no entitlements, so the list of
    an existing product is empty."""
    paging(p)
    p.unknown()
    products.show(ledger, id)
    return empty_list(f"/v1/products/{id}/features")


@route("GET", "/v1/products")
def list_products(ledger: Ledger, p: Params) -> Any:
    request, active = paging(p, created=True), p.boolean("active")
    ids, shippable, url = tuple(p.texts("ids")), p.boolean("shippable"), p.text("url")
    type_ = p.text("type")
    p.unknown()
    return listed(
        products.list_products(
            ledger, request, active=active, ids=ids, shippable=shippable, url=url, type_=type_
        )
    )


@route("GET", "/v1/products/search")
def search_products(ledger: Ledger, p: Params) -> Any:
    return searched(ledger, p, "product")


def _price_input(p: Params, current: dict[str, Any] | None = None) -> Any:
    product = p.map("product_data") if isinstance(p.values.get("product_data"), dict) else None
    p.has("product_data")
    data = price_input(p, metadata=p.metadata(current.get("metadata") if current else None))
    return replace(data, product_data=product)


@route("POST", "/v1/prices")
def create_price(ledger: Ledger, p: Params) -> Any:
    data = _price_input(p)
    p.unknown()
    with spelled_as(request_name):
        return prices.create(ledger, data)


@route("GET", "/v1/prices/{price}")
def retrieve_price(ledger: Ledger, p: Params, price: str) -> Any:
    p.unknown()
    return prices.show(ledger, price)


@route("POST", "/v1/prices/{price}")
def update_price(ledger: Ledger, p: Params, price: str) -> Any:
    data = _price_input(p, prices.show(ledger, price))
    p.unknown()
    with spelled_as(request_name):
        return prices.update(ledger, price, data)


@route("GET", "/v1/prices")
def list_prices(ledger: Ledger, p: Params) -> Any:
    request, product, active = paging(p, created=True), p.text("product"), p.boolean("active")
    kind, keys = p.text("type"), tuple(p.texts("lookup_keys"))
    currency, recurring = p.text("currency"), p.nested("recurring")
    interval, usage = recurring.text("interval"), recurring.text("usage_type")
    recurring.unknown()
    p.unknown()
    return listed(
        prices.list_prices(
            ledger,
            request,
            product=product,
            active=active,
            type_=kind,
            lookup_keys=keys,
            currency=currency,
            interval=interval,
            usage_type=usage,
        )
    )


@route("GET", "/v1/prices/search")
def search_prices(ledger: Ledger, p: Params) -> Any:
    return searched(ledger, p, "price")


ROUTES = [
    search_products,
    create_product,
    list_products,
    retrieve_product,
    list_product_features,
    update_product,
    delete_product,
    search_prices,
    create_price,
    list_prices,
    retrieve_price,
    update_price,
]
