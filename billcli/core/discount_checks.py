"""The invariants of coupons and promotion codes: redemptions counted and limits kept
(`ledger check`)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

from billcli.core.ledger import Problem

if TYPE_CHECKING:
    from billcli.core.records.discounts import Coupon, Discount, PromotionCode


def _redemptions(times: int, most: int | None, discounts: Sequence[Discount]) -> list[str]:
    """Each redemption is one discount, and no more than allowed."""
    problems = []
    if times != len(discounts):
        problems.append(f"times_redeemed {times} differs from its {len(discounts)} discounts")
    if most is not None and times > most:
        problems.append(f"redeemed {times} times, over {most}")
    return problems


def check_coupon(coupon: Coupon, discounts: Sequence[Discount]) -> list[Problem]:
    problems = _redemptions(coupon.times_redeemed, coupon.max_redemptions, discounts)
    if (coupon.percent_off is None) == (coupon.amount_off is None):
        problems.append("it must take a percentage or an amount off, one of the two")
    return [Problem(coupon.id, p) for p in problems]


def check_promotion_code(code: PromotionCode, discounts: Sequence[Discount]) -> list[Problem]:
    """Each redemption of a code is a discount of its coupon, counted once, within its
    limit; a minimum has its currency."""
    problems = _redemptions(code.times_redeemed, code.max_redemptions, discounts)
    problems += [
        f"its discount {d.id} is of coupon {d.coupon}, not of {code.coupon}"
        for d in discounts
        if d.coupon != code.coupon
    ]
    if (code.minimum_amount is None) != (code.minimum_amount_currency is None):
        problems.append("a minimum amount needs its currency, and a currency its amount")
    return [Problem(code.id, p) for p in problems]
