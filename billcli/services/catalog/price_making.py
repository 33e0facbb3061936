"""Making a price from its options: one way for `prices create`, a product's
`default_price_data` and the `price_data` of items and subscriptions (inline prices).

Apart from `prices.py` so that products can make their default price without
importing the module that finds products.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, replace
from typing import Any

from billcli.core import catalog_objects, limits, objects
from billcli.core.catalog import BILLING_SCHEMES, TIERS_MODES, parse_tiers, unit_amount
from billcli.core.ids import new_id
from billcli.core.invoicing import check_choice
from billcli.core.metadata import merged, parse_pairs
from billcli.core.money import normalize_currency
from billcli.core.periods import check_interval
from billcli.core.price_options import currency_options, transform_quantity
from billcli.core.records.catalog import Price
from billcli.core.subscriptions import MAX_TRIAL_DAYS
from billcli.core.tax import TAX_BEHAVIORS
from billcli.errors import InvalidRequest
from billcli.services.ledger.events import record
from billcli.services.ledger.lookup import found
from billcli.store.ledger import Tx

KIND = "price"
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
    # {currency: {"unit_amount": text} or {"tiers": (UP_TO:UNIT[:FLAT], …)}}
    currency_options: Mapping[str, Mapping[str, Any]] | None = None
    transform_quantity: Mapping[str, Any] | None = None
    trial_period_days: int | None = None
    product_data: Mapping[str, Any] | None = None  # a product made with the price
    tax_behavior: str | None = None
    usage_type: str | None = None  # licensed (the default) or metered
    meter: str | None = None  # a metered price's meter (mtr_…)

    def checked(self) -> PriceInput:
        if self.tax_behavior is not None:
            check_choice(self.tax_behavior, TAX_BEHAVIORS, "tax_behavior")
        limits.text(KIND, "nickname", self.nickname)
        limits.text(KIND, "lookup_key", self.lookup_key)
        if self.lookup_key == "":
            raise InvalidRequest("Invalid lookup_key: it cannot be empty", param="lookup_key")
        parse_pairs(self.metadata)
        return self


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


def check_trial_days(days: int | None, *, param: str, least: int = 1) -> None:
    """A price's default trial (a plan's may be 0: none)."""
    if days is not None and not least <= days <= MAX_TRIAL_DAYS:
        raise InvalidRequest(
            f"Invalid {param}: {days} ({least} to {MAX_TRIAL_DAYS} days)", param=param
        )


def _recurring(data: PriceInput) -> dict[str, Any]:
    if data.recurring_interval is not None:
        interval, count = check_interval(
            data.recurring_interval, 1 if data.interval_count is None else data.interval_count
        )
        days = data.trial_period_days
        check_trial_days(days, param="recurring[trial_period_days]")
        return {
            "type": "recurring",
            "interval": interval,
            "interval_count": count,
            "trial_period_days": days,
        }
    if data.interval_count is not None or data.trial_period_days is not None:
        raise InvalidRequest(
            "Invalid interval_count: it goes with --recurring-interval", param="interval_count"
        )
    return {}


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
    meter = found(tx, "billing.meter", meter_id, tx.meters.get, param="recurring[meter]")
    if meter.status != "active":
        raise InvalidRequest(
            f"Invalid recurring[meter]: {meter.id} is inactive; a deactivated meter cannot be "
            "attached to a price (reactivate it first)",
            param="recurring[meter]",
        )
    return meter.id


def planned(data: PriceInput) -> dict[str, Any]:
    """Every field of a new price that needs no ledger, checked (a metered price's
    meter is looked up by `new_price`)."""
    data.checked()
    if data.currency is None:
        raise InvalidRequest.missing("currency")
    currency = normalize_currency(data.currency)
    amounts = _amounts(data, currency)
    metered = _metered(data)
    return {
        "currency": currency,
        **amounts,
        **_recurring(data),
        **({"usage_type": "metered"} if metered else {}),
        "currency_options": currency_options(
            data.currency_options or {}, currency, amounts["billing_scheme"]
        ),
        "transform_quantity": transform_quantity(
            data.transform_quantity, amounts["billing_scheme"]
        ),
        "tax_behavior": data.tax_behavior or "unspecified",
    }


def new_price(
    tx: Tx,
    data: PriceInput,
    product_id: str,
    *,
    active: bool = True,
    price_id: str | None = None,
) -> Price:
    """A price of `product_id` made from `data` (not stored yet); a plan may bring
    its own id."""
    price = Price(
        id=price_id or new_id("price"),
        product=product_id,
        created=tx.now,
        active=active if data.active is None else data.active,
        nickname=data.nickname or None,
        metadata=merged({}, parse_pairs(data.metadata)),
        **planned(data),
    )
    if price.metered:
        price = replace(price, meter=_meter(tx, str(data.meter)))
    if data.lookup_key is not None:
        price = take_lookup_key(tx, price, data.lookup_key, data.transfer_lookup_key)
    return price


def take_lookup_key(tx: Tx, price: Price, key: str, transfer: bool) -> Price:
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
        saved(tx, holder, replace(holder, lookup_key=None))
    return replace(price, lookup_key=key)


def saved(tx: Tx, before: Price, after: Price) -> dict[str, Any]:
    """Write a changed price, with `price.updated` (and `plan.updated`) when its object
    changed."""
    tx.prices.save(after)
    return recorded(tx, "updated", before, after)


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
