"""The tax fields' version changes (2025-03-31.basil): invoices and credit notes show
`total_taxes`, their lines `taxes` (each naming its rate in `tax_rate_details`) instead of
the 2023 `total_tax_amounts` and `tax_amounts`; tax rates gain Stripe Tax's fields, null
for a manual rate. `versions.py` lists them in its chain."""

from __future__ import annotations

from typing import Any

Obj = dict[str, Any]


def taxes(amounts: list[Obj] | None) -> list[Obj]:
    """2023 tax amounts in the newer shape. A manual rate's `taxability_reason` is
    `not_available` there (the field is no longer nullable); it is null in 2023."""
    return [
        {
            "amount": t["amount"],
            "tax_behavior": "inclusive" if t["inclusive"] else "exclusive",
            "tax_rate_details": {
                "tax_rate": t["tax_rate"] if isinstance(t["tax_rate"], str) else t["tax_rate"]["id"]
            },
            "taxability_reason": "not_available",
            "taxable_amount": t.get("taxable_amount"),
            "type": "tax_rate_details",
        }
        for t in amounts or []
    ]


def tax_rate(obj: Obj, _: Obj) -> None:
    obj["flat_amount"] = None
    obj["jurisdiction_level"] = None
    obj["rate_type"] = None
