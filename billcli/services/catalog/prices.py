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
from billcli.errors import InvalidRequest
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
    "usage_type",
    "meter",
)
USAGE_TYPES = ("licensed", "metered")


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
    usage_type: str | None = None
    meter: str | None = None

    def checked(self) -> PriceInput:
        limits.text(KIND, "nickname", self.nickname)
        limits.text(KIND, "lookup_key", self.lookup_key)
        if self.lookup_key == "":
            raise InvalidRequest("Invalid lookup_key: it cannot be empty", param="lookup_key")
        parse_pairs(self.metadata)
        return self


def find(tx: Tx, price_id: str, *, param: str = "price") -> Price:
    return found("price", price_id, tx.prices.get, param=param)


def usable(tx: Tx, price_id: str, *, param: str, recurring: bool) -> tuple[Price, Product]:
    """A price new purchases may use (active, of an active product) and of the right
    type: recurring for subscriptions, one-time for invoice items (facts §1)."""
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
            f"Invalid {param}: {price.id} is a recurring price; an invoice item takes a "
            "one-time price (use a subscription for recurring ones)",
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
    metered = _metered(data)
    with ledger.write() as tx:

        def action() -> dict[str, Any]:
            product = products.find(tx, data.product or "", param="product")
            if metered:
                recurring.update(usage_type="metered", meter=_meter(tx, str(data.meter)))
            price = Price(
                id=new_id("price"),
                product=product.id,
                created=tx.now,
                currency=currency,
                active=data.active is not False,
                nickname=data.nickname or None,
                metadata=merged({}, parse_pairs(data.metadata)),
                **amounts,
                **recurring,
            )
            if data.lookup_key is not None:
                price = _take_lookup_key(tx, price, data.lookup_key, data.transfer_lookup_key)
            tx.prices.add(price)
            shown = catalog_objects.price(price)
            record(tx, "price.created", shown)
            return shown

        return once(tx, "prices.create", idempotency_key, vars(data), action)


def _metered(data: PriceInput) -> bool:
    """Whether the price is metered: billed in arrears by its meter's usage (facts C.6:
    since 2025-03-31.basil a metered price needs a meter)."""
    usage_type = check_choice(data.usage_type or "licensed", USAGE_TYPES, "recurring[usage_type]")
    if usage_type == "licensed":
        if data.meter is not None:
            raise InvalidRequest(
                "Invalid recurring[meter]: a meter goes with --usage-type metered",
                param="recurring[meter]",
            )
        return False
    if data.recurring_interval is None:
        raise InvalidRequest(
            "Invalid recurring[usage_type]: a metered price is recurring; give "
            "--recurring-interval",
            param="recurring[usage_type]",
        )
    if data.meter is None:
        raise InvalidRequest(
            "Missing required param: recurring[meter]. A metered price needs the meter "
            "that tracks its usage (--meter MTR)",
            param="recurring[meter]",
        )
    return True


def _meter(tx: Tx, meter_id: str) -> str:
    """An active meter a new price may use."""
    meter = found("billing.meter", meter_id, tx.meters.get, param="recurring[meter]")
    if meter.status != "active":
        raise InvalidRequest(
            f"Invalid recurring[meter]: {meter.id} is inactive; a deactivated meter cannot be "
            "attached to a price (reactivate it first)",
            param="recurring[meter]",
        )
    return meter.id


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
    old, new = catalog_objects.price(before), catalog_objects.price(after)
    if old != new:
        record(tx, "price.updated", new, previous=objects.changed_attributes(old, new))
    return new


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
        before = find(tx, price_id)
        after = replace(
            before,
            active=before.active if data.active is None else data.active,
            nickname=before.nickname if data.nickname is None else data.nickname or None,
            metadata=merged(before.metadata, parse_pairs(data.metadata)),
        )
        if data.lookup_key is not None:
            after = _take_lookup_key(tx, after, data.lookup_key, data.transfer_lookup_key)
        return _save(tx, before, after)


def show(ledger: Ledger, price_id: str) -> dict[str, Any]:
    with ledger.read() as tx:
        return catalog_objects.price(find(tx, price_id, param="id"))


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
