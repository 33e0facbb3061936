"""Fixtures of the tax tests: the subscription tests' frozen clock, catalog and
customers, tax rates made on the command line, and Stripe's tax rule recomputed here
apart from billcli's own arithmetic."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

import pytest

from tests.subscriptions.conftest import at_start, catalog, customer  # noqa: F401


def half_up(exact: Decimal) -> int:
    """Rounded half away from zero (Decimal's ROUND_HALF_UP), as Stripe rounds tax."""
    return int(exact.quantize(Decimal(1), rounding=ROUND_HALF_UP))


def exclusive_tax(amount: int, percent: str) -> int:
    return half_up(Decimal(amount) * Decimal(percent) / 100)


def inclusive_taxes(amount: int, percents: Sequence[str]) -> list[int]:
    """Each inclusive rate's share of an amount that holds them all."""
    carved = sum(Decimal(p) for p in percents)
    return [half_up(Decimal(amount) * Decimal(p) / (100 + carved)) for p in percents]


@pytest.fixture
def rate(ok: Callable[..., Any]) -> Callable[..., str]:
    """A tax rate: `rate("20")` exclusive, `rate("20", inclusive=True)`."""

    def make(percent: str, *, inclusive: bool = False, name: str = "VAT", **more: str) -> str:
        args = ["tax-rates", "create", "--display-name", name, "--percentage", percent]
        args += ["--inclusive"] if inclusive else []
        for option, value in more.items():
            args += [f"--{option.replace('_', '-')}", value]
        return str(ok(*args)["id"])

    return make


@pytest.fixture
def draft_with(ok: Callable[..., Any]) -> Callable[..., dict[str, Any]]:
    """A draft of the customer's pending items, each made with (amount, its own rates)."""

    def make(
        customer_id: str, *lines: tuple[str, Sequence[str]], extra: tuple[str, ...] = ()
    ) -> dict[str, Any]:
        for amount, rates in lines:
            own = [arg for r in rates for arg in ("--tax-rate", r)]
            ok("invoices", "items", "create", "--customer", customer_id, "--amount", amount, *own)
        made = ok("invoices", "create", "--customer", customer_id, "--pending-items", "include",
                  *extra)  # fmt: skip
        return dict(made)

    return make


def by_rate(amounts: list[dict[str, Any]]) -> dict[str, int]:
    return {t["tax_rate"]: t["amount"] for t in amounts}
