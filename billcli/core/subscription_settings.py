"""A subscription's settings beside its items: what a trial ending without a payment
method does, how often its pending items are invoiced, its payment settings, and the
anchor a `billing_cycle_anchor_config` names.

Facts §2.1: `trial_settings.end_behavior.missing_payment_method` is `create_invoice`
(the default), `pause` or `cancel`; `pending_invoice_item_interval` is at most a year
(1 year, 12 months, 52 weeks, 365 days); `payment_settings.save_default_payment_method`
`on_subscription` makes the card that pays one of its invoices its default.
"""

from __future__ import annotations

import calendar
from collections.abc import Mapping
from datetime import UTC, datetime
from typing import Any

from billcli.core import limits
from billcli.errors import InvalidRequest

MAX_PENDING_INTERVAL = {"day": 365, "week": 52, "month": 12, "year": 1}
SAVE_DEFAULT = ("off", "on_subscription")


def _unknown(given: Mapping[str, Any], allowed: tuple[str, ...], param: str) -> None:
    for key in given:
        if key not in allowed:
            raise InvalidRequest(
                f"Received unknown parameter: {param}[{key}]",
                param=f"{param}[{key}]",
                code="parameter_unknown",
            )


def _object(given: Any, param: str) -> Mapping[str, Any]:
    if not isinstance(given, Mapping):
        raise InvalidRequest(f"Invalid {param}: expected an object", param=param)
    return given


def missing_payment_method(given: Any) -> str:
    """`trial_settings[end_behavior][missing_payment_method]`."""
    settings = _object(given, "trial_settings")
    _unknown(settings, ("end_behavior",), "trial_settings")
    behavior = _object(settings.get("end_behavior") or {}, "trial_settings[end_behavior]")
    _unknown(behavior, ("missing_payment_method",), "trial_settings[end_behavior]")
    param = "trial_settings[end_behavior][missing_payment_method]"
    chosen = behavior.get("missing_payment_method")
    if chosen is None:
        raise InvalidRequest(
            f"Missing required param: {param}.", param=param, code="parameter_missing"
        )
    return str(limits.choice(chosen, limits.ENUMS["missing_payment_method"], param))


def pending_interval(given: Any) -> dict[str, Any] | None:
    """`pending_invoice_item_interval` as stored (None for "": no longer invoiced so)."""
    if given == "" or given is None:
        return None
    param = "pending_invoice_item_interval"
    interval = _object(given, param)
    _unknown(interval, ("interval", "interval_count"), param)
    unit = limits.choice(interval.get("interval"), limits.ENUMS["interval"], f"{param}[interval]")
    if unit is None:
        raise InvalidRequest(
            f"Missing required param: {param}[interval].",
            param=f"{param}[interval]",
            code="parameter_missing",
        )
    count_text = str(interval.get("interval_count") or "1")
    if not (count_text.isascii() and count_text.isdigit()) or not (
        1 <= int(count_text) <= MAX_PENDING_INTERVAL[unit]
    ):
        raise InvalidRequest(
            f"Invalid {param}[interval_count]: '{count_text}' (at most one year: "
            f"{MAX_PENDING_INTERVAL[unit]} {unit}s)",
            param=f"{param}[interval_count]",
        )
    return {"interval": unit, "interval_count": int(count_text)}


def payment_settings(given: Any) -> dict[str, Any] | None:
    """`payment_settings` as stored: card is billcli's payment method type."""
    if given == "" or given is None:
        return None
    param = "payment_settings"
    settings = _object(given, param)
    _unknown(
        settings,
        ("payment_method_options", "payment_method_types", "save_default_payment_method"),
        param,
    )
    types = settings.get("payment_method_types")
    listed = [] if types in (None, "") else types if isinstance(types, list) else [types]
    if any(kind != "card" for kind in listed):
        raise InvalidRequest(
            f"Invalid {param}[payment_method_types]: billcli's payment methods are cards",
            param=f"{param}[payment_method_types]",
        )
    return {
        "payment_method_options": _card_options(settings.get("payment_method_options")),
        "payment_method_types": listed or None,
        "save_default_payment_method": limits.choice(
            settings.get("save_default_payment_method") or "off",
            SAVE_DEFAULT,
            f"{param}[save_default_payment_method]",
        ),
    }


def _card_options(given: Any) -> dict[str, Any] | None:
    if given in (None, ""):
        return None
    param = "payment_settings[payment_method_options]"
    options = _object(given, param)
    for kind in options:
        if kind != "card":
            raise InvalidRequest(
                f"Cannot use {param}[{kind}]: billcli's payment methods are cards",
                param=f"{param}[{kind}]",
            )
    card = _object(options.get("card") or {}, f"{param}[card]")
    _unknown(card, ("request_three_d_secure", "mandate_options", "network"), f"{param}[card]")
    if "mandate_options" in card:
        raise InvalidRequest(
            f"Cannot use {param}[card][mandate_options]: billcli does not model mandates",
            param=f"{param}[card][mandate_options]",
        )
    three_d = limits.choice(
        card.get("request_three_d_secure"),
        ("any", "automatic", "challenge"),
        f"{param}[card][request_three_d_secure]",
    )
    network = card.get("network") or None
    return {"card": {"network": network, "request_three_d_secure": three_d}}


def anchor_from_config(given: Any, start: int, interval: str) -> int:
    """The first instant after `start` that `billing_cycle_anchor_config` names: its day
    of the month (the month's last day when shorter), hour, minute and second (UTC), in
    its month for a yearly price."""
    param = "billing_cycle_anchor_config"
    config = _object(given, param)
    _unknown(config, ("day_of_month", "hour", "minute", "month", "second"), param)

    def number(key: str, low: int, high: int, default: int | None) -> int:
        value = config.get(key)
        if value is None:
            if default is None:
                raise InvalidRequest(
                    f"Missing required param: {param}[{key}].",
                    param=f"{param}[{key}]",
                    code="parameter_missing",
                )
            return default
        text = str(value)
        if not (text.isascii() and text.isdigit()) or not low <= int(text) <= high:
            raise InvalidRequest(
                f"Invalid {param}[{key}]: '{value}' ({low} to {high})", param=f"{param}[{key}]"
            )
        return int(text)

    day = number("day_of_month", 1, 31, None)
    when = datetime.fromtimestamp(start, UTC)
    hour = number("hour", 0, 23, when.hour)
    minute = number("minute", 0, 59, when.minute)
    second = number("second", 0, 59, when.second)
    month = number("month", 1, 12, None) if "month" in config else None
    if month is not None and interval != "year":
        raise InvalidRequest(
            f"Invalid {param}[month]: only a yearly subscription has an anchor month",
            param=f"{param}[month]",
        )
    year, at_month = when.year, month or when.month
    for _ in range(25):
        last = calendar.monthrange(year, at_month)[1]
        candidate = datetime(year, at_month, min(day, last), hour, minute, second, tzinfo=UTC)
        if candidate.timestamp() > start:
            return int(candidate.timestamp())
        if month is None:
            year, at_month = (year + 1, 1) if at_month == 12 else (year, at_month + 1)
        else:
            year += 1
    raise AssertionError("an anchor is found within two years")
