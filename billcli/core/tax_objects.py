"""The Stripe-shaped `tax_rate`, and the tax amounts invoices and credit notes carry.

API 2023-08-16 shapes: a tax rate has the 2023 schema's fields (the ones Stripe added
since, for Stripe Tax, come with the newer versions in `api/tax_versions.py`); a tax
amount names its rate by id, as Stripe does unless it is expanded.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import TYPE_CHECKING, Any

from billcli.core.tax import Totals, exclusive, inclusive, loaded

if TYPE_CHECKING:
    from billcli.core.records.taxes import TaxRate


def _number(percentage: float) -> float | int:
    """`19`, not `19.0`: a whole percentage prints as Stripe prints it."""
    return int(percentage) if percentage.is_integer() else percentage


def tax_rate(r: TaxRate) -> dict[str, Any]:
    return {
        "id": r.id,
        "object": "tax_rate",
        "active": r.active,
        "country": r.country,
        "created": r.created,
        "description": r.description,
        "display_name": r.display_name,
        "effective_percentage": None,  # Stripe Tax's; null for a manual rate
        "inclusive": r.inclusive,
        "jurisdiction": r.jurisdiction,
        "livemode": False,
        "metadata": dict(r.metadata),
        "percentage": _number(r.percentage),
        "state": r.state,
        "tax_type": r.tax_type,
    }


def tax_amounts(stored: Iterable[Mapping[str, Any]]) -> list[dict[str, Any]]:
    """`tax_amounts` of a line or a credit note, `total_tax_amounts` of an invoice."""
    return [
        {
            "amount": s["amount"],
            "inclusive": s["inclusive"],
            "tax_rate": s["tax_rate"],
            "taxability_reason": None,
            "taxable_amount": s["taxable_amount"],
        }
        for s in stored
    ]


def carved(stored: Iterable[Mapping[str, Any]]) -> int:
    """The inclusive tax inside a line's amount: what its `…_excluding_tax` take out."""
    return inclusive(loaded(stored))


def totals(subtotal: int, total: int, stored: Iterable[Mapping[str, Any]]) -> Totals:
    """A stored invoice's or credit note's money (its discount is what its total lacks
    once its exclusive tax is out)."""
    taxes = loaded(stored)
    return Totals(subtotal, subtotal - total + exclusive(taxes), taxes)


def tax_sum(stored: Iterable[Mapping[str, Any]]) -> int | None:
    """Stripe's 2023 `tax`: every tax amount summed, null when nothing was taxed."""
    amounts = [int(s["amount"]) for s in stored]
    return sum(amounts) if amounts else None
