"""Plain-text renderings of values shared by tables and details (no rich here)."""

from __future__ import annotations

from typing import Any

from billcli.core.dates import utc_text
from billcli.core.money import format_amount


def when(timestamp: int | None, *, short: bool = False) -> str:
    """A readable UTC date and time (`short` drops the zone, for table columns)."""
    return "" if timestamp is None else utc_text(timestamp, short=short)


def money(amount: int | None, currency: str | None) -> str:
    """An amount in its currency; a bare number while an object has no currency yet."""
    if amount is None:
        return ""
    return format_amount(amount, currency) if currency else str(amount)


def balance_words(balance: int, currency: str | None) -> str:
    """A customer balance as an operator reads it: credit is negative in Stripe."""
    if balance < 0:
        return f"credit of {format_amount(-balance, currency)}"
    if balance > 0:
        return f"owes {format_amount(balance, currency)}"
    return f"none ({format_amount(0, currency)})"


def metadata(value: dict[str, Any] | None) -> str:
    return ", ".join(f"{k}={v}" for k, v in (value or {}).items())


def plain(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "yes" if value else "no"
    return str(value)
