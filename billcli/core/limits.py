"""Stripe's request limits: the longest value each text parameter may hold, per object,
and the values a parameter with a fixed list takes.

The numbers are the `maxLength` of the create and update request schemas of API
2023-08-16 (the OpenAPI extract's paths; `tests/unit/test_limits.py` compares them).
The CLI, the import files and the HTTP API all check text through `text` and choices
through `choice`, so a value Stripe would refuse is refused the same way everywhere,
naming its parameter.
"""

from __future__ import annotations

from collections.abc import Callable, Collection, Mapping, Sequence
from typing import Any

from billcli.errors import InvalidRequest

# Stripe's limit for a text parameter its schema gives no smaller one.
DEFAULT_MAX_LENGTH = 5000

MAX_LENGTH: dict[str, dict[str, int]] = {
    "customer": {
        "name": 256,
        "email": 512,
        "phone": 20,
        "description": 5000,
        "custom_fields[name]": 30,
        "custom_fields[value]": 30,
    },
    "customer_balance_transaction": {"description": 350},
    "invoiceitem": {"description": 5000},
    "invoice": {
        "description": 1500,
        "custom_fields[name]": 30,
        "custom_fields[value]": 30,
        "statement_descriptor": 22,
    },
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
    "test_helpers.test_clock": {"name": 300},
    "tax_rate": {"display_name": 50, "jurisdiction": 50, "state": 2, "description": 5000},
}


# The values of Stripe's enumerated parameters that billcli honours, by what they set.
ENUMS: dict[str, tuple[str, ...]] = {
    "tax_exempt": ("exempt", "none", "reverse"),
    "amount_tax_display": ("exclude_tax", "include_inclusive_tax"),
    "page_size": ("a4", "auto", "letter"),
    "missing_payment_method": ("cancel", "create_invoice", "pause"),
    "round": ("down", "up"),
    "interval": ("day", "month", "week", "year"),
    # a customer's reason to cancel (the portal offers the same)
    "cancellation_feedback": (
        "customer_service",
        "low_quality",
        "missing_features",
        "other",
        "switched_service",
        "too_complex",
        "too_expensive",
        "unused",
    ),
    "revision_action": ("revision",),
    "email_type": ("credit_note", "none"),
    "allow_redisplay": ("always", "limited", "unspecified"),
}


def max_length(kind: str, param: str) -> int:
    return MAX_LENGTH.get(kind, {}).get(param, DEFAULT_MAX_LENGTH)


def text(kind: str, param: str, value: str | None, *, spelled: str | None = None) -> str | None:
    """`value` when Stripe would take it for `param` of a `kind` object (`spelled` is
    how the request named it, when that differs: `invoice_settings[footer]`)."""
    if value is not None:
        limit = max_length(kind, param)
        if len(value) > limit:
            name = spelled or param
            raise InvalidRequest(
                f"Invalid {name}: must be at most {limit} characters (it has {len(value)})",
                param=name,
            )
    return value


def choice(value: str | None, allowed: Sequence[str], param: str) -> str | None:
    """`value` when it is one of Stripe's values for `param` (None when not given)."""
    if value is None or value in allowed:
        return value
    listed = ", ".join(allowed[:-1]) + (f", or {allowed[-1]}" if len(allowed) > 1 else allowed[0])
    raise InvalidRequest(f"Invalid {param}: must be one of {listed}", param=param)


def hash_of(value: Any, param: str) -> Mapping[str, Any]:
    """A hash parameter (`address[…]`) as given; anything else is refused as Stripe does."""
    if not isinstance(value, Mapping):
        raise InvalidRequest(f"Invalid {param}: expected an object", param=param)
    return value


def only_keys(
    given: Mapping[str, Any],
    allowed: Collection[str],
    param: str = "",
    spelled: Callable[[str], str] = str,
) -> None:
    """Refuse the first key that Stripe does not document, named as Stripe names it:
    `param[key]` inside the hash `param` (`restrictions[minimum]`), or as a group of
    parameters spells it (`spelled`)."""
    for key in given:
        if key not in allowed:
            name = f"{param}[{key}]" if param else spelled(key)
            raise InvalidRequest(
                f"Received unknown parameter: {name}", param=name, code="parameter_unknown"
            )
