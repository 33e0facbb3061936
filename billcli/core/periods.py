"""Billing periods: every boundary derived from the anchor, and prorations to the second.

Facts §2.4: boundaries come from the billing cycle anchor, never from the previous
period's end, so an anchor on the 31st bills on the 30th of April, the 28th (or 29th)
of February, then the 31st again; a yearly anchor on 29 February bills on the 28th in
common years. The anchor's time of day (UTC) is kept on every boundary. Day and week
intervals are whole multiples of 86,400 s.

Pure: instants are unix seconds, nothing here reads a clock.
"""

from __future__ import annotations

import calendar
from datetime import UTC, datetime

from billcli.errors import InvalidRequest

INTERVALS = ("day", "week", "month", "year")
DAY_S = 86_400
# Stripe's longest billing interval: three years (docs; the 2023 spec text said one).
MAX_INTERVAL_COUNT = {"day": 1095, "week": 156, "month": 36, "year": 3}


def check_interval(interval: str, count: int) -> tuple[str, int]:
    """A recurring interval within Stripe's limits, or an error naming the parameter."""
    if interval not in INTERVALS:
        raise InvalidRequest(
            f"Invalid recurring_interval: '{interval}' (day, week, month or year)",
            param="recurring_interval",
        )
    limit = MAX_INTERVAL_COUNT[interval]
    if not 1 <= count <= limit:
        raise InvalidRequest(
            f"Invalid interval_count: {count}; a {interval}ly price repeats every 1 to {limit} "
            f"{interval}s (at most three years)",
            param="interval_count",
        )
    return interval, count


def boundary(anchor: int, interval: str, count: int, k: int) -> int:
    """The k-th boundary after (k < 0: before) the anchor, k periods of `count` intervals."""
    if interval == "day":
        return anchor + k * count * DAY_S
    if interval == "week":
        return anchor + k * count * 7 * DAY_S
    moment = datetime.fromtimestamp(anchor, UTC)
    months = k * count * (12 if interval == "year" else 1)
    index = moment.year * 12 + (moment.month - 1) + months
    year, month = divmod(index, 12)
    day = min(moment.day, calendar.monthrange(year, month + 1)[1])
    return int(moment.replace(year=year, month=month + 1, day=day).timestamp())


def _approximate_length(interval: str, count: int) -> int:
    per = {"day": DAY_S, "week": 7 * DAY_S, "month": 2_629_746, "year": 31_556_952}
    return per[interval] * count


def period_at(anchor: int, interval: str, count: int, instant: int) -> tuple[int, int]:
    """The period [start, end) of the cycle anchored at `anchor` that holds `instant`."""
    k = (instant - anchor) // _approximate_length(interval, count)
    while boundary(anchor, interval, count, k) > instant:
        k -= 1
    while boundary(anchor, interval, count, k + 1) <= instant:
        k += 1
    return boundary(anchor, interval, count, k), boundary(anchor, interval, count, k + 1)


def next_boundary(anchor: int, interval: str, count: int, instant: int) -> int:
    """The first boundary strictly after `instant`."""
    return period_at(anchor, interval, count, instant)[1]


def prorate(amount: int, part_s: int, whole_s: int) -> int:
    """`amount × part / whole`, rounded half away from zero (billcli-decisions), exactly."""
    if whole_s <= 0:
        raise ValueError("a period has a positive length")
    magnitude = (2 * abs(amount) * part_s + whole_s) // (2 * whole_s)
    return -magnitude if amount < 0 else magnitude


def interval_words(interval: str, count: int) -> str:
    """`month`, or `3 months`: how a price's period reads on a line."""
    return interval if count == 1 else f"{count} {interval}s"


def span_charge(
    amount: int,
    anchor: int,
    interval: str,
    count: int,
    start: int,
    end: int,
    *,
    prorate_partial: bool = True,
) -> tuple[int, bool]:
    """What `amount` per period charges for [start, end), and whether part of it is a
    partial period (a stub before the anchor, a last period cut by `cancel_at`).

    The span is cut at the cycle's boundaries; each whole cycle costs `amount`, each part
    of one is prorated to the second (or free without `prorate_partial`).
    """
    total, partial, at = 0, False, start
    while at < end:
        cycle_start, cycle_end = period_at(anchor, interval, count, at)
        piece_end = min(end, cycle_end)
        if at == cycle_start and piece_end == cycle_end:
            total += amount
        else:
            partial = True
            if prorate_partial:
                total += prorate(amount, piece_end - at, cycle_end - cycle_start)
        at = piece_end
    return total, partial


def first_period_charge(
    amount: int,
    anchor: int,
    interval: str,
    count: int,
    start: int,
    *,
    prorate_partial: bool = True,
) -> tuple[int, bool]:
    """What a subscription started at `start`, its cycle at `anchor`, charges for an item
    of `amount` a period on its first invoice, and whether that is a stub (a proration,
    as the invoice's line is): up to the cycle's next boundary, so a stub before a
    billing cycle anchor is prorated (free without `prorate_partial`). The
    subscription's creation bills this span; a Checkout Session shows it."""
    end = next_boundary(anchor, interval, count, start)
    return span_charge(amount, anchor, interval, count, start, end, prorate_partial=prorate_partial)
