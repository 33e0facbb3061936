"""What a price holds beside its own amount: its amounts in other currencies
(`currency_options`), a quantity transformation, and the trial it gives.

A currency option has the price's shape in another currency (a per-unit price a unit
amount, a tiered price its tiers); a customer billed in that currency pays it, on every
path that prices a line (facts §1.2, docs "multi-currency prices").
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from billcli.core import limits
from billcli.core.catalog import parse_tiers, unit_amount
from billcli.core.money import normalize_currency
from billcli.errors import InvalidRequest

MAX_DIVIDE_BY = 1_000_000_000


def currency_options(
    given: Mapping[str, Mapping[str, Any]], own: str, scheme: str
) -> dict[str, dict[str, Any]]:
    """`{currency: {unit_amount | tiers, tax_behavior}}` as stored, each checked in its
    own currency's minor units (`tiers` as `UP_TO:UNIT[:FLAT]` specs)."""
    options: dict[str, dict[str, Any]] = {}
    for raw, entry in given.items():
        param = f"currency_options[{raw}]"
        currency = normalize_currency(raw)
        if currency == own:
            raise InvalidRequest(
                f"Invalid {param}: {currency} is the price's own currency", param=param
            )
        limits.only_keys(entry, ("unit_amount", "tiers"), param)
        option: dict[str, Any] = {}
        if scheme == "tiered":
            if entry.get("unit_amount") is not None or not entry.get("tiers"):
                raise InvalidRequest.missing(
                    f"{param}[tiers]", "a tiered price's options are tiers"
                )
            option["tiers"] = parse_tiers(entry["tiers"], currency)
        else:
            if entry.get("tiers") or entry.get("unit_amount") is None:
                raise InvalidRequest.missing(f"{param}[unit_amount]")
            option["unit_amount"] = unit_amount(
                str(entry["unit_amount"]), currency, f"{param}[unit_amount]"
            )
        options[currency] = option
    return options


def option_pairs(given: list[str] | None) -> dict[str, dict[str, Any]] | None:
    """`--currency-option eur:900` (the CLI's form) as the API's `currency_options`."""
    if not given:
        return None
    found: dict[str, dict[str, Any]] = {}
    for pair in given:
        currency, sep, amount = pair.partition(":")
        if not sep or not currency or not amount:
            raise InvalidRequest(
                f"Invalid currency_option: '{pair}' must be CURRENCY:UNIT_AMOUNT (eur:900)",
                param="currency_options",
            )
        found[currency] = {"unit_amount": amount}
    return found


def transform_quantity(given: Mapping[str, Any] | None, scheme: str) -> dict[str, Any] | None:
    """`{divide_by, round}`: bill the quantity divided and rounded (not with tiers)."""
    if not given:
        return None
    limits.only_keys(given, ("divide_by", "round"), "transform_quantity")
    if scheme == "tiered":
        raise InvalidRequest(
            "Invalid transform_quantity: it cannot be combined with tiers",
            param="transform_quantity",
        )
    divide_by, rounding = given.get("divide_by"), given.get("round")
    if divide_by is None or rounding is None:
        missing = "divide_by" if divide_by is None else "round"
        raise InvalidRequest.missing(f"transform_quantity[{missing}]")
    text = str(divide_by)
    if not (text.isascii() and text.isdigit()) or not 1 <= int(text) <= MAX_DIVIDE_BY:
        raise InvalidRequest(
            f"Invalid transform_quantity[divide_by]: '{divide_by}' (a whole number, 1 or more)",
            param="transform_quantity[divide_by]",
        )
    shown = limits.choice(str(rounding), limits.ENUMS["round"], "transform_quantity[round]")
    return {"divide_by": int(text), "round": shown}
