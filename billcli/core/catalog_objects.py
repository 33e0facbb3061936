"""The Stripe-shaped `product`, `price`, `plan`, `subscription_item` and `subscription`.

API 2023-08-16 shapes. A price's `tiers` appear on tiered prices (Stripe shows them
when expanded; a tiered price means nothing without them); `currency_options`, which
Stripe shows only when expanded, is left out. The legacy `plan` mirror is on every
subscription item and subscription line, and a single-item subscription also carries
top-level `plan` and `quantity`, as 2023 responses did (facts §0).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from billcli.core.records.catalog import Price, Product
    from billcli.core.records.subscriptions import Subscription, SubscriptionItem


def product(p: Product) -> dict[str, Any]:
    if p.deleted:
        return {"id": p.id, "object": "product", "deleted": True}
    return {
        "id": p.id,
        "object": "product",
        "active": p.active,
        "created": p.created,
        "default_price": p.default_price,
        "description": p.description,
        "features": [dict(feature) for feature in p.marketing_features],
        "images": list(p.images),
        "livemode": False,
        "metadata": dict(p.metadata),
        "name": p.name,
        "package_dimensions": p.package_dimensions,
        "shippable": p.shippable,
        "statement_descriptor": p.statement_descriptor,
        "tax_code": None,
        "type": p.type,
        "unit_label": p.unit_label,
        "updated": p.updated,
        "url": p.url,
    }


def _decimal(amount: int | None) -> str | None:
    return None if amount is None else str(amount)


def _tiers(tiers: Sequence[dict[str, Any]] | None) -> list[dict[str, Any]]:
    return [
        {
            "flat_amount": t["flat_amount"],
            "flat_amount_decimal": str(t["flat_amount"]),
            "unit_amount": t["unit_amount"],
            "unit_amount_decimal": str(t["unit_amount"]),
            "up_to": t["up_to"],
        }
        for t in tiers or ()
    ]


def _currency_options(p: Price) -> dict[str, Any]:
    """Each option in the price's shape (`price.currency_option` of the schema)."""
    shown = {}
    for currency, option in sorted(p.currency_options.items()):
        unit = option.get("unit_amount")
        entry: dict[str, Any] = {
            "custom_unit_amount": None,
            "tax_behavior": "unspecified",
            "unit_amount": unit,
            "unit_amount_decimal": _decimal(unit),
        }
        if p.billing_scheme == "tiered":
            entry["tiers"] = _tiers(option.get("tiers"))
        shown[currency] = entry
    return shown


def _recurring(p: Price) -> dict[str, Any]:
    """A price's `recurring`; a metered one names its meter, a field newer than 2023
    (from 2025-03-31.basil every price shows it, `api/versions.py`)."""
    shown: dict[str, Any] = {
        "aggregate_usage": None,
        "interval": p.interval,
        "interval_count": p.interval_count,
        "usage_type": p.usage_type,
    }
    if p.metered:
        shown["meter"] = p.meter
    return shown


def price(p: Price) -> dict[str, Any]:
    shown: dict[str, Any] = {
        "id": p.id,
        "object": "price",
        "active": p.active,
        "billing_scheme": p.billing_scheme,
        "created": p.created,
        "currency": p.currency,
        "custom_unit_amount": None,
        "livemode": False,
        "lookup_key": p.lookup_key,
        "metadata": dict(p.metadata),
        "nickname": p.nickname,
        "product": p.product,
        "recurring": None if p.interval is None else _recurring(p),
        "tax_behavior": p.tax_behavior,
        "tiers_mode": p.tiers_mode,
        "transform_quantity": None if p.transform_quantity is None else dict(p.transform_quantity),
        "type": p.type,
        "unit_amount": p.unit_amount,
        "unit_amount_decimal": _decimal(p.unit_amount),
    }
    if p.trial_period_days is not None:  # newer than the 2023 schema: shown when set
        shown["recurring"]["trial_period_days"] = p.trial_period_days
    if p.billing_scheme == "tiered":
        shown["tiers"] = _tiers(p.tiers)
    if p.currency_options:
        shown["currency_options"] = _currency_options(p)
    return shown


def plan(p: Price) -> dict[str, Any]:
    """The legacy `plan` a recurring price mirrors (same id)."""
    shown: dict[str, Any] = {
        "id": p.id,
        "object": "plan",
        "active": p.active,
        "aggregate_usage": None,
        "amount": p.unit_amount,
        "amount_decimal": _decimal(p.unit_amount),
        "billing_scheme": p.billing_scheme,
        "created": p.created,
        "currency": p.currency,
        "interval": p.interval,
        "interval_count": p.interval_count,
        "livemode": False,
        "metadata": dict(p.metadata),
        "nickname": p.nickname,
        "product": p.product,
        "tiers_mode": p.tiers_mode,
        "transform_usage": None if p.transform_quantity is None else dict(p.transform_quantity),
        "trial_period_days": p.trial_period_days,
        "usage_type": p.usage_type,
    }
    if p.metered:
        shown["meter"] = p.meter
    if p.billing_scheme == "tiered":
        shown["tiers"] = _tiers(p.tiers)
    return shown


def subscription_item(
    item: SubscriptionItem, p: Price, rates: list[dict[str, Any]] | None = None
) -> dict[str, Any]:
    """A subscription item, with its own tax `rates` (embedded, as Stripe does); one on
    a metered price has no quantity (its usage is its meter's)."""
    shown: dict[str, Any] = {
        "id": item.id,
        "object": "subscription_item",
        "billing_thresholds": None,
        "created": item.created,
        "metadata": dict(item.metadata),
        "plan": plan(p),
        "price": price(p),
        "quantity": item.quantity,
        "subscription": item.subscription,
        "tax_rates": rates or [],
    }
    if p.metered:
        del shown["quantity"]
    return shown


def subscription(
    s: Subscription,
    items: Sequence[tuple[SubscriptionItem, Price]],
    *,
    discount: dict[str, Any] | None = None,
    test_clock: str | None = None,
    rates: Callable[[Sequence[str]], list[dict[str, Any]]] = lambda ids: [],
    schedule: str | None = None,
) -> dict[str, Any]:
    """The subscription with its items; `rates` gives the tax rates named by ids, as
    Stripe embeds them."""
    shown: dict[str, Any] = {
        "id": s.id,
        "object": "subscription",
        "application": None,
        "application_fee_percent": None,
        "automatic_tax": {"enabled": False},
        "billing_cycle_anchor": s.billing_cycle_anchor,
        "billing_thresholds": None
        if s.threshold_amount is None
        else {"amount_gte": s.threshold_amount, "reset_billing_cycle_anchor": False},
        "cancel_at": s.cancel_at,
        "cancel_at_period_end": s.cancel_at_period_end,
        "canceled_at": s.canceled_at,
        "cancellation_details": {
            "comment": s.cancellation_comment,
            "feedback": s.cancellation_feedback,
            "reason": s.cancellation_reason,
        },
        "collection_method": s.collection_method,
        "created": s.created,
        "currency": s.currency,
        "current_period_end": s.current_period_end,
        "current_period_start": s.current_period_start,
        "customer": s.customer,
        "days_until_due": s.days_until_due,
        "default_payment_method": s.default_payment_method,
        "default_source": None,
        "default_tax_rates": rates(s.default_tax_rates),
        "description": s.description,
        "discount": discount,
        "ended_at": s.ended_at,
        "items": {
            "object": "list",
            "data": [subscription_item(item, p, rates(item.tax_rates)) for item, p in items],
            "has_more": False,
            "total_count": len(items),
            "url": f"/v1/subscription_items?subscription={s.id}",
        },
        "latest_invoice": s.latest_invoice,
        "livemode": False,
        "metadata": dict(s.metadata),
        "next_pending_invoice_item_invoice": s.next_pending_invoice_item_invoice,
        "on_behalf_of": None,
        "pause_collection": s.pause_collection,
        "payment_settings": s.payment_settings
        or {
            "payment_method_options": None,
            "payment_method_types": None,
            "save_default_payment_method": "off",
        },
        "pending_invoice_item_interval": s.pending_invoice_item_interval,
        "pending_setup_intent": None,
        "pending_update": None,
        "schedule": schedule,
        "start_date": s.start_date,
        "status": s.status,
        "test_clock": test_clock,
        "transfer_data": None,
        "trial_end": s.trial_end,
        "trial_settings": {
            "end_behavior": {"missing_payment_method": s.trial_missing_payment_method}
        },
        "trial_start": s.trial_start,
    }
    if len(items) == 1:
        item, p = items[0]
        shown["plan"] = plan(p)
        if not p.metered:
            shown["quantity"] = item.quantity
    return shown
