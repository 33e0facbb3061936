"""Products and prices."""

from __future__ import annotations

from typing import Any

from billcli.api.handlers import listed, paging, route, searched
from billcli.api.params import Params, integer_of
from billcli.core import objects
from billcli.core.objects import empty_list
from billcli.errors import InvalidRequest
from billcli.services.catalog import prices, products
from billcli.services.catalog.prices import PriceInput
from billcli.services.catalog.products import ProductInput
from billcli.store.ledger import Ledger


def _product_input(p: Params, current: dict[str, Any] | None = None) -> Any:
    return ProductInput(
        name=p.text("name"),
        id=p.text("id"),
        description=p.text("description", clearable=True),
        active=p.boolean("active"),
        unit_label=p.text("unit_label", clearable=True),
        statement_descriptor=p.text("statement_descriptor", clearable=True),
        url=p.text("url", clearable=True),
        shippable=p.boolean("shippable"),
        metadata=p.metadata(current["metadata"] if current else None),
        type=p.text("type"),
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
    p.unknown()
    return listed(products.list_products(ledger, request, active=active))


@route("GET", "/v1/products/search")
def search_products(ledger: Ledger, p: Params) -> Any:
    return searched(ledger, p, "product")


def tiers_of(p: Params) -> tuple[str, ...]:
    """`tiers[n][up_to|unit_amount|flat_amount]` as the services' `UPTO:UNIT[:FLAT]`."""
    specs = []
    for n, tier in enumerate(p.maps("tiers")):
        if "up_to" not in tier:
            raise InvalidRequest("Missing up_to", param=f"tiers[{n}][up_to]")
        flat = tier.get("flat_amount")
        spec = f"{tier['up_to']}:{tier.get('unit_amount', '0')}"
        specs.append(spec + (f":{flat}" if flat else ""))
    return tuple(specs)


def _price_input(p: Params, current: dict[str, Any] | None = None) -> Any:
    recurring = p.map("recurring") or {}
    return PriceInput(
        product=p.text("product"),
        currency=p.text("currency"),
        unit_amount=p.amount("unit_amount"),
        billing_scheme=p.text("billing_scheme"),
        tiers_mode=p.text("tiers_mode"),
        tiers=tiers_of(p),
        recurring_interval=recurring.get("interval"),
        interval_count=integer_of(recurring.get("interval_count"), "recurring[interval_count]"),
        lookup_key=p.text("lookup_key"),
        transfer_lookup_key=bool(p.boolean("transfer_lookup_key")),
        nickname=p.text("nickname", clearable=True),
        active=p.boolean("active"),
        metadata=p.metadata(current["metadata"] if current else None),
    )


@route("POST", "/v1/prices")
def create_price(ledger: Ledger, p: Params) -> Any:
    data = _price_input(p)
    p.unknown()
    return prices.create(ledger, data)


@route("GET", "/v1/prices/{price}")
def retrieve_price(ledger: Ledger, p: Params, price: str) -> Any:
    p.unknown()
    return prices.show(ledger, price)


@route("POST", "/v1/prices/{price}")
def update_price(ledger: Ledger, p: Params, price: str) -> Any:
    data = _price_input(p, prices.show(ledger, price))
    p.unknown()
    return prices.update(ledger, price, data)


@route("GET", "/v1/prices")
def list_prices(ledger: Ledger, p: Params) -> Any:
    request, product, active = paging(p, created=True), p.text("product"), p.boolean("active")
    kind, keys = p.text("type"), tuple(p.texts("lookup_keys"))
    p.unknown()
    return listed(
        prices.list_prices(
            ledger, request, product=product, active=active, type_=kind, lookup_keys=keys
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
