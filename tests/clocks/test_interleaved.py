"""Two test clocks and the ledger clock in one ledger, advanced in turn: each clock's
customers are billed exactly as their own time says, computed here from the calendar
(periods from the anchor, month ends clamped, an hour from a renewal to its payment),
and advancing one clock leaves every other customer untouched."""

from __future__ import annotations

import calendar
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from typing import Any

from tests.clocks.conftest import ts

HOUR = 3600


def _boundary(anchor: int, interval: str, n: int) -> int:
    """The start of period `n` of a subscription anchored at `anchor` (Stripe counts
    each from the anchor, so the 31st comes back after a short month)."""
    start = datetime.fromtimestamp(anchor, UTC)
    if interval == "week":
        return int((start + timedelta(weeks=n)).timestamp())
    months = n * (12 if interval == "year" else 1)
    year, month = divmod(start.month - 1 + months, 12)
    year, month = start.year + year, month + 1
    day = min(start.day, calendar.monthrange(year, month)[1])
    return int(start.replace(year=year, month=month, day=day).timestamp())


def _expected(anchor: int, interval: str, amount: int, now: int) -> list[tuple[Any, ...]]:
    """The invoices of a subscription created at `anchor` and paid by card, as of `now`:
    (created, total, status, line period start, line period end), oldest first. The
    first is paid at once; a renewal is a draft for an hour, then finalized and paid."""
    rows = []
    n = 0
    while (created := _boundary(anchor, interval, n)) <= now:
        paid = n == 0 or created + HOUR <= now
        period = (created, _boundary(anchor, interval, n + 1))
        rows.append((created, amount, "paid" if paid else "draft", *period))
        n += 1
    return rows


def _invoices(ok: Callable[..., Any], customer: str) -> list[tuple[Any, ...]]:
    listed = ok("invoices", "list", "--customer", customer, "--all")["data"]
    rows = []
    for invoice in sorted(listed, key=lambda i: i["created"]):
        (line,) = invoice["lines"]["data"]
        period = line["period"]
        rows.append(
            (
                invoice["created"],
                invoice["total"],
                invoice["status"],
                period["start"],
                period["end"],
            )
        )
    return rows


def test_two_clocks_and_the_ledger_clock_interleaved_bill_each_customer_in_its_own_time(
    ok: Callable[..., Any],
    new_clock: Callable[..., str],
    clock_customer: Callable[..., str],
    catalog: dict[str, str],
    at_start: int,
    checked_ledger: Callable[[], None],
) -> None:
    x_start, y_start = ts("2020-01-31T12:00:00Z"), ts("2023-03-15T08:30:00Z")
    x, y = new_clock("2020-01-31T12:00:00Z", "x"), new_clock("2023-03-15T08:30:00Z", "y")
    plans = {  # customer: (clock start, interval, amount, price, quantity)
        clock_customer(x, "Xavier"): (x_start, "month", 2000, "monthly", 1),
        clock_customer(x, "Xena"): (x_start, "week", 2100, "weekly", 3),
        clock_customer(y, "Yves"): (y_start, "month", 4000, "monthly", 2),
        clock_customer(y, "Yara"): (y_start, "year", 20000, "yearly", 1),
        ok("customers", "create", "--name", "Lee", "--payment-method", "pm_card_visa")["id"]: (
            at_start, "month", 2000, "monthly", 1,
        ),
    }  # fmt: skip
    for customer, (_, _, _, price, quantity) in plans.items():
        ok("subscriptions", "create", "--customer", customer, "--price",
           f"{catalog[price]}:{quantity}")  # fmt: skip
    now = {x: x_start, y: y_start, None: at_start}
    clock_of = {c: (x if p[0] == x_start else y if p[0] == y_start else None)
                for c, p in plans.items()}  # fmt: skip

    def check() -> None:
        for customer, (anchor, interval, amount, _, _) in plans.items():
            expected = _expected(anchor, interval, amount, now[clock_of[customer]])
            assert _invoices(ok, customer) == expected, customer

    moves = [
        (x, "--by", "10d"),
        (y, "--to", "2023-05-15T09:00:00Z"),  # half an hour after May's renewal: a draft
        (None, "--by", "12d"),
        (x, "--to", "2020-03-31T12:30:00Z"),  # the 31st again, after February's 29th
        (y, "--by", "400d"),
        (x, "--by", "1h"),
        (None, "--by", "15d"),  # 27 days: a clock is deleted after 30 of the ledger's
        (x, "--by", "366d"),
    ]
    for clock, option, value in moves:
        before = {c: _invoices(ok, c) for c, owner in clock_of.items() if owner != clock}
        if clock is None:
            ok("invoices", "tick", option, value)
            moved = ok("ledger", "clock")["now"]
        else:
            moved = ok("clocks", "advance", clock, option, value)["frozen_time"]
        now[clock] = moved
        check()
        assert {c: _invoices(ok, c) for c in before} == before, "another clock's customers moved"
    assert now[x] == ts("2021-04-01T13:30:00Z")  # 366 days after 2020-03-31
    checked_ledger()
