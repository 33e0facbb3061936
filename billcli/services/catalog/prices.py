"""Prices: how much a product costs, once or every period; never changed, only replaced."""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import Any

from billcli.core import catalog_objects, limits, objects
from billcli.core.catalog import BILLING_SCHEMES, PRICE_TYPES, TIERS_MODES, parse_tiers, unit_amount
from billcli.core.ids import new_id
from billcli.core.invoicing import check_choice
from billcli.core.metadata import merged, parse_pairs
from billcli.core.money import normalize_currency
from billcli.core.pagination import Page, PageRequest
from billcli.core.periods import check_interval
from billcli.core.records.catalog import Price, Product
from billcli.errors import InvalidRequest, NotFound
from billcli.services.catalog import products
from billcli.services.ledger.events import record
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
)


@dataclass(frozen=True)
class PriceInput:
    """Price options as typed; amounts stay text until the currency is known."""

    product: str | None = None
    currency: str | None = None
    unit_amount: str | None = None
    billing_scheme: str | None = None
    tiers_mode: str | None = None
    tiers: tuple[str, ...] = ()
    recurring_interval: str | None = None
    interval_count: int | None = None
    lookup_key: str | None = None
    transfer_lookup_key: bool = False
    nickname: str | None = None
    active: bool | None = None
    metadata: tuple[str, ...] = ()

    def checked(self) -> PriceInput:
        limits.text(KIND, "nickname", self.nickname)
        limits.text(KIND, "lookup_key", self.lookup_key)
        if self.lookup_key == "":
            raise InvalidRequest("Invalid lookup_key: it cannot be empty", param="lookup_key")
        parse_pairs(self.metadata)
        return self


def find(tx: Tx, price_id: str, *, param: str = "price", live: bool = True) -> Price:
    """The price `price_id` names (a plan's id names its price); a deleted plan is
    missing for new uses (`live`)."""
    price = found("price", price_id, tx.prices.get, param=param)
    if live and price.deleted:
        raise NotFound("price", price_id, param=param)
    return price


def usable(tx: Tx, price_id: str, *, param: str, recurring: bool) -> tuple[Price, Product]:
    """A price new purchases may use (active, of an active product) and of the right
    type: recurring for subscriptions, one-time for invoice items (facts §1). A plan is
    a recurring price."""
    price = find(tx, price_id, param=param)
    product = products.find(tx, price.product, param=param)
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


def _amounts(data: PriceInput, currency: str) -> dict[str, Any]:
    scheme = check_choice(data.billing_scheme or "per_unit", BILLING_SCHEMES, "billing_scheme")
    if scheme == "per_unit":
        if data.tiers or data.tiers_mode:
            raise InvalidRequest(
                "Invalid tiers: tiers need --billing-scheme tiered", param="tiers_mode"
            )
        if data.unit_amount is None:
            raise InvalidRequest(
                "Missing unit_amount: give --unit-amount, or --billing-scheme tiered with tiers",
                param="unit_amount",
            )
        return {"billing_scheme": scheme, "unit_amount": unit_amount(data.unit_amount, currency)}
    if data.unit_amount is not None:
        raise InvalidRequest(
            "Invalid unit_amount: a tiered price's amounts are its tiers", param="unit_amount"
        )
    if data.tiers_mode is None:
        raise InvalidRequest(
            "Missing tiers_mode: a tiered price is graduated or volume", param="tiers_mode"
        )
    mode = check_choice(data.tiers_mode, TIERS_MODES, "tiers_mode")
    return {
        "billing_scheme": scheme,
        "tiers_mode": mode,
        "tiers": parse_tiers(data.tiers, currency),
    }


def create(
    ledger: Ledger, data: PriceInput, *, idempotency_key: str | None = None
) -> dict[str, Any]:
    data.checked()
    with ledger.write() as tx:
        return once(
            tx,
            "prices.create",
            idempotency_key,
            vars(data),
            lambda: catalog_objects.price(create_in(tx, data)),
        )


def create_in(
    tx: Tx,
    data: PriceInput,
    *,
    price_id: str | None = None,
    trial_period_days: int | None = None,
) -> Price:
    """A new price of `data.product` (a plan: a recurring price with its own id and
    trial days), recorded as `price.created` (and `plan.created`)."""
    if data.product is None:
        raise InvalidRequest("Missing product: a price belongs to a product", param="product")
    if data.currency is None:
        raise InvalidRequest("Missing currency", param="currency")
    currency = normalize_currency(data.currency)
    amounts = _amounts(data, currency)
    recurring: dict[str, Any] = {}
    if data.recurring_interval is not None:
        interval, count = check_interval(
            data.recurring_interval, 1 if data.interval_count is None else data.interval_count
        )
        recurring = {"type": "recurring", "interval": interval, "interval_count": count}
    elif data.interval_count is not None:
        raise InvalidRequest(
            "Invalid interval_count: it goes with --recurring-interval", param="interval_count"
        )
    product = products.find(tx, data.product, param="product")
    price = Price(
        id=price_id or new_id("price"),
        product=product.id,
        created=tx.now,
        currency=currency,
        active=data.active is not False,
        nickname=data.nickname or None,
        metadata=merged({}, parse_pairs(data.metadata)),
        trial_period_days=trial_period_days,
        **amounts,
        **recurring,
    )
    if data.lookup_key is not None:
        price = _take_lookup_key(tx, price, data.lookup_key, data.transfer_lookup_key)
    tx.prices.add(price)
    recorded(tx, "created", None, price)
    return price


def recorded(tx: Tx, action: str, before: Price | None, after: Price) -> dict[str, Any]:
    """Record `price.{action}`, and `plan.{action}` beside it for a recurring price (the
    plan Stripe still shows of it); the previous values of what changed on an update.
    Nothing is recorded for an update that changes nothing."""
    shown = catalog_objects.price(after)
    views: list[tuple[str, Any]] = [("price", catalog_objects.price)]
    if after.interval is not None:
        views.append(("plan", catalog_objects.plan))
    if before is not None and catalog_objects.price(before) == shown:
        return shown
    for kind, view in views:
        new = view(after)
        previous = None if before is None else objects.changed_attributes(view(before), new)
        record(tx, f"{kind}.{action}", new, previous=previous)
    return shown


def _take_lookup_key(tx: Tx, price: Price, key: str, transfer: bool) -> Price:
    """`price` with the lookup key, which `transfer` takes from the price holding it
    (saved at once, so the key is free when `price` is written).

    An archived price keeps its key until it is transferred (billcli-decisions).
    """
    holder = tx.prices.by_lookup_key(key)
    if holder is not None and holder.id != price.id:
        if not transfer:
            raise InvalidRequest(
                f"Invalid lookup_key: {holder.id} already uses the lookup key '{key}'; pass "
                "--transfer-lookup-key to move it",
                param="lookup_key",
            )
        _save(tx, holder, replace(holder, lookup_key=None))
    return replace(price, lookup_key=key)


def _save(tx: Tx, before: Price, after: Price) -> dict[str, Any]:
    tx.prices.save(after)
    return recorded(tx, "updated", before, after)


def update(ledger: Ledger, price_id: str, data: PriceInput) -> dict[str, Any]:
    """Only `active`, `nickname`, `lookup_key` and metadata change (facts §1.2)."""
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
    after = replace(
        before,
        active=before.active if data.active is None else data.active,
        nickname=before.nickname if data.nickname is None else data.nickname or None,
        metadata=merged(before.metadata, parse_pairs(data.metadata)),
        trial_period_days=(
            before.trial_period_days if trial_period_days is None else trial_period_days or None
        ),
    )
    if data.lookup_key is not None:
        after = _take_lookup_key(tx, after, data.lookup_key, data.transfer_lookup_key)
    return _save(tx, before, after)


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
) -> Page:
    if type_ is not None:
        check_choice(type_, PRICE_TYPES, "type")
    with ledger.read() as tx:
        prices, has_more = tx.prices.page(
            request, product=product, active=active, type_=type_, lookup_keys=lookup_keys
        )
    return Page("/v1/prices", [catalog_objects.price(p) for p in prices], has_more)
