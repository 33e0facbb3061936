"""The invariants of coupons: redemptions counted and limits kept (`ledger check`)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

from billcli.core.ledger import Problem

if TYPE_CHECKING:
    from billcli.core.records.discounts import Coupon, Discount


def check_coupon(coupon: Coupon, discounts: Sequence[Discount]) -> list[Problem]:
    problems = []
    if coupon.times_redeemed != len(discounts):
        problems.append(
            f"times_redeemed {coupon.times_redeemed} differs from its {len(discounts)} discounts"
        )
    if coupon.max_redemptions is not None and coupon.times_redeemed > coupon.max_redemptions:
        problems.append(f"redeemed {coupon.times_redeemed} times, over {coupon.max_redemptions}")
    if (coupon.percent_off is None) == (coupon.amount_off is None):
        problems.append("it must take a percentage or an amount off, one of the two")
    return [Problem(coupon.id, p) for p in problems]
