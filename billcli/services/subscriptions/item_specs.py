"""A subscription item as asked for: a price (or an inline `price_data`), a quantity and
metadata; made into the item a subscription bills, in the subscription's currency.

The CLI's `--price PRICE[:QUANTITY]` and the API's `items[n][…]` both become these, so
a subscription is made and changed the same way from either.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

from billcli.core import catalog_objects
from billcli.core.catalog import charges_in
from billcli.core.ids import new_id
from billcli.core.metadata import merged, parse_pairs
from billcli.core.money import normalize_currency
from billcli.core.records.catalog import Price, Product
from billcli.core.records.subscriptions import Subscription, SubscriptionItem
from billcli.core.subscriptions import check_quantity
from billcli.errors import InvalidRequest
from billcli.services.catalog import prices, products
from billcli.services.catalog.price_making import PriceInput, new_price, planned
from billcli.services.ledger.events import record
from billcli.services.subscriptions.items import Billed
from billcli.services.taxes.rates import given_rates
from billcli.store.ledger import Tx


@dataclass(frozen=True)
class ItemSpec:
    """One item asked for: `price` or `price_data`, its quantity (None: 1)."""

    price: str | None = None
    quantity: int | None = None
    metadata: tuple[str, ...] = ()
    price_data: PriceInput | None = None
    tax_rates: tuple[str, ...] | None = None  # its own (None: the subscription's defaults)
    param: str = "items[0]"
    set_up: bool = False  # its price was checked when the purchase was set up: used as is

    def checked(self) -> ItemSpec:
        if (self.price is None) == (self.price_data is None):
            raise InvalidRequest.missing(f"{self.param}[price]", f"or {self.param}[price_data]")
        if self.price_data is not None:
            if self.price_data.recurring_interval is None:
                raise InvalidRequest.missing(f"{self.param}[price_data][recurring]")
            planned(self.price_data)
        if self.quantity is not None:
            check_quantity(self.quantity, f"{self.param}[quantity]")
        parse_pairs(self.metadata, param=f"{self.param}[metadata]")
        return self


def of_pairs(metadata: Mapping[str, str]) -> tuple[str, ...]:
    """A metadata map as the services' `KEY=VALUE` pairs."""
    return tuple(f"{key}={value}" for key, value in metadata.items())


def resolve(tx: Tx, spec: ItemSpec) -> tuple[Price, Product]:
    """The recurring price an item bills: an existing one, or one made inline (inactive,
    as Stripe makes them: it is this item's own)."""
    if spec.price is not None:
        return prices.usable(
            tx, spec.price, param=f"{spec.param}[price]", recurring=True, set_up=spec.set_up
        )
    data = spec.price_data
    assert data is not None
    if data.product is None:
        raise InvalidRequest.missing(f"{spec.param}[price_data][product]")
    product = products.find(tx, data.product, param=f"{spec.param}[price_data][product]")
    price = new_price(tx, data, product.id, active=False)
    tx.prices.add(price)
    record(tx, "price.created", catalog_objects.price(price))
    return price, product


def billed(tx: Tx, spec: ItemSpec, sub_id: str, currency: str | None) -> Billed:
    """The item a spec makes for a subscription (in `currency`, when it is known)."""
    price, product = resolve(tx, spec)
    if currency is not None and not charges_in(price, currency):
        raise InvalidRequest(
            f"Invalid {spec.param}[price]: {price.id} has no amount in {currency}",
            param=f"{spec.param}[price]",
        )
    return _made(tx, spec, sub_id, price, product)


def first_items(
    tx: Tx, specs: list[ItemSpec], sub_id: str, asked: str | None, customer: str | None
) -> tuple[str, list[Billed]]:
    """A new subscription's currency and items: prices usable, each with an amount in
    that currency (the one `asked` for, else the `customer`'s when every price has it,
    else the first price's), all of one interval."""
    resolved = [resolve(tx, spec) for spec in specs]
    prices_asked = [price for price, _ in resolved]
    if asked is not None:
        currency = normalize_currency(asked)
    elif customer is not None and all(charges_in(p, customer) for p in prices_asked):
        currency = customer
    else:
        currency = prices_asked[0].currency
    first = prices_asked[0]
    for n, (price, _) in enumerate(resolved):
        if not charges_in(price, currency) or (price.interval, price.interval_count) != (
            first.interval,
            first.interval_count,
        ):
            raise InvalidRequest(
                f"Invalid items[{n}][price]: currency and interval must match across all "
                f"prices of a subscription ({price.id} is {price.currency} every "
                f"{price.interval_count} {price.interval}; the subscription bills in "
                f"{currency} every {first.interval_count} {first.interval})",
                param=f"items[{n}][price]",
            )
    made = [
        _made(tx, spec, sub_id, price, product)
        for spec, (price, product) in zip(specs, resolved, strict=True)
    ]
    return currency, made


def _made(tx: Tx, spec: ItemSpec, sub_id: str, price: Price, product: Product) -> Billed:
    item = SubscriptionItem(
        new_id("subscription_item"),
        sub_id,
        tx.now,
        price.id,
        item_quantity(price, spec.quantity, f"{spec.param}[quantity]"),
        metadata=merged({}, parse_pairs(spec.metadata)),
        tax_rates=given_rates(tx, spec.tax_rates or (), [], f"{spec.param}[tax_rates]"),
    )
    return Billed(item, price, product)


def item_quantity(price: Price, quantity: int | None, param: str) -> int:
    """An item's quantity: 1 unless given; none for a metered price, whose usage its meter
    counts (facts C.6; stored as 0, shown as no quantity)."""
    if not price.metered:
        return 1 if quantity is None else quantity
    if quantity is not None:
        raise InvalidRequest(
            f"Invalid {param}: quantity should not be specified where usage_type is `metered` "
            f"({price.id} bills its meter's usage)",
            param=param,
        )
    return 0


def in_currency(sub: Subscription, price: Price, param: str) -> None:
    """A price a subscription may take: one with an amount in its currency."""
    if not charges_in(price, sub.currency):
        raise InvalidRequest(
            f"Invalid {param}: {price.id} is in {price.currency}; {sub.id} bills in {sub.currency}",
            param=param,
        )


@dataclass(frozen=True)
class ItemChange:
    """What an update does to an existing item's metadata (besides price and quantity)."""

    item: str
    metadata: tuple[str, ...] = field(default_factory=tuple)
