"""Plans: the older shape of recurring prices (`/v1/plans`)."""

from __future__ import annotations

from typing import Any

from billcli.api.handlers import given, listed, paging, route
from billcli.api.params import Params, spelled_as
from billcli.api.routes.price_params import amount, tiers
from billcli.services.catalog import plans
from billcli.services.catalog.plans import PlanInput
from billcli.store.ledger import Ledger


def _product(p: Params) -> tuple[str | None, dict[str, Any] | None]:
    """`product=prod_…`, or `product[name]=…` (and what a product takes) to make the
    product with the plan."""
    if isinstance(p.values.get("product"), dict):
        return None, p.map("product")
    return p.text("product"), None


def _input(p: Params, current: dict[str, Any] | None = None) -> PlanInput:
    p.refuse("meter")
    product, product_data = _product(p)
    return PlanInput(
        id=p.text("id"),
        currency=p.text("currency"),
        interval=p.text("interval"),
        interval_count=p.integer("interval_count"),
        amount=amount(p, "amount"),
        product=product,
        product_data=product_data,
        usage_type=p.text("usage_type"),
        billing_scheme=p.text("billing_scheme"),
        tiers_mode=p.text("tiers_mode"),
        tiers=tiers(p),
        nickname=p.text("nickname", clearable=True),
        trial_period_days=p.integer("trial_period_days"),
        transform_usage=given(p, "transform_usage"),
        active=p.boolean("active"),
        metadata=p.metadata(current["metadata"] if current else None),
    )


@route("POST", "/v1/plans")
def create_plan(ledger: Ledger, p: Params) -> Any:
    data = _input(p)
    p.unknown()
    with spelled_as({"recurring_interval": "interval"}.get):  # a plan's own name
        return plans.create(ledger, data)


@route("GET", "/v1/plans/{plan}")
def retrieve_plan(ledger: Ledger, p: Params, plan: str) -> Any:
    p.unknown()
    return plans.show(ledger, plan)


@route("POST", "/v1/plans/{plan}")
def update_plan(ledger: Ledger, p: Params, plan: str) -> Any:
    data = _input(p, plans.show(ledger, plan))
    p.unknown()
    return plans.update(ledger, plan, data)


@route("DELETE", "/v1/plans/{plan}")
def delete_plan(ledger: Ledger, p: Params, plan: str) -> Any:
    p.unknown()
    return plans.delete(ledger, plan)


@route("GET", "/v1/plans")
def list_plans(ledger: Ledger, p: Params) -> Any:
    request, product, active = paging(p, created=True), p.text("product"), p.boolean("active")
    p.unknown()
    return listed(plans.list_plans(ledger, request, product=product, active=active))


ROUTES = [create_plan, list_plans, retrieve_plan, update_plan, delete_plan]
