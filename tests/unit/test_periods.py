"""Billing periods from the anchor (month-end clamping) and prorations to the second."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from hypothesis import given
from hypothesis import strategies as st

from billcli.core.periods import boundary, check_interval, period_at, prorate, span_charge
from billcli.errors import InvalidRequest


def ts(text: str) -> int:
    return int(datetime.fromisoformat(text).replace(tzinfo=UTC).timestamp())


def day(instant: int) -> str:
    return datetime.fromtimestamp(instant, UTC).strftime("%Y-%m-%d %H:%M:%S")


def test_an_anchor_on_the_31st_bills_on_the_last_day_of_shorter_months_then_the_31st() -> None:
    anchor = ts("2025-01-31 09:30:00")
    assert [day(boundary(anchor, "month", 1, k)) for k in range(5)] == [
        "2025-01-31 09:30:00",
        "2025-02-28 09:30:00",
        "2025-03-31 09:30:00",
        "2025-04-30 09:30:00",
        "2025-05-31 09:30:00",
    ]


def test_in_a_leap_year_february_ends_on_the_29th() -> None:
    assert day(boundary(ts("2028-01-30 00:00:00"), "month", 1, 1)) == "2028-02-29 00:00:00"


def test_a_yearly_anchor_on_29_february_bills_on_the_28th_in_common_years() -> None:
    anchor = ts("2028-02-29 12:00:00")
    assert [day(boundary(anchor, "year", 1, k))[:10] for k in range(5)] == [
        "2028-02-29",
        "2029-02-28",
        "2030-02-28",
        "2031-02-28",
        "2032-02-29",
    ]


def test_quarterly_and_weekly_cycles_count_whole_intervals() -> None:
    anchor = ts("2025-11-30 00:00:00")
    assert day(boundary(anchor, "month", 3, 1))[:10] == "2026-02-28"
    assert day(boundary(anchor, "month", 3, 2))[:10] == "2026-05-30"
    assert boundary(anchor, "week", 2, 3) - anchor == 6 * 7 * 86_400


def test_the_period_holding_an_instant_starts_at_or_before_it() -> None:
    anchor = ts("2025-01-31 00:00:00")
    start, end = period_at(anchor, "month", 1, ts("2025-03-15 00:00:00"))
    assert (day(start)[:10], day(end)[:10]) == ("2025-02-28", "2025-03-31")
    assert period_at(anchor, "month", 1, end) == (end, boundary(anchor, "month", 1, 3))


@given(
    st.integers(min_value=ts("2000-01-01 00:00:00"), max_value=ts("2040-01-01 00:00:00")),
    st.sampled_from([("day", 1), ("week", 1), ("month", 1), ("month", 3), ("year", 1)]),
    st.integers(min_value=-5 * 10**8, max_value=5 * 10**8),
)
def test_every_instant_lies_in_exactly_one_period(anchor, cycle, offset) -> None:
    interval, count = cycle
    instant = anchor + offset
    start, end = period_at(anchor, interval, count, instant)
    assert start <= instant < end


def test_prorations_round_half_away_from_zero_exactly() -> None:
    # facts §3: 31-day period, 445,540 s left: $10.00 -> 166, $32.52 -> 541.
    assert prorate(1000, 445_540, 2_678_400) == 166
    assert prorate(3252, 445_540, 2_678_400) == 541
    assert prorate(-3252, 445_540, 2_678_400) == -541
    assert prorate(1, 1, 2) == 1 and prorate(-1, 1, 2) == -1  # .5 rounds away from zero
    assert prorate(3, 1, 4) == 1  # 0.75


def test_a_stub_to_the_anchor_is_prorated_and_whole_cycles_are_not() -> None:
    anchor = ts("2025-02-01 00:00:00")
    start = ts("2025-01-17 00:00:00")  # 15 days of January's 31
    assert span_charge(3100, anchor, "month", 1, start, anchor) == (1500, True)
    assert span_charge(3100, anchor, "month", 1, start, anchor, prorate_partial=False) == (
        0,
        True,
    )
    assert span_charge(3100, start, "month", 1, start, boundary(start, "month", 1, 3)) == (
        9300,
        False,
    )


TOO_LONG = [("day", 1096), ("week", 157), ("month", 37), ("year", 4), ("month", 0), ("hour", 1)]


@pytest.mark.parametrize(("interval", "count"), TOO_LONG)
def test_intervals_beyond_three_years_or_unknown_are_refused(interval, count) -> None:
    with pytest.raises(InvalidRequest):
        check_interval(interval, count)
