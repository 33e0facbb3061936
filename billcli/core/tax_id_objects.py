"""The Stripe-shaped `tax_id` (a customer's tax ID), built here only."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from billcli.core.records.taxes import TaxId


def tax_id(t: TaxId) -> dict[str, Any]:
    """A customer's tax ID, with the `owner` today's API shows (older versions ignore
    a field they lack)."""
    return {
        "id": t.id,
        "object": "tax_id",
        "country": t.country,
        "created": t.created,
        "customer": t.customer,
        "livemode": False,
        "owner": {"type": "customer", "customer": t.customer},
        "type": t.type,
        "value": t.value,
        "verification": {
            "status": t.verification_status,
            "verified_address": None,
            "verified_name": None,
        },
    }


def invoice_tax_ids(found: list[TaxId]) -> list[dict[str, str]]:
    """An invoice's `customer_tax_ids`: each tax ID's type and value, oldest first."""
    return [{"type": t.type, "value": t.value} for t in found]
