"""Prices: how much a product costs, once or every period; never changed, only replaced."""

from __future__ import annotations

from dataclasses import replace
from typing import Any

from billcli.core import catalog_objects, limits, objects
from billcli.core.catalog import PRICE_TYPES
from billcli.core.invoicing import check_choice
from billcli.core.metadata import merged, parse_pairs
from billcli.core.money import normalize_currency
from billcli.core.pagination import Page, PageRequest
from billcli.core.price_options import currency_options
from billcli.core.records.catalog import Price, Product
from billcli.errors import InvalidRequest, NotFound
from billcli.services.catalog import products
from billcli.services.catalog.price_making import (
    PriceInput,
    new_price,
    planned,
    recorded,
    saved,
    take_lookup_key,
)
from billcli.services.ledger.idempotency import once
from billcli.services.ledger.lookup import found
from billcli.store.ledger import Ledger, Tx

KIND = "price"
# What a price is: never changed once it exists.
_FIXED = (
    "product",
    "currency",
    "unit_amount",
    "billing_scheme",
    "tiers_mode",
    "recurring_interval",
    "interval_count",
    "transform_quantity",
    "trial_period_days",
    "product_data",
    "usage_type",
    "meter",
)


def find(tx: Tx, price_id: str, *, param: str = "price", live: bool = True) -> Price:
    """The price `price_id` names (a plan's id names its price); a deleted plan is
    missing for new uses (`live`)."""
    price = found(tx, "price", price_id, tx.prices.get, param=param)
    if live and price.deleted:
        raise NotFound("price", price_id, param=param)
    return price


def usable(
    tx: Tx, price_id: str, *, param: str, recurring: bool, set_up: bool = False
) -> tuple[Price, Product]:
    """A price new purchases may use (active, of an active product) and of the right
    type: recurring for subscriptions, one-time for invoice items (facts §1). A plan is
    a recurring price. A purchase `set_up` earlier (a Checkout Session, whose prices
    were checked when it was made) completes with the prices it was set up with, as
    they are now: its own inactive inline ones, and a price or product archived since,
    are not checked again (archiving stops new purchases, not one already set up)."""
    price = find(tx, price_id, param=param)
    product = products.find(tx, price.product, param=param)
    if not set_up:
        _require_active(price, product, param)
    if recurring and price.type != "recurring":
        raise InvalidRequest(
            f"Invalid {param}: {price.id} is a one-time price; a subscription needs recurring "
            "prices",
            param=param,
        )
    if not recurring and price.type != "one_time":
        raise InvalidRequest(
            "The price specified is set to `type=recurring` but this field only accepts "
            f"prices with `type=one_time` ({price.id}; a plan is a recurring price).",
            param=param,
        )
    return price, product


def _require_active(price: Price, product: Product, param: str) -> None:
    if not price.active:
        raise InvalidRequest(
            f"Invalid {param}: the price specified is inactive ({price.id}); only active "
            "prices can be used",
            param=param,
        )
    if not product.active:
        raise InvalidRequest(
            f"Invalid {param}: the product {product.id} of {price.id} is marked as inactive",
            param=param,
        )


def create(
    ledger: Ledger, data: PriceInput, *, idempotency_key: str | None = None
) -> dict[str, Any]:
    if data.product is None and data.product_data is None:
        raise InvalidRequest(
            "Missing required param: product (or product_data).",
            param="product",
            code="parameter_missing",
        )
    if data.product is not None and data.product_data is not None:
        raise InvalidRequest(
            "Invalid product_data: give product or product_data, not both", param="product_data"
        )
    planned(data)
    with ledger.write() as tx:
        return once(
            tx,
            "prices.create",
            idempotency_key,
            vars(data),
            lambda: catalog_objects.price(create_in(tx, data)),
        )


def create_in(tx: Tx, data: PriceInput, *, price_id: str | None = None) -> Price:
    """A new price of `data.product` or of a product made with it (a plan: a recurring
    price with its own id), recorded as `price.created` (and `plan.created`)."""
    product_id = (
        products.find(tx, data.product, param="product").id
        if data.product is not None
        else products.made_inline(tx, data.product_data or {}).id
    )
    price = new_price(tx, data, product_id, price_id=price_id)
    tx.prices.add(price)
    recorded(tx, "created", None, price)
    return price


def update(ledger: Ledger, price_id: str, data: PriceInput) -> dict[str, Any]:
    """Only `active`, `nickname`, `lookup_key`, currency options, metadata and an
    unspecified `tax_behavior` change (facts §1.2)."""
    data.checked()
    fixed = [name for name in _FIXED if getattr(data, name) is not None]
    fixed += ["tiers"] if data.tiers else []
    if fixed:
        raise InvalidRequest(
            f"Invalid {fixed[0]}: a price's amounts, currency, interval and product never "
            "change; create a new price (and move the lookup key with --transfer-lookup-key)",
            param=fixed[0],
        )
    with ledger.write() as tx:
        return update_in(tx, find(tx, price_id), data)


def update_in(
    tx: Tx, before: Price, data: PriceInput, *, trial_period_days: int | None = None
) -> dict[str, Any]:
    """Change what may change of a price (a plan's trial days too), inside a transaction."""
    behavior = data.tax_behavior or before.tax_behavior
    if behavior != before.tax_behavior and before.tax_behavior != "unspecified":
        raise InvalidRequest(
            f"Invalid tax_behavior: {before.id} is {before.tax_behavior}; once inclusive "
            "or exclusive, a price's tax_behavior never changes (as in Stripe)",
            param="tax_behavior",
        )
    after = replace(
        before,
        active=before.active if data.active is None else data.active,
        nickname=before.nickname if data.nickname is None else data.nickname or None,
        metadata=merged(before.metadata, parse_pairs(data.metadata)),
        tax_behavior=behavior,
        trial_period_days=(
            before.trial_period_days if trial_period_days is None else trial_period_days or None
        ),
    )
    if data.currency_options is not None:
        options = currency_options(data.currency_options, before.currency, before.billing_scheme)
        after = replace(after, currency_options={**before.currency_options, **options})
    if data.lookup_key is not None:
        after = take_lookup_key(tx, after, data.lookup_key, data.transfer_lookup_key)
    return saved(tx, before, after)


def show(ledger: Ledger, price_id: str) -> dict[str, Any]:
    """The price, or the deleted stub of a deleted plan's price."""
    with ledger.read() as tx:
        price = find(tx, price_id, param="id", live=False)
        return objects.deleted("price", price.id) if price.deleted else catalog_objects.price(price)


def list_prices(
    ledger: Ledger,
    request: PageRequest,
    *,
    product: str | None = None,
    active: bool | None = None,
    type_: str | None = None,
    lookup_keys: tuple[str, ...] = (),
    currency: str | None = None,
    interval: str | None = None,
    usage_type: str | None = None,
) -> Page:
    """Prices, newest first; `currency` and `recurring` filter as Stripe's list does
    (every billcli price is `licensed`: `metered` finds none)."""
    if type_ is not None:
        check_choice(type_, PRICE_TYPES, "type")
    if interval is not None:
        check_choice(interval, limits.ENUMS["interval"], "recurring[interval]")
    if usage_type is not None:
        check_choice(usage_type, ("licensed", "metered"), "recurring[usage_type]")
        if usage_type == "metered":
            return Page("/v1/prices", [], False)
    with ledger.read() as tx:
        prices, has_more = tx.prices.page(
            request,
            product=product,
            active=active,
            type_=type_,
            lookup_keys=lookup_keys,
            currency=None if currency is None else normalize_currency(currency),
            interval=interval,
        )
    return Page("/v1/prices", [catalog_objects.price(p) for p in prices], has_more)
