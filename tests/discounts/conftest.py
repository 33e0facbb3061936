"""Fixtures of the coupon, discount and credit note tests: the subscription tests'
frozen clock, catalog and customers, and invoices ready to discount or credit."""

from __future__ import annotations

from collections.abc import Callable
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

import pytest

from tests.subscriptions.conftest import at_start, catalog, customer  # noqa: F401


def percent_of(amount: int, percent: str) -> int:
    """A percentage of an amount, rounded half away from zero, recomputed here apart
    from billcli's own arithmetic."""
    exact = Decimal(amount) * Decimal(percent) / 100
    return int(exact.quantize(Decimal(1), rounding=ROUND_HALF_UP))


@pytest.fixture
def invoice_of(ok: Callable[..., Any]) -> Callable[..., dict[str, Any]]:
    """A finalized invoice of the customer with one line per (amount or unit×qty, text)."""

    def make(
        customer_id: str,
        *lines: tuple[str, str],
        finalize: bool = True,
        send: bool = True,
        extra: tuple[str, ...] = (),
    ) -> dict[str, Any]:
        for spec, description in lines:
            if "x" in spec:
                unit, quantity = spec.split("x")
                amount_args: tuple[str, ...] = ("--unit-amount", unit, "--quantity", quantity)
            else:
                amount_args = ("--amount", spec)
            ok(
                "invoices",
                "items",
                "create",
                "--customer",
                customer_id,
                *amount_args,
                "--description",
                description,
            )
        terms = ("--collection-method", "send_invoice", "--days-until-due", "30") if send else ()
        draft = ok(
            "invoices",
            "create",
            "--customer",
            customer_id,
            "--pending-items",
            "include",
            *terms,
            *extra,
        )
        if not finalize:
            return dict(draft)
        return dict(ok("invoices", "finalize", draft["id"]))

    return make
