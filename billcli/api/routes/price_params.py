"""Reading a price from parameters, wherever Stripe takes one: `POST /v1/prices`, a
product's `default_price_data`, and the inline `price_data` of invoice items and
subscription items. One reader, so a price means the same in each."""

from __future__ import annotations

from dataclasses import replace
from typing import Any

from billcli.api.params import Params, inside, spelled_as
from billcli.errors import InvalidRequest
from billcli.services.catalog.price_making import PriceInput, planned

# A price's recurring settings as the services name them, and as a request spells them.
_RECURRING = {
    "recurring_interval": "recurring[interval]",
    "interval_count": "recurring[interval_count]",
    "trial_period_days": "recurring[trial_period_days]",
}


def request_name(param: str) -> str:
    """How a request spells a price's parameter (`recurring[interval]` for the services'
    `recurring_interval`), for errors the services raise."""
    return _RECURRING.get(param, param)


# Metered prices bill usage records (meters, issue 32); billcli bills licensed quantities.
_METERED = "metered usage (usage records and meters)"


def amount(p: Params, name: str = "unit_amount") -> str | None:
    """`unit_amount`, or `unit_amount_decimal` when it is a whole number of minor units
    (billcli's amounts are integers; a fraction of a cent is refused, naming it)."""
    decimal = p.text(f"{name}_decimal")
    whole = p.amount(name)
    if decimal is None:
        return whole
    if whole is not None:
        raise InvalidRequest(
            f"Invalid {p.spelled(name + '_decimal')}: give {name} or {name}_decimal, not both",
            param=p.spelled(name + "_decimal"),
        )
    integral, _, fraction = decimal.partition(".")
    if not (integral.isascii() and integral.isdigit()) or fraction.strip("0"):
        raise InvalidRequest(
            f"Invalid {p.spelled(name + '_decimal')}: '{decimal}' (billcli's amounts are whole "
            "minor units)",
            param=p.spelled(name + "_decimal"),
        )
    return integral


def tiers(p: Params) -> tuple[str, ...]:
    """`tiers[n][up_to|unit_amount|flat_amount]` as the services' `UPTO:UNIT[:FLAT]`."""
    specs = []
    for tier in p.each("tiers"):
        up_to = tier.text("up_to")
        if up_to is None:
            raise InvalidRequest(
                f"Missing required param: {tier.spelled('up_to')}.",
                param=tier.spelled("up_to"),
                code="parameter_missing",
            )
        unit, flat = amount(tier), amount(tier, "flat_amount")
        tier.unknown()
        specs.append(f"{up_to}:{unit or '0'}" + (f":{flat}" if flat else ""))
    return tuple(specs)


def currency_options(p: Params) -> dict[str, dict[str, Any]] | None:
    """`currency_options[eur][unit_amount]=…` (or `[tiers][n][…]`) by currency."""
    if not p.has("currency_options"):
        return None
    options = p.nested("currency_options")
    found: dict[str, dict[str, Any]] = {}
    for currency in list(options.values):
        entry = options.nested(currency)
        entry.refuse("custom_unit_amount")
        found[currency] = {"unit_amount": amount(entry), "tiers": tiers(entry)}
        found[currency] = {key: value for key, value in found[currency].items() if value}
        entry.unknown()
        options.taken.add(currency)
    return found


def recurring(p: Params) -> dict[str, Any]:
    """`recurring[interval|interval_count|trial_period_days|usage_type]`."""
    given = p.nested("recurring")
    usage = given.choice("usage_type", ("licensed", "metered"))
    if usage == "metered":
        raise InvalidRequest(
            f"Cannot use {given.spelled('usage_type')}=metered: billcli does not model {_METERED}",
            param=given.spelled("usage_type"),
        )
    for name in ("aggregate_usage", "meter"):
        if given.has(name):
            raise InvalidRequest(
                f"Cannot use {given.spelled(name)}: billcli does not model {_METERED}",
                param=given.spelled(name),
            )
    found = {
        "recurring_interval": given.text("interval"),
        "interval_count": given.integer("interval_count"),
        "trial_period_days": given.integer("trial_period_days"),
    }
    given.unknown()
    return found


def transform(p: Params) -> dict[str, Any] | None:
    given = p.nested("transform_quantity")
    if not given.values:
        return None
    found = {"divide_by": given.integer("divide_by"), "round": given.text("round")}
    given.unknown()
    return {key: value for key, value in found.items() if value is not None}


def price_input(p: Params, *, metadata: tuple[str, ...] = ()) -> PriceInput:
    """A price's parameters (those of `POST /v1/prices` that `p` names)."""
    p.refuse("custom_unit_amount")
    return PriceInput(
        product=p.text("product"),
        currency=p.text("currency"),
        unit_amount=amount(p),
        billing_scheme=p.text("billing_scheme"),
        tiers_mode=p.text("tiers_mode"),
        tiers=tiers(p),
        lookup_key=p.text("lookup_key"),
        transfer_lookup_key=bool(p.boolean("transfer_lookup_key")),
        nickname=p.text("nickname", clearable=True),
        active=p.boolean("active"),
        metadata=metadata,
        currency_options=currency_options(p),
        transform_quantity=transform(p),
        tax_behavior=p.text("tax_behavior"),
        **recurring(p),
    )


def price_data(p: Params, name: str, *, product_data: bool = False) -> PriceInput | None:
    """An inline price (`price_data`, `default_price_data`): the same reading, nested;
    with `product_data`, its product may be made with it (Checkout's line items)."""
    if not p.has(name):
        return None
    inner = p.nested(name)
    data = price_input(inner)
    if product_data and inner.has("product_data"):
        data = replace(data, product_data=inner.map("product_data"))
    inner.unknown()
    outer = inside(p.spelled(name))
    with spelled_as(lambda param: outer(request_name(param))):
        planned(data)
    return data
