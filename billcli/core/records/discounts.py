"""Coupons and the discounts that apply them."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any


@dataclass(frozen=True)
class Coupon:
    """A reusable discount: a percentage or an amount off, for a duration."""

    id: str
    created: int
    duration: str = "once"
    percent_off: float | None = None
    amount_off: int | None = None
    currency: str | None = None
    duration_in_months: int | None = None
    max_redemptions: int | None = None
    redeem_by: int | None = None
    times_redeemed: int = 0
    name: str | None = None
    metadata: dict[str, str] = field(default_factory=dict)
    deleted: bool = False
    applies_to: list[str] | None = None  # the products whose lines it discounts (None: all)
    currency_options: dict[str, dict[str, Any]] = field(default_factory=dict)  # amount_off

    def amount_off_in(self, currency: str) -> int | None:
        """What an amount-off coupon takes off in `currency` (None: not in it)."""
        if currency == self.currency:
            return self.amount_off
        option = self.currency_options.get(currency)
        return None if option is None else int(option["amount_off"])

    def takes(self, currency: str) -> bool:
        """Whether it discounts invoices in `currency` (a percentage: every currency)."""
        return self.percent_off is not None or self.amount_off_in(currency) is not None


@dataclass(frozen=True)
class Discount:
    """A coupon applied to a customer, a subscription, one invoice or one Checkout
    Session's payment (`checkout_session`, payment mode: maybe a guest's, no customer),
    from `start`.

    `end` is when a repeating coupon stops; `ended_at` is when the discount was
    removed, replaced or used up (a `once` coupon, by the invoice it discounted).
    """

    id: str
    coupon: str
    start: int
    customer: str | None
    subscription: str | None = None
    invoice: str | None = None
    end: int | None = None
    ended_at: int | None = None
    invoice_item: str | None = None  # the one item it discounts (an item's own discount)
    promotion_code: str | None = None  # the code redeemed for it, if any
    checkout_session: str | None = None  # the payment-mode session it discounted


@dataclass(frozen=True)
class PromotionCode:
    """A customer-facing code of a coupon, with the restrictions on redeeming it.

    `active` is what was set; the object shows it active only while its coupon is
    valid too. Restrictions are checked when the code is redeemed, never after.
    """

    id: str
    code: str
    coupon: str
    created: int
    active: bool = True
    customer: str | None = None
    expires_at: int | None = None
    max_redemptions: int | None = None
    times_redeemed: int = 0
    first_time_transaction: bool = False
    minimum_amount: int | None = None
    minimum_amount_currency: str | None = None
    # Minimum amounts in other currencies: {"eur": {"minimum_amount": 4500}}.
    currency_options: dict[str, dict[str, int]] = field(default_factory=dict)
    metadata: dict[str, str] = field(default_factory=dict)
