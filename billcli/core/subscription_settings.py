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
from datetime import UTC, datetime
from typing import Any

from billcli.core import intent_details, limits
from billcli.errors import InvalidRequest

MAX_PENDING_INTERVAL = {"day": 365, "week": 52, "month": 12, "year": 1}
SAVE_DEFAULT = ("off", "on_subscription")


def missing_payment_method(given: Any) -> str:
    """`trial_settings[end_behavior][missing_payment_method]`."""
    settings = limits.hash_of(given, "trial_settings")
    limits.only_keys(settings, ("end_behavior",), "trial_settings")
    behavior = limits.hash_of(settings.get("end_behavior") or {}, "trial_settings[end_behavior]")
    limits.only_keys(behavior, ("missing_payment_method",), "trial_settings[end_behavior]")
    param = "trial_settings[end_behavior][missing_payment_method]"
    chosen = behavior.get("missing_payment_method")
    if chosen is None:
        raise InvalidRequest.missing(param)
    return str(limits.choice(chosen, limits.ENUMS["missing_payment_method"], param))


def pending_interval(given: Any) -> dict[str, Any] | None:
    """`pending_invoice_item_interval` as stored (None for "": no longer invoiced so)."""
    if given == "" or given is None:
        return None
    param = "pending_invoice_item_interval"
    interval = limits.hash_of(given, param)
    limits.only_keys(interval, ("interval", "interval_count"), param)
    unit = limits.choice(interval.get("interval"), limits.ENUMS["interval"], f"{param}[interval]")
    if unit is None:
        raise InvalidRequest.missing(f"{param}[interval]")
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
    settings = intent_details.payment_settings(
        given, ("network", "request_three_d_secure"), ("save_default_payment_method",)
    )
    if settings is None:
        return None
    settings["save_default_payment_method"] = limits.choice(
        settings["save_default_payment_method"] or "off",
        SAVE_DEFAULT,
        "payment_settings[save_default_payment_method]",
    )
    return settings


def anchor_from_config(given: Any, start: int, interval: str) -> int:
    """The first instant after `start` that `billing_cycle_anchor_config` names: its day
    of the month (the month's last day when shorter), hour, minute and second (UTC), in
    its month for a yearly price."""
    param = "billing_cycle_anchor_config"
    config = limits.hash_of(given, param)
    limits.only_keys(config, ("day_of_month", "hour", "minute", "month", "second"), param)

    def number(key: str, low: int, high: int, default: int | None) -> int:
        value = config.get(key)
        if value is None:
            if default is None:
                raise InvalidRequest.missing(f"{param}[{key}]")
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
