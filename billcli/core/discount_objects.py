"""The Stripe-shaped `coupon`, `discount` and `promotion_code`.

API 2023-08-16 shapes: every property the schema lists, null where billcli has nothing
to say. A coupon's `valid` depends on the ledger clock, so it is rendered at `now`.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from billcli.core.discounts import valid
from billcli.core.promotion_codes import active

if TYPE_CHECKING:
    from billcli.core.records.discounts import Coupon, Discount, PromotionCode


def coupon(c: Coupon, now: int, *, stub_when_deleted: bool = True) -> dict[str, Any]:
    """The `coupon`, or the deleted stub a deleted coupon's own endpoints return."""
    if c.deleted and stub_when_deleted:
        return {"id": c.id, "object": "coupon", "deleted": True}
    return {
        "id": c.id,
        "object": "coupon",
        "amount_off": c.amount_off,
        "created": c.created,
        "currency": c.currency,
        "duration": c.duration,
        "duration_in_months": c.duration_in_months,
        "livemode": False,
        "max_redemptions": c.max_redemptions,
        "metadata": dict(c.metadata),
        "name": c.name,
        "percent_off": c.percent_off,
        "redeem_by": c.redeem_by,
        "times_redeemed": c.times_redeemed,
        "valid": valid(c, now),
        **_restrictions(c),
    }


def _restrictions(c: Coupon) -> dict[str, Any]:
    """`applies_to` and `currency_options`, which Stripe shows when expanded: shown when
    the coupon has them (as a tiered price shows its tiers)."""
    shown: dict[str, Any] = {}
    if c.applies_to is not None:
        shown["applies_to"] = {"products": list(c.applies_to)}
    if c.currency_options:
        shown["currency_options"] = {
            currency: {"amount_off": option["amount_off"]}
            for currency, option in sorted(c.currency_options.items())
        }
    return shown


def discount(d: Discount, c: Coupon, now: int, *, deleted: bool = False) -> dict[str, Any]:
    """The `discount` (or, once removed, `deleted_discount`) with its coupon embedded;
    a deleted coupon still shows in full in the discounts that applied it."""
    shown: dict[str, Any] = {
        "id": d.id,
        "object": "discount",
        "checkout_session": d.checkout_session,
        "coupon": coupon(c, now, stub_when_deleted=False),
        "customer": d.customer,
        "end": d.end,
        "invoice": d.invoice,
        "invoice_item": d.invoice_item,
        "promotion_code": d.promotion_code,
        "start": d.start,
        "subscription": d.subscription,
    }
    if deleted:
        shown.pop("end")
        shown["deleted"] = True
    return shown


def promotion_code(code: PromotionCode, c: Coupon, now: int) -> dict[str, Any]:
    """The `promotion_code` with its coupon embedded, as Stripe shows it; `active` only
    while the coupon is valid. `restrictions.currency_options` is includable (shown
    when expanded), so it is not part of the object."""
    return {
        "id": code.id,
        "object": "promotion_code",
        "active": active(code, c, now),
        "code": code.code,
        "coupon": coupon(c, now, stub_when_deleted=False),
        "created": code.created,
        "customer": code.customer,
        "expires_at": code.expires_at,
        "livemode": False,
        "max_redemptions": code.max_redemptions,
        "metadata": dict(code.metadata),
        "restrictions": {
            "first_time_transaction": code.first_time_transaction,
            "minimum_amount": code.minimum_amount,
            "minimum_amount_currency": code.minimum_amount_currency,
        },
        "times_redeemed": code.times_redeemed,
    }


def promotion_code_currency_options(code: PromotionCode) -> dict[str, Any]:
    """`restrictions.currency_options` when expanded: every currency with a minimum."""
    options: dict[str, Any] = {key: dict(value) for key, value in code.currency_options.items()}
    if code.minimum_amount_currency is not None:
        options[code.minimum_amount_currency] = {"minimum_amount": code.minimum_amount}
    return options


def discount_amounts(amount: int, discount_id: str | None) -> list[dict[str, Any]]:
    """`discount_amounts` of a line or a credit note: one entry per discount applied."""
    return [] if discount_id is None else [{"amount": amount, "discount": discount_id}]
