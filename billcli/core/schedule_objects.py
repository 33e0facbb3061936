"""The `subscription_schedule` object in its current shape (notes B.1)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from billcli.core.records.schedules import SubscriptionSchedule


def _invoice_settings(days_until_due: int | None) -> dict[str, Any]:
    return {"account_tax_ids": None, "days_until_due": days_until_due, "issuer": {"type": "self"}}


def _phase(p: dict[str, Any]) -> dict[str, Any]:
    own = p.get("settings") or {}
    return {
        "add_invoice_items": [],
        "application_fee_percent": None,
        "automatic_tax": {"disabled_reason": None, "enabled": False, "liability": None},
        "billing_cycle_anchor": None,
        "billing_thresholds": None,
        "collection_method": p["collection_method"],
        "currency": p["currency"],
        "default_payment_method": own.get("default_payment_method"),
        "default_tax_rates": [],
        "description": own.get("description"),
        "discounts": [{"coupon": p["coupon"], "discount": None, "promotion_code": None}]
        if p["coupon"]
        else [],
        "end_date": p["end_date"],
        "invoice_settings": None
        if own.get("days_until_due") is None
        else _invoice_settings(own["days_until_due"]),
        "items": [
            {
                "billing_thresholds": None,
                "discounts": [],
                "metadata": {},
                "plan": item["price"],
                "price": item["price"],
                "quantity": item["quantity"],
                "tax_rates": [],
            }
            for item in p["items"]
        ],
        "metadata": dict(p["metadata"]),
        "on_behalf_of": None,
        "proration_behavior": p["proration_behavior"],
        "start_date": p["start_date"],
        "transfer_data": None,
        "trial": p["trial_end"] is not None and p["trial_end"] == p["end_date"],
        "trial_end": p["trial_end"],
    }


def schedule(s: SubscriptionSchedule, test_clock: str | None = None) -> dict[str, Any]:
    """`test_clock`: the clock its customer lives on (None: the ledger's)."""
    defaults = s.default_settings
    current = s.phases[s.phase] if s.status == "active" and s.phase is not None else None
    return {
        "id": s.id,
        "object": "subscription_schedule",
        "application": None,
        "billing_mode": {"flexible": None, "type": "classic", "updated_at": None},
        "canceled_at": s.canceled_at,
        "completed_at": s.completed_at,
        "created": s.created,
        "current_phase": None
        if current is None
        else {"end_date": current["end_date"], "start_date": current["start_date"]},
        "customer": s.customer,
        "customer_account": None,
        "default_settings": {
            "application_fee_percent": None,
            "automatic_tax": {"disabled_reason": None, "enabled": False, "liability": None},
            "billing_cycle_anchor": "automatic",
            "billing_thresholds": None,
            "collection_method": defaults.get("collection_method", "charge_automatically"),
            "default_payment_method": defaults.get("default_payment_method"),
            "description": defaults.get("description"),
            "invoice_settings": _invoice_settings(defaults.get("days_until_due")),
            "on_behalf_of": None,
            "transfer_data": None,
        },
        "end_behavior": s.end_behavior,
        "livemode": False,
        "metadata": dict(s.metadata),
        "pause_schedules": [],
        "phases": [_phase(p) for p in s.phases],
        "released_at": s.released_at,
        "released_subscription": s.released_subscription,
        "status": s.status,
        "subscription": s.subscription,
        "test_clock": test_clock,
    }
