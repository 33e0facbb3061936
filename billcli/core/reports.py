"""The arithmetic of reports: periods, monthly recurring revenue, movement, aging.

Pure: the store aggregates rows in SQL; this module says what the periods are, how a
price becomes a monthly amount, how a customer's MRR between two instants is one kind
of movement, and which bucket a day past due falls in. Amounts stay integers in minor
units, per currency; nothing here adds two currencies together.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta

from billcli.core.dates import moment
from billcli.errors import InvalidRequest

BY = ("day", "week", "month")
DAY_S = 86_400
AGING_BUCKETS = ("current", "1_30", "31_60", "61_90", "over_90")
MOVEMENTS = ("new", "expansion", "contraction", "churned", "reactivated")
# A price's interval as months: a year is 12, a week 12/52 of one, a day 12/365.
_PER_MONTH = {"month": (1, 1), "year": (1, 12), "week": (52, 12), "day": (365, 12)}


@dataclass(frozen=True)
class Window:
    """The periods a report covers: [start, end) each, from `start` to `end`."""

    by: str
    start: int
    end: int
    periods: tuple[tuple[int, int], ...] = field(default=())


def period_start(instant: int, by: str) -> int:
    """The start (UTC midnight) of the day, week (Monday) or month holding `instant`."""
    day = datetime.fromtimestamp(instant, UTC).replace(hour=0, minute=0, second=0)
    if by == "week":
        day -= timedelta(days=day.weekday())
    elif by == "month":
        day = day.replace(day=1)
    return int(day.timestamp())


def _next(start: int, by: str) -> int:
    moment = datetime.fromtimestamp(start, UTC)
    if by == "day":
        return int((moment + timedelta(days=1)).timestamp())
    if by == "week":
        return int((moment + timedelta(days=7)).timestamp())
    year, month = divmod(moment.month, 12)
    return int(moment.replace(year=moment.year + year, month=month + 1).timestamp())


MAX_PERIODS = 1_000


def window(by: str | None, start: int | None, end: int | None, now: int) -> Window:
    """The checked window: by default the 12 months (or 12 weeks, 31 days) to `now`."""
    chosen = by or "month"
    if chosen not in BY:
        raise InvalidRequest(f"Invalid by: '{chosen}' ({', '.join(BY)})", param="by")
    last = end if end is not None else now
    if start is None:
        back = {"day": 30, "week": 11, "month": 11}[chosen]
        first = period_start(last, chosen)
        for _ in range(back):
            first = period_start(first - 1, chosen)
    else:
        first = start
    if first > last:
        raise InvalidRequest(
            f"Invalid from: {moment(first)} is after to ({moment(last)}); give --from before --to",
            param="from",
        )
    periods: list[tuple[int, int]] = []
    cursor = period_start(first, chosen)
    # `last` itself is counted: a window ending on a boundary (a clock at midnight) ends
    # with the first second of the next period, which holds what happened at `last`.
    while cursor <= last:
        following = _next(cursor, chosen)
        periods.append((max(cursor, first), min(following, last + 1)))
        cursor = following
        if len(periods) > MAX_PERIODS:
            raise InvalidRequest(
                f"Invalid from: more than {MAX_PERIODS} {chosen}s between --from and --to",
                param="from",
            )
    return Window(chosen, first, last, tuple(periods))


def day_end(day_start: int, now: int) -> int:
    """The end of a report window given as a date: that whole day (its last second), or
    the ledger clock while the day is under way (a report covers what has happened)."""
    last = day_start + DAY_S - 1
    return now if day_start <= now < last else last


def monthly(amount: int, interval: str, count: int) -> int:
    """An amount billed every `count` intervals, as a month's share, rounded half away
    from zero: weekly × 52/12, yearly ÷ 12, daily × 365/12."""
    times, months = _PER_MONTH[interval]
    numerator, denominator = amount * times, months * count
    magnitude = (2 * abs(numerator) + denominator) // (2 * denominator)
    return -magnitude if numerator < 0 else magnitude


def movement(before: int, after: int, *, paid_before: bool) -> str | None:
    """What a customer's MRR did between two instants (`paid_before`: had any earlier)."""
    if before == after:
        return None
    if before == 0:
        return "reactivated" if paid_before else "new"
    if after == 0:
        return "churned"
    return "expansion" if after > before else "contraction"


def retention(start: int, expansion: int, contraction: int, churned: int) -> float | None:
    """Net revenue retention of a period: what the customers at its start pay at its end,
    as a share of what they paid at its start (None when nobody paid at the start)."""
    if start <= 0:
        return None
    return round((start + expansion - contraction - churned) / start, 4)


def effective(
    mrr: int, hundredths: int | None, monthly_off: int | None, end: int | None, at: int
) -> int:
    """A subscription's MRR at `at` from a history row: less its discount until the
    discount ends (`reports mrr` computes the same in SQL over many rows at once)."""
    if end is not None and at >= end:
        return mrr
    if hundredths is not None:
        return mrr - (2 * mrr * hundredths + 10_000) // 20_000
    if monthly_off is not None:
        return max(mrr - monthly_off, 0)
    return mrr
