"""Stripe's request limits: the longest value each text parameter may hold, per object.

The numbers are the `maxLength` of the create and update request schemas of API
2023-08-16 (the OpenAPI extract's paths; `tests/unit/test_limits.py` compares them).
The CLI, the import files and the HTTP API all check text through `text`, so a value
Stripe would refuse is refused the same way everywhere, naming its parameter.
"""

from __future__ import annotations

from billcli.errors import InvalidRequest

# Stripe's limit for a text parameter its schema gives no smaller one.
DEFAULT_MAX_LENGTH = 5000

MAX_LENGTH: dict[str, dict[str, int]] = {
    "customer": {"name": 256, "email": 512, "phone": 20, "description": 5000},
    "customer_balance_transaction": {"description": 350},
    "invoiceitem": {"description": 5000},
    "invoice": {"description": 1500},
    "billing_portal.configuration": {"headline": 60},
    "webhook_endpoint": {"description": 5000},
    "product": {
        "id": 5000,
        "name": 5000,
        "description": 40000,
        "statement_descriptor": 22,
        "unit_label": 12,
        "url": 5000,
    },
    "price": {"nickname": 5000, "lookup_key": 200},
    "subscription": {"description": 500},
    "coupon": {"id": 5000, "name": 40},
    "credit_note": {"memo": 5000},
    "tax_rate": {"display_name": 50, "jurisdiction": 50, "state": 2, "description": 5000},
}


def max_length(kind: str, param: str) -> int:
    return MAX_LENGTH.get(kind, {}).get(param, DEFAULT_MAX_LENGTH)


def text(kind: str, param: str, value: str | None) -> str | None:
    """`value` when Stripe would take it for `param` of a `kind` object."""
    if value is not None:
        limit = max_length(kind, param)
        if len(value) > limit:
            raise InvalidRequest(
                f"Invalid {param}: must be at most {limit} characters (it has {len(value)})",
                param=param,
            )
    return value
