"""Promotion codes: the customer-facing codes of a coupon, and when one may be redeemed.

Stripe's rules (the API reference of `promotion_code`): a code is letters, digits and
dashes, unique regardless of case among the active codes a customer could use; it is
only active while its coupon is valid; it may be limited to one customer, to a number
of redemptions (no more than its coupon's), to a date (no later than its coupon's
`redeem_by`), to customers with no earlier payment, and to purchases of a minimum
amount in a currency. Every restriction is checked when the code is redeemed.
"""

from __future__ import annotations

import re
import secrets
from dataclasses import dataclass
from typing import TYPE_CHECKING

from billcli.core.dates import moment
from billcli.core.discounts import check_redeemable, valid
from billcli.core.money import format_amount
from billcli.errors import InvalidRequest

if TYPE_CHECKING:
    from billcli.core.records.discounts import Coupon, PromotionCode

MAX_CODE_LENGTH = 500
_CODE = re.compile(r"^[0-9A-Za-z-]+$")
_GENERATED = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"  # no 0/O, 1/I: read aloud, typed back
PARAM = "promotion_code"


def check_code(code: str) -> str:
    if not _CODE.match(code) or len(code) > MAX_CODE_LENGTH:
        raise InvalidRequest(
            f"Invalid code: '{code[:60]}' (letters a-z, A-Z, digits 0-9 and dashes, at most "
            f"{MAX_CODE_LENGTH})",
            param="code",
        )
    return code


def generated_code() -> str:
    """A code for a promotion code created without one (Stripe makes one up)."""
    return "".join(secrets.choice(_GENERATED) for _ in range(8))


def active(code: PromotionCode, coupon: Coupon, now: int) -> bool:
    """Stripe's `active`: as set, and only while the coupon is valid."""
    return code.active and valid(coupon, now)


@dataclass(frozen=True)
class Restrictions:
    """What a new code is limited to, checked against its coupon."""

    expires_at: int | None
    max_redemptions: int | None
    minimum_amount: int | None
    minimum_amount_currency: str | None


def check_restrictions(limits: Restrictions, coupon: Coupon, now: int) -> None:
    """A new code's limits: within its coupon's, in the future, a whole minimum."""
    if limits.max_redemptions is not None:
        if limits.max_redemptions < 1:
            raise InvalidRequest(
                "Invalid max_redemptions: it must be a positive integer", param="max_redemptions"
            )
        if coupon.max_redemptions is not None and limits.max_redemptions > coupon.max_redemptions:
            raise InvalidRequest(
                f"Invalid max_redemptions: {limits.max_redemptions} is more than the coupon's "
                f"max_redemptions ({coupon.max_redemptions})",
                param="max_redemptions",
            )
    if limits.expires_at is not None:
        if limits.expires_at <= now:
            raise InvalidRequest("Invalid expires_at: it must be in the future", param="expires_at")
        if coupon.redeem_by is not None and limits.expires_at > coupon.redeem_by:
            raise InvalidRequest(
                f"Invalid expires_at: it is after the coupon's redeem_by "
                f"({moment(coupon.redeem_by)})",
                param="expires_at",
            )
    if (limits.minimum_amount is None) != (limits.minimum_amount_currency is None):
        raise InvalidRequest(
            "Invalid restrictions[minimum_amount]: give minimum_amount with "
            "minimum_amount_currency",
            param="restrictions[minimum_amount_currency]",
        )
    if limits.minimum_amount is not None and limits.minimum_amount < 1:
        raise InvalidRequest(
            "Invalid restrictions[minimum_amount]: it must be a positive integer",
            param="restrictions[minimum_amount]",
        )


@dataclass(frozen=True)
class Redemption:
    """Who redeems a code, for how much (None: no purchase, as on a customer)."""

    customer: str
    currency: str | None
    amount: int | None = None
    paid_before: bool = False  # the customer has a successful payment or a paid invoice


def check_redeemable_code(
    code: PromotionCode, coupon: Coupon, now: int, redemption: Redemption
) -> None:
    """Refuse a code that cannot be redeemed here, naming the restriction it fails."""
    shown = code.code
    if coupon.deleted:
        raise InvalidRequest(
            f"This promotion code can no longer be redeemed: {shown}'s coupon was deleted",
            param=PARAM,
        )
    if not code.active:
        raise InvalidRequest(f"This promotion code is not active: {shown}", param=PARAM)
    if code.expires_at is not None and now >= code.expires_at:
        raise InvalidRequest(
            f"This promotion code has expired: {shown} could be redeemed until "
            f"{moment(code.expires_at)}",
            param=PARAM,
        )
    if code.max_redemptions is not None and code.times_redeemed >= code.max_redemptions:
        raise InvalidRequest(
            f"This promotion code has been redeemed the maximum number of times: {shown} "
            f"({code.max_redemptions})",
            param=PARAM,
        )
    if code.customer is not None and code.customer != redemption.customer:
        raise InvalidRequest(
            f"This promotion code cannot be redeemed by this customer: {shown} is for "
            f"{code.customer} only",
            param=PARAM,
        )
    if code.first_time_transaction and redemption.paid_before:
        raise InvalidRequest(
            "This promotion code cannot be redeemed because the associated customer has "
            "prior transactions.",
            param=PARAM,
        )
    _check_minimum(code, redemption)
    check_redeemable(coupon, now, currency=redemption.currency)


def minimum_in(code: PromotionCode, currency: str) -> int | None:
    """The code's minimum amount in `currency`, None when it has no minimum at all."""
    if code.minimum_amount is None and not code.currency_options:
        return None
    if code.minimum_amount_currency == currency:
        return code.minimum_amount
    option = code.currency_options.get(currency)
    if option is None:
        raise InvalidRequest(
            f"This promotion code cannot be redeemed in {currency}: {code.code} has a "
            f"minimum amount in {code.minimum_amount_currency} only",
            param=PARAM,
        )
    return int(option["minimum_amount"])


def _check_minimum(code: PromotionCode, redemption: Redemption) -> None:
    if code.minimum_amount is None and not code.currency_options:
        return
    if redemption.amount is None or redemption.currency is None:
        raise InvalidRequest(
            f"This promotion code has a minimum amount and can only be redeemed on a purchase "
            f"(a subscription or an invoice), not on a customer: {code.code}",
            param=PARAM,
        )
    minimum = minimum_in(code, redemption.currency) or 0
    if redemption.amount < minimum:
        raise InvalidRequest(
            f"This promotion code requires a minimum amount of "
            f"{format_amount(minimum, redemption.currency)}; this purchase comes to "
            f"{format_amount(redemption.amount, redemption.currency)}",
            param=PARAM,
        )
