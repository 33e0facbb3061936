"""Products and prices: what a price charges for a quantity, and the rules of the catalog.

Facts §1: a price's amounts, currency, interval and product never change (a new price
does); per-unit prices charge `unit_amount × quantity`; tiered prices charge by tiers,
`volume` pricing every unit at the tier the whole quantity falls in, `graduated`
pricing each unit at its own tier and adding the flat fee of every tier reached. All
arithmetic is exact, in integer minor units.
"""

from __future__ import annotations

import itertools
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from billcli.core.money import MAX_AMOUNT, MAX_AMOUNT_DIGITS, format_amount, parse_amount
from billcli.core.periods import interval_words
from billcli.errors import InvalidRequest

if TYPE_CHECKING:
    from billcli.core.records.catalog import Price

BILLING_SCHEMES = ("per_unit", "tiered")
TIERS_MODES = ("graduated", "volume")
PRICE_TYPES = ("one_time", "recurring")
MAX_TIERS = 250


# A tier as stored and shown: units up to `up_to` (None: no limit) cost `unit_amount`
# each, plus `flat_amount` once.
Tier = dict[str, Any]


def parse_tiers(specs: Sequence[str], currency: str) -> list[Tier]:
    """`UP_TO:UNIT_AMOUNT[:FLAT_AMOUNT]` per tier, ascending, the last one `inf`."""
    if not specs:
        raise InvalidRequest("Missing tier: a tiered price needs --tier UP_TO:UNIT", param="tiers")
    if len(specs) > MAX_TIERS:
        raise InvalidRequest(f"Invalid tiers: at most {MAX_TIERS} tiers", param="tiers")
    tiers = []
    for number, spec in enumerate(specs):
        parts = spec.split(":")
        if len(parts) not in (2, 3):
            raise InvalidRequest(
                f"Invalid tier: '{spec}' (UP_TO:UNIT_AMOUNT[:FLAT_AMOUNT], UP_TO a whole "
                "number or inf)",
                param=f"tiers[{number}]",
            )
        param = f"tiers[{number}]"
        flat = _amount(parts[2], currency, f"{param}[flat_amount]") if len(parts) == 3 else 0
        tiers.append(
            {
                "up_to": None if parts[0] == "inf" else _whole(parts[0], f"{param}[up_to]"),
                "unit_amount": _amount(parts[1], currency, f"{param}[unit_amount]"),
                "flat_amount": flat,
            }
        )
    for number, (lower, higher) in enumerate(itertools.pairwise(tiers), start=1):
        if lower["up_to"] is None or (
            higher["up_to"] is not None and higher["up_to"] <= lower["up_to"]
        ):
            raise InvalidRequest(
                "Invalid tiers: each tier's up_to must be greater than the one before, and "
                "only the last may be inf",
                param=f"tiers[{number}][up_to]",
            )
    if tiers[-1]["up_to"] is not None:
        raise InvalidRequest(
            "Invalid tiers: the last tier's up_to must be inf", param=f"tiers[{len(tiers) - 1}]"
        )
    return tiers


def _whole(text: str, param: str) -> int:
    if not (text.isascii() and text.isdigit()) or int(text) < 1:
        raise InvalidRequest(
            f"Invalid {param}: '{text}' is not a whole number of units", param=param
        )
    return int(text)


def _amount(text: str, currency: str, param: str) -> int:
    value = parse_amount(text, currency, param=param)
    if value < 0:
        raise InvalidRequest(f"Invalid {param}: prices cannot be negative", param=param)
    return value


def unit_amount(text: str, currency: str, param: str = "unit_amount") -> int:
    """A price's unit amount: zero or more, in minor units (8 digits at most)."""
    return _amount(text, currency, param)


def tiered_amount(tiers: Sequence[Tier], mode: str, quantity: int) -> int:
    """What `quantity` units cost under tiered pricing."""
    if quantity == 0:
        return 0
    if mode == "volume":
        tier = next(t for t in tiers if t["up_to"] is None or quantity <= t["up_to"])
        return int(tier["unit_amount"]) * quantity + int(tier["flat_amount"])
    total, below = 0, 0
    for tier in tiers:
        top = quantity if tier["up_to"] is None else min(quantity, tier["up_to"])
        if top <= below:
            break
        total += int(tier["unit_amount"]) * (top - below) + int(tier["flat_amount"])
        below = top
    return total


def charges_in(price: Price, currency: str) -> bool:
    """Whether `price` has an amount in `currency`: its own, or one of its options."""
    return currency == price.currency or currency in price.currency_options


def billing_currency(price: Price, asked: str | None, customer: str | None) -> str:
    """The currency a line of `price` is billed in: the one asked for (which the price
    must have), else the customer's when the price has an amount in it, else the price's."""
    if asked is not None:
        amounts_in(price, asked)  # refused when the price has no amount in it
        return asked
    if customer is not None and charges_in(price, customer):
        return customer
    return price.currency


def amounts_in(price: Price, currency: str | None) -> tuple[int | None, list[Tier] | None]:
    """(unit amount, tiers) of `price` in `currency` (None: its own currency): a customer
    billed in a currency the price has an option for pays that option's amounts."""
    if currency is None or currency == price.currency:
        return price.unit_amount, price.tiers
    held = price.currency_options.get(currency)
    if held is None:
        raise InvalidRequest(
            f"Invalid currency: {price.id} has no amount in {currency} (its currency is "
            f"{price.currency}, its options {', '.join(sorted(price.currency_options)) or 'none'})",
            param="currency",
        )
    return held.get("unit_amount"), held.get("tiers")


def billed_quantity(price: Price, quantity: int) -> int:
    """The quantity a price charges for: `transform_quantity` divides it and rounds
    (`up` or `down`), as Stripe does before pricing (11 seats by 5, up: 3 packs)."""
    transform = price.transform_quantity
    if not transform:
        return quantity
    whole, rest = divmod(quantity, int(transform["divide_by"]))
    return whole + (1 if rest and transform["round"] == "up" else 0)


def unit_amount_for(price: Price, currency: str | None = None) -> int | None:
    """The amount one unit of a line costs, when one does: a per-unit price's, in the
    line's currency (a transformed quantity has none: units are bought in packs)."""
    if price.billing_scheme != "per_unit" or price.transform_quantity:
        return None
    return amounts_in(price, currency)[0]


def amount_for(price: Price, quantity: int, currency: str | None = None) -> int:
    """What `quantity` units of `price` cost for one period (or once), in `currency`
    (None: the price's own)."""
    if quantity < 0:
        raise InvalidRequest(
            f"Invalid quantity: {quantity} (it cannot be negative)", param="quantity"
        )
    unit, tiers = amounts_in(price, currency)
    if price.billing_scheme == "tiered":
        amount = tiered_amount(tiers or (), str(price.tiers_mode), quantity)
    else:
        amount = int(unit or 0) * billed_quantity(price, quantity)
    if amount > MAX_AMOUNT:
        raise InvalidRequest(
            f"Invalid quantity: {quantity} × {price.id} exceeds {MAX_AMOUNT_DIGITS} digits",
            param="quantity",
        )
    return amount


def describe_price(price: Price, currency: str | None = None) -> str:
    """`$20.00 / month`, `$5.00 / 3 months`, `tiered (graduated) / month`, `$9.00` once;
    in `currency` (None: the price's own), the amount of its option in that currency."""
    if price.billing_scheme == "tiered":
        what = f"tiered ({price.tiers_mode})"
    else:
        unit = amounts_in(price, currency)[0]
        what = format_amount(int(unit or 0), currency or price.currency)
    if price.interval is None:
        return what
    return f"{what} / {interval_words(price.interval, price.interval_count)}"


def line_description(
    quantity: int, product_name: str, price: Price, currency: str | None = None
) -> str:
    """A subscription line, as Stripe words it: `1 × Gold (at $32.52 / month)`, the unit
    amount in the line's `currency` (a customer billed in a currency option sees that
    option's amount: `1 × Gold (at €29.00 / month)`)."""
    return f"{quantity} × {product_name} (at {describe_price(price, currency)})"
