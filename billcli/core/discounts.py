"""Coupons and discounts: what a coupon may be, when a discount applies, and its cents.

Facts §5 and billcli-decisions ("Coupons and credit notes"): a coupon takes a
percentage or an amount (in one currency) off, `once`, `repeating` for some months, or
`forever`; a discount applies it to a customer, a subscription (which overrides the
customer's) or one invoice. Only discountable lines are discounted (never prorations
nor credits): a percentage off each, rounded half away from zero; an amount split in
proportion, the floor of its share to each line but the last, which gets the rest.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import TYPE_CHECKING

from billcli.core.dates import moment
from billcli.core.money import format_amount
from billcli.core.periods import boundary, prorate
from billcli.errors import InvalidRequest

if TYPE_CHECKING:
    from billcli.core.records.discounts import Coupon, Discount

DURATIONS = ("forever", "once", "repeating")
MAX_MONTHS = 120
_PERCENT = re.compile(r"^\d{1,3}(\.\d{1,2})?$")
_COUPON_ID = re.compile(r"^[0-9A-Za-z_-]{1,64}$")


@dataclass(frozen=True)
class Terms:
    """A coupon's terms, checked: exactly one of a percentage or an amount."""

    percent_off: float | None
    amount_off: int | None
    currency: str | None
    duration: str
    duration_in_months: int | None


def check_terms(
    percent_off: str | None,
    amount_off: int | None,
    currency: str | None,
    duration: str | None,
    duration_in_months: int | None,
) -> Terms:
    """The terms of a new coupon, or an error naming the parameter that is wrong."""
    if percent_off is not None and amount_off is not None:
        raise InvalidRequest.exclusive(("amount_off", "percent_off"), "percent_off")
    if percent_off is None and amount_off is None:
        raise InvalidRequest(
            "Invalid percent_off: give either --percent-off or --amount-off (with --currency)",
            param="percent_off",
        )
    percent = None
    if percent_off is not None:
        if not _PERCENT.match(percent_off) or not 0 < float(percent_off) <= 100:
            raise InvalidRequest(
                f"Invalid percent_off: '{percent_off}' (more than 0, at most 100, "
                "two decimal places)",
                param="percent_off",
            )
        percent = float(percent_off)
        if currency is not None:
            raise InvalidRequest(
                "Invalid currency: only an amount-off coupon has a currency", param="currency"
            )
    if amount_off is not None:
        if amount_off <= 0:
            raise InvalidRequest("Invalid amount_off: it must be positive", param="amount_off")
        if currency is None:
            raise InvalidRequest(
                "Missing currency: an amount-off coupon needs --currency", param="currency"
            )
    chosen = duration or "once"
    if chosen not in DURATIONS:
        raise InvalidRequest(
            f"Invalid duration: '{chosen}' ({', '.join(DURATIONS)})", param="duration"
        )
    if chosen == "repeating":
        if duration_in_months is None:
            raise InvalidRequest(
                "Missing duration_in_months: a repeating coupon needs --duration-in-months",
                param="duration_in_months",
            )
        if not 1 <= duration_in_months <= MAX_MONTHS:
            raise InvalidRequest(
                f"Invalid duration_in_months: 1 to {MAX_MONTHS}", param="duration_in_months"
            )
    elif duration_in_months is not None:
        raise InvalidRequest(
            "Invalid duration_in_months: only a repeating coupon has one",
            param="duration_in_months",
        )
    return Terms(percent, amount_off, currency, chosen, duration_in_months)


def check_one_offer(coupon: str | None, promotion_code: str | None, remove: bool = False) -> None:
    """A holder is given one coupon or one promotion code, or has its discount removed."""
    if coupon and promotion_code:
        raise InvalidRequest.exclusive(("coupon", "promotion_code"), "promotion_code")
    given = "coupon" if coupon else "promotion_code" if promotion_code else None
    if given is not None and remove:
        raise InvalidRequest(
            f"Invalid {given}: not with --remove-discount; choose one", param=given
        )


def off_words(percent_off: float | None, amount_off: int | None, currency: str | None) -> str:
    """`25% off` or `$5.00 off`: how a coupon reads on an invoice and in completion."""
    if percent_off is not None:
        return f"{percent_off:g}% off"
    return f"{format_amount(amount_off or 0, currency)} off"


def check_coupon_id(value: str) -> str:
    if not _COUPON_ID.match(value):
        raise InvalidRequest(
            f"Invalid id: '{value}' (letters, digits, _ and -, at most 64)", param="id"
        )
    return value


def valid(coupon: Coupon, now: int) -> bool:
    """Whether the coupon can still be redeemed (Stripe's `valid`)."""
    return not (
        coupon.deleted
        or (coupon.redeem_by is not None and now >= coupon.redeem_by)
        or (coupon.max_redemptions is not None and coupon.times_redeemed >= coupon.max_redemptions)
    )


def check_redeemable(coupon: Coupon, now: int, *, currency: str | None) -> None:
    """Refuse a coupon that is used up, expired, or in another currency than `currency`."""
    if coupon.redeem_by is not None and now >= coupon.redeem_by:
        raise InvalidRequest(
            f"Invalid coupon: {coupon.id} could be redeemed until {moment(coupon.redeem_by)}",
            param="coupon",
            code="coupon_expired",
        )
    if coupon.max_redemptions is not None and coupon.times_redeemed >= coupon.max_redemptions:
        raise InvalidRequest(
            f"Invalid coupon: {coupon.id} has been redeemed {coupon.times_redeemed} times, "
            "its maximum",
            param="coupon",
            code="coupon_expired",
        )
    if currency is not None and not coupon.takes(currency):
        raise InvalidRequest(
            f"Invalid coupon: {coupon.id} takes {coupon.currency} off, not {currency}",
            param="coupon",
        )


def discount_end(coupon: Coupon, start: int) -> int | None:
    """When a discount that starts at `start` stops: months later for `repeating`."""
    if coupon.duration != "repeating" or coupon.duration_in_months is None:
        return None
    return boundary(start, "month", coupon.duration_in_months, 1)


def covers(discount: Discount, coupon: Coupon, created: int, currency: str) -> bool:
    """Whether a live discount applies to an invoice created at `created`."""
    return (
        discount.ended_at is None
        and discount.start <= created
        and (discount.end is None or created < discount.end)
        and coupon.takes(currency)
    )


def discountable_by_default(amount: int, proration: bool) -> bool:
    """Whether a line takes a discount unless told otherwise: never a proration (such as
    a subscription's stub before its billing cycle anchor) nor a credit."""
    return amount >= 0 and not proration


def line_discounts(
    amounts: list[int], discountable: list[bool], coupon: Coupon, currency: str | None = None
) -> list[int]:
    """The discount of each line: only discountable lines with a positive amount (an
    amount off in `currency`: the coupon's own, or its option in that currency)."""
    eligible = [
        i for i, (a, ok) in enumerate(zip(amounts, discountable, strict=True)) if ok and a > 0
    ]
    out = [0] * len(amounts)
    if coupon.percent_off is not None:
        hundredths = round(coupon.percent_off * 100)
        for i in eligible:
            out[i] = prorate(amounts[i], hundredths, 10_000)
        return out
    base = sum(amounts[i] for i in eligible)
    off = min(coupon.amount_off_in(currency or str(coupon.currency)) or 0, base)
    given = 0
    for n, i in enumerate(eligible):
        share = off - given if n == len(eligible) - 1 else off * amounts[i] // base
        out[i] = share
        given += share
    return out
