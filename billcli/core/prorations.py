"""Prorations: the money of a change made inside a period, to the second.

Facts §3 and billcli-decisions: for each item a change affects, the unused time of what
was billed is credited ("Unused time on …") and the remaining time of what replaces it
is charged ("Remaining time on …"), each `unit × quantity × remaining / period`,
rounded half away from zero. The period is the billing cycle the proration date falls
in (a stub is prorated against its whole cycle, as it was billed). Pure: the caller
gives the instants; the same inputs always give the same cents, which is what keeps
`invoices upcoming` and `subscriptions update` in agreement.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from billcli.core.catalog import amount_for
from billcli.core.dates import moment, utc_day
from billcli.core.periods import span_charge
from billcli.errors import InvalidRequest

if TYPE_CHECKING:
    from billcli.core.records.catalog import Price


@dataclass(frozen=True)
class Cycle:
    """A subscription's billing cycle: anchor and interval."""

    anchor: int
    interval: str
    count: int


@dataclass(frozen=True)
class Priced:
    """An item as billed: which item, at which price, how many, of which product."""

    item: str
    price: Price
    quantity: int
    product_name: str
    currency: str | None = None  # the subscription's, when the price has options


@dataclass(frozen=True)
class Proration:
    """One proration line: a credit (negative) or a charge for [start, end)."""

    priced: Priced
    amount: int
    start: int
    end: int

    @property
    def description(self) -> str:
        words = "Unused time on" if self.amount < 0 else "Remaining time on"
        times = f"{self.priced.quantity} × " if self.priced.quantity > 1 else ""
        return f"{words} {times}{self.priced.product_name} after {utc_day(self.start)}"


def check_date(at: int, period: tuple[int, int]) -> int:
    """A proration date inside the current period [start, end)."""
    start, end = period
    if not start <= at < end:
        raise InvalidRequest(
            f"Invalid proration_date: {moment(at)} is outside the current period "
            f"({moment(start)} to {moment(end)})",
            param="proration_date",
        )
    return at


def _prorated(priced: Priced, cycle: Cycle, at: int, end: int, sign: int) -> Proration:
    full = amount_for(priced.price, priced.quantity, priced.currency)
    amount, _ = span_charge(full, cycle.anchor, cycle.interval, cycle.count, at, end)
    return Proration(priced, sign * amount, at, end)


def change(
    before: list[Priced], after: list[Priced], cycle: Cycle, at: int, end: int
) -> list[Proration]:
    """The prorations of replacing `before` by `after` at `at` (period ends at `end`):
    credits for items removed or changed, charges for items added or changed. An item
    whose price and quantity stay the same is not prorated."""
    kept = {(p.item, p.price.id, p.quantity) for p in after}
    now = {(p.item, p.price.id, p.quantity) for p in before}
    lines = [
        _prorated(p, cycle, at, end, -1)
        for p in before
        if (p.item, p.price.id, p.quantity) not in kept
    ]
    lines += [
        _prorated(p, cycle, at, end, +1)
        for p in after
        if (p.item, p.price.id, p.quantity) not in now
    ]
    return [line for line in lines if line.amount]


def unused(before: list[Priced], cycle: Cycle, at: int, end: int) -> list[Proration]:
    """Credits for the unused time of every item (a cancellation with --prorate)."""
    return change(before, [], cycle, at, end)
