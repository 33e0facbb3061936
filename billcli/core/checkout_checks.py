"""The invariants of Checkout Sessions (`ledger check`): what a complete session made,
and that its amounts add up (subtotal, less discount, plus the tax added on top)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING

from billcli.core.ledger import Problem
from billcli.core.tax import exclusive, loaded

if TYPE_CHECKING:
    from billcli.core.records.checkout import CheckoutSession
    from billcli.core.records.payments import PaymentIntent


def check_session(s: CheckoutSession, intents: Mapping[str, PaymentIntent]) -> list[Problem]:
    """A complete session has what its mode makes; an open one made nothing yet."""
    problems = []
    added = exclusive(loaded(s.tax_amounts))
    if s.amount_subtotal - s.amount_discount + added != s.amount_total:
        problems.append(
            Problem(s.id, f"total {s.amount_total} is not subtotal {s.amount_subtotal} "
                          f"less discount {s.amount_discount} plus tax {added}")
        )  # fmt: skip
    if s.promotion_code is not None and s.coupon is None:
        problems.append(Problem(s.id, f"promotion code {s.promotion_code} without its coupon"))
    if s.status != "complete":
        if s.subscription is not None or s.completed_at is not None:
            problems.append(Problem(s.id, f"{s.status} session made a subscription"))
        return problems
    if s.completed_at is None:
        problems.append(Problem(s.id, "complete session without completed_at"))
    if s.mode == "subscription" and (s.subscription is None or s.customer is None):
        problems.append(Problem(s.id, "complete subscription session without its subscription"))
    if s.mode == "payment":
        pi = intents.get(s.payment_intent or "")
        if pi is None or pi.status != "succeeded" or pi.amount != s.amount_total:
            problems.append(
                Problem(s.id, f"complete payment session without a succeeded payment of "
                              f"{s.amount_total}")
            )  # fmt: skip
    return problems
