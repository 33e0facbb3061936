"""Plans: the older shape of recurring prices (`/v1/plans`)."""

from __future__ import annotations

from typing import Any

from billcli.api.handlers import listed, paging, route
from billcli.api.params import Params, only
from billcli.api.routes.catalog import tiers_of
from billcli.errors import InvalidRequest
from billcli.services.catalog import plans
from billcli.services.catalog.plans import PlanInput
from billcli.store.ledger import Ledger


def _product(p: Params) -> tuple[str | None, str | None]:
    """`product=prod_…`, or `product[name]=…` to make the product with the plan."""
    if isinstance(p.values.get("product"), dict):
        inline = p.map("product") or {}
        only(inline, ("name",), "product")
        name = inline.get("name")
        if not isinstance(name, str) or not name:
            raise InvalidRequest("Missing required param: product[name].", param="product[name]")
        return None, name
    return p.text("product"), None


def _input(p: Params, current: dict[str, Any] | None = None) -> PlanInput:
    product, product_name = _product(p)
    return PlanInput(
        id=p.text("id"),
        currency=p.text("currency"),
        interval=p.text("interval"),
        interval_count=p.integer("interval_count"),
        amount=p.amount("amount"),
        product=product,
        product_name=product_name,
        usage_type=p.text("usage_type"),
        billing_scheme=p.text("billing_scheme"),
        tiers_mode=p.text("tiers_mode"),
        tiers=tiers_of(p),
        nickname=p.text("nickname", clearable=True),
        trial_period_days=p.integer("trial_period_days"),
        active=p.boolean("active"),
        metadata=p.metadata(current["metadata"] if current else None),
    )


@route("POST", "/v1/plans")
def create_plan(ledger: Ledger, p: Params) -> Any:
    data = _input(p)
    p.unknown()
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
