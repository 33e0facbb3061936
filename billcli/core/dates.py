"""Unix seconds as people read them (UTC); formatting only, never a clock read."""

from __future__ import annotations

import re
from datetime import UTC, datetime

from billcli.errors import InvalidRequest

_UNIX = re.compile(r"^-?[0-9]+$")
_DAY = re.compile(r"^[0-9]{4}-[0-9]{2}-[0-9]{2}$")


def utc_text(timestamp: int, *, short: bool = False) -> str:
    moment = datetime.fromtimestamp(timestamp, UTC)
    return moment.strftime("%Y-%m-%d %H:%M" if short else "%Y-%m-%d %H:%M:%S UTC")


def moment(timestamp: int | None) -> str:
    """A time as every message for people says it (errors, confirmations, `ledger
    check`): `2027-01-01 00:00:00 UTC`, never raw unix seconds; `none` when unset."""
    return "none" if timestamp is None else utc_text(timestamp)


def utc_date(timestamp: int) -> str:
    return datetime.fromtimestamp(timestamp, UTC).strftime("%Y-%m-%d")


def parse_instant(text: str, *, param: str) -> int:
    """Unix seconds, or an ISO 8601 date or time (UTC unless it says otherwise)."""
    value = text.strip()
    if _UNIX.match(value):
        return int(value)
    try:
        moment = datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        raise InvalidRequest(
            f"Invalid {param}: '{text}' is neither unix seconds nor an ISO 8601 time",
            param=param,
        ) from None
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    return int(moment.timestamp())


def is_day(text: str) -> bool:
    """Whether a time was given as a bare date (`2027-06-30`): a whole day."""
    return bool(_DAY.match(text.strip()))


def utc_day(timestamp: int) -> str:
    """`1 Jan 2026`: how Stripe's proration lines name a day."""
    moment = datetime.fromtimestamp(timestamp, UTC)
    return f"{moment.day} {moment.strftime('%b %Y')}"
