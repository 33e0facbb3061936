"""Plans: the older shape of a recurring price, as Stripe still serves it.

A plan is a price seen through the 2018 API: creating one makes a recurring price (with
its own id if given, and its product inline if asked), every recurring price is also a
plan, and each change is recorded as `price.*` and `plan.*` alike. Deleting a plan stops
new uses of its price; subscriptions already on it go on (Stripe's rule).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, replace
from typing import Any

from billcli.core import catalog_objects, limits, objects
from billcli.core.catalog import BILLING_SCHEMES
from billcli.core.ids import check_id
from billcli.core.invoicing import check_choice
from billcli.core.metadata import parse_pairs
from billcli.core.pagination import Page, PageRequest
from billcli.core.records.catalog import Price
from billcli.errors import InvalidRequest, NotFound
from billcli.services.catalog import prices, products
from billcli.services.catalog.price_making import PriceInput, check_trial_days
from billcli.services.ledger.events import record
from billcli.services.ledger.idempotency import once
from billcli.store.ledger import Ledger, Tx

USAGE_TYPES = ("licensed", "metered")


@dataclass(frozen=True)
class PlanInput:
    """`/v1/plans` and `billcli plans create` as typed; amounts stay text until the
    currency is known. `product_name` makes the product inline (`product[name]`)."""

    id: str | None = None
    currency: str | None = None
    interval: str | None = None
    interval_count: int | None = None
    amount: str | None = None
    product: str | None = None
    product_name: str | None = None
    product_data: Mapping[str, Any] | None = None  # the API's `product[…]` hash
    usage_type: str | None = None
    billing_scheme: str | None = None
    tiers_mode: str | None = None
    tiers: tuple[str, ...] = ()
    nickname: str | None = None
    trial_period_days: int | None = None
    transform_usage: Any = None  # the price's `transform_quantity`
    active: bool | None = None
    metadata: tuple[str, ...] = ()

    def checked(self) -> PlanInput:
        if self.id is not None:
            limits.text("price", "id", self.id)
            check_id(self.id, "price", param="id")
        if self.billing_scheme is not None:
            check_choice(self.billing_scheme, BILLING_SCHEMES, "billing_scheme")
        if self.usage_type is not None:
            check_choice(self.usage_type, USAGE_TYPES, "usage_type")
            if self.usage_type == "metered":
                raise InvalidRequest(
                    "Invalid usage_type: billcli does not model metered billing yet (usage "
                    "comes with meters); plans are licensed",
                    param="usage_type",
                )
        check_trial_days(self.trial_period_days, param="trial_period_days", least=0)  # 0: none
        limits.text("price", "nickname", self.nickname)
        parse_pairs(self.metadata)
        return self


def find(tx: Tx, plan_id: str, *, param: str = "plan") -> Price:
    """The recurring price a plan id names; a one-time price or a deleted plan is no
    plan."""
    check_id(plan_id, "price", param=param)
    price = tx.prices.get(plan_id)
    if price is None or price.interval is None or price.deleted:
        raise NotFound("plan", plan_id, param=param)
    return price


def create(
    ledger: Ledger, data: PlanInput, *, idempotency_key: str | None = None
) -> dict[str, Any]:
    data.checked()
    if data.interval is None:
        raise InvalidRequest.missing("interval")
    if data.amount is None and data.billing_scheme != "tiered":
        raise InvalidRequest.missing("amount")
    if (data.product is None) == (data.product_name is None and data.product_data is None):
        raise InvalidRequest(
            "Missing required param: product (a product id, or product[name] to make one).",
            param="product",
        )
    with ledger.write() as tx:
        return once(tx, "plans.create", idempotency_key, vars(data), lambda: _create_in(tx, data))


def _create_in(tx: Tx, data: PlanInput) -> dict[str, Any]:
    if data.id is not None and tx.prices.get(data.id) is not None:
        raise InvalidRequest.already_exists("Plan")
    product = data.product
    inline = data.product_data
    if inline is None and data.product_name is not None:
        inline = {"name": data.product_name}
    if inline is not None:
        product = products.made_inline(tx, inline, param="product").id
    tiered = data.billing_scheme == "tiered"
    price = prices.create_in(
        tx,
        PriceInput(
            product=product,
            currency=data.currency,
            unit_amount=None if tiered else data.amount,
            billing_scheme=data.billing_scheme,
            tiers_mode=data.tiers_mode,
            tiers=data.tiers,
            recurring_interval=data.interval,
            interval_count=data.interval_count,
            nickname=data.nickname,
            active=data.active,
            metadata=data.metadata,
            trial_period_days=data.trial_period_days or None,
            transform_quantity=data.transform_usage,
        ).checked(),
        price_id=data.id,
    )
    return catalog_objects.plan(price)


def update(ledger: Ledger, plan_id: str, data: PlanInput) -> dict[str, Any]:
    """What may change of a plan: nickname, active, metadata and trial days."""
    data.checked()
    fixed = [
        name
        for name in (
            "id",
            "currency",
            "interval",
            "interval_count",
            "amount",
            "usage_type",
            "transform_usage",
        )
        if getattr(data, name) is not None
    ]
    if fixed or data.product is not None or data.product_name or data.product_data:
        name = (fixed or ["product"])[0]
        raise InvalidRequest(
            f"Invalid {name}: a plan's amount, currency, interval and product never change; "
            "create a new plan",
            param=name,
        )
    with ledger.write() as tx:
        before = find(tx, plan_id, param="plan")
        change = PriceInput(nickname=data.nickname, active=data.active, metadata=data.metadata)
        prices.update_in(tx, before, change, trial_period_days=data.trial_period_days)
        return catalog_objects.plan(tx.prices.get(before.id) or before)


def delete(ledger: Ledger, plan_id: str) -> dict[str, Any]:
    """Delete a plan: its price takes no new subscriptions; existing ones go on."""
    with ledger.write() as tx:
        price = find(tx, plan_id, param="plan")
        tx.prices.save(replace(price, deleted=True, active=False))
        record(tx, "price.deleted", catalog_objects.price(price))
        record(tx, "plan.deleted", catalog_objects.plan(price))
        return objects.deleted("plan", price.id)


def show(ledger: Ledger, plan_id: str) -> dict[str, Any]:
    with ledger.read() as tx:
        return catalog_objects.plan(find(tx, plan_id, param="plan"))


def list_plans(
    ledger: Ledger,
    request: PageRequest,
    *,
    product: str | None = None,
    active: bool | None = None,
) -> Page:
    """Newest first: every recurring price, seen as a plan."""
    with ledger.read() as tx:
        found_prices, has_more = tx.prices.page(
            request, product=product, active=active, type_="recurring"
        )
    return Page("/v1/plans", [catalog_objects.plan(p) for p in found_prices], has_more)
