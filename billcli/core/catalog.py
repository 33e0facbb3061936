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


def unit_amount(text: str, currency: str) -> int:
    """A price's unit amount: zero or more, in minor units (8 digits at most)."""
    return _amount(text, currency, "unit_amount")


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


def amount_for(price: Price, quantity: int) -> int:
    """What `quantity` units of `price` cost for one period (or once)."""
    if quantity < 0:
        raise InvalidRequest(
            f"Invalid quantity: {quantity} (it cannot be negative)", param="quantity"
        )
    if price.billing_scheme == "tiered":
        amount = tiered_amount(price.tiers or (), str(price.tiers_mode), quantity)
    else:
        amount = int(price.unit_amount or 0) * quantity
    if amount > MAX_AMOUNT:
        raise InvalidRequest(
            f"Invalid quantity: {quantity} × {price.id} exceeds {MAX_AMOUNT_DIGITS} digits",
            param="quantity",
        )
    return amount


def describe_price(price: Price) -> str:
    """`$20.00 / month`, `$5.00 / 3 months`, `tiered (graduated) / month`, `$9.00` once."""
    if price.billing_scheme == "tiered":
        what = f"tiered ({price.tiers_mode})"
    else:
        what = format_amount(int(price.unit_amount or 0), price.currency)
    if price.interval is None:
        return what
    return f"{what} / {interval_words(price.interval, price.interval_count)}"


def line_description(quantity: int, product_name: str, price: Price) -> str:
    """A subscription line, as Stripe words it: `1 × Gold (at $32.52 / month)`."""
    return f"{quantity} × {product_name} (at {describe_price(price)})"
