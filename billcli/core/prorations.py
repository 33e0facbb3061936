"""Prorations: the money of a change made inside a period, to the second.

Facts §3 and billcli-decisions: for each item a change affects, the unused time of what
was billed is credited ("Unused time on …") and the remaining time of what replaces it
is charged ("Remaining time on …"), rounded half away from zero. Stripe's default
`proration_discounts: included` (docs, "Prorations and discounts"): a proration's amount
is net of the discount that applied to the subscription, and names that discount in
`proration_details.discount_amounts`; prorations themselves are not discountable.

- A charge is `(unit × quantity − the discount's cut of a whole period) × remaining /
  period`, the period being the billing cycle the proration date falls in (a stub is
  prorated against its whole cycle, as it was billed).
- A credit is the part of what the item was *billed* for the period (its lines, net of
  their discounts and credit notes, on invoices not voided or still pending) that falls
  in the unused time: never more than was paid for that time, whatever coupon applies
  now or whatever changed without a proration.

Pure: the caller gives the instants and the lines; the same inputs always give the same
cents, which is what keeps `invoices upcoming` and `subscriptions update` in agreement.
"""

from __future__ import annotations

from dataclasses import dataclass
from fractions import Fraction
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
class Charged:
    """One line that billed an item for [start, end): `net` after its discount and
    credit notes (a fraction once an amount-only credit note took a share of it),
    `gross` before its discount (a credit's are negative)."""

    net: int | Fraction
    gross: int | Fraction
    start: int
    end: int
    discount: str | None


@dataclass(frozen=True)
class Proration:
    """One proration line: a credit (negative) or a charge for [start, end), net of
    `discount`, which took `discount_amount` off it."""

    priced: Priced
    amount: int
    start: int
    end: int
    discount: str | None = None
    discount_amount: int = 0

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


def changed(before: list[Priced], after: list[Priced]) -> tuple[list[Priced], list[Priced]]:
    """The items a change credits (removed or changed) and charges (added or changed): an
    item whose price and quantity stay the same is not prorated."""
    kept = {(p.item, p.price.id, p.quantity) for p in after}
    now = {(p.item, p.price.id, p.quantity) for p in before}
    return (
        [p for p in before if (p.item, p.price.id, p.quantity) not in kept],
        [p for p in after if (p.item, p.price.id, p.quantity) not in now],
    )


def remaining(
    priced: Priced, cycle: Cycle, at: int, end: int, *, cut: int = 0, discount: str | None = None
) -> Proration:
    """The charge for [at, end) of `priced`, whose whole period the discount cuts by `cut`."""
    full = amount_for(priced.price, priced.quantity, priced.currency)
    gross, _ = span_charge(full, cycle.anchor, cycle.interval, cycle.count, at, end)
    net, _ = span_charge(full - cut, cycle.anchor, cycle.interval, cycle.count, at, end)
    taken = gross - net
    return Proration(priced, net, at, end, discount if taken else None, taken)


def unused(priced: Priced, charged: list[Charged], at: int, end: int) -> Proration:
    """The credit for [at, end) of what `charged` billed the item for it, to the second."""
    net = gross = Fraction(0)
    discount = None
    for line in sorted(charged, key=lambda c: c.start):
        overlap = min(end, line.end) - max(at, line.start)
        if overlap <= 0 or line.end <= line.start:
            continue
        net += Fraction(line.net * overlap, line.end - line.start)
        gross += Fraction(line.gross * overlap, line.end - line.start)
        discount = line.discount or discount
    credit, before_discount = max(0, _rounded(net)), max(0, _rounded(gross))  # never a charge
    taken = max(0, before_discount - credit)
    return Proration(priced, -credit, at, end, discount if taken else None, taken)


def _rounded(exact: Fraction) -> int:
    """Half away from zero, as every amount billcli prorates."""
    magnitude = int(abs(exact) + Fraction(1, 2))
    return -magnitude if exact < 0 else magnitude
