"""Subscriptions and their items."""

from __future__ import annotations

from typing import Any

from billcli.api.handlers import (
    discount_cleared,
    listed,
    offer_of,
    paging,
    price_of,
    rates_of,
    required,
    route,
    searched,
)
from billcli.api.params import Params, spelled_as
from billcli.api.routes import price_params
from billcli.api.routes.subscription_params import (
    cancellation,
    item_changes,
    item_specs,
    own_rates,
    rate_specs,
    refuse_unmodelled,
    settings_of,
)
from billcli.core import objects
from billcli.core.pagination import sliced
from billcli.errors import InvalidRequest, NotFound
from billcli.services.subscriptions import changes as subscription_changes
from billcli.services.subscriptions import creation as subscriptions
from billcli.services.subscriptions import pauses
from billcli.services.subscriptions.creation import SubscriptionInput
from billcli.services.subscriptions.item_specs import ItemSpec, of_pairs
from billcli.services.subscriptions.proposals import ChangeInput
from billcli.services.subscriptions.settings import SubscriptionSettings
from billcli.store.ledger import Ledger


def _instant_or_now(value: str | None, param: str) -> int | str | None:
    if value is None or value in ("now", ""):
        return value
    if not value.isdigit():
        raise InvalidRequest(f"Invalid {param}: '{value}' (a unix time, or now)", param=param)
    return int(value)


@route("POST", "/v1/subscriptions")
def create(ledger: Ledger, p: Params) -> Any:
    refuse_unmodelled(p)
    trial_end = _instant_or_now(p.text("trial_end"), "trial_end")
    data = SubscriptionInput(
        customer=required(p.text("customer"), "customer"),
        items=item_specs(p),
        trial_days=p.integer("trial_period_days"),
        trial_end=trial_end if isinstance(trial_end, int) else None,
        collection_method=p.text("collection_method"),
        days_until_due=p.integer("days_until_due"),
        payment_behavior=p.text("payment_behavior"),
        billing_cycle_anchor=p.integer("billing_cycle_anchor"),
        backdate_start_date=p.integer("backdate_start_date"),
        proration_behavior=p.text("proration_behavior"),
        default_payment_method=p.text("default_payment_method"),
        cancel_at_period_end=bool(p.boolean("cancel_at_period_end")),
        cancel_at=p.integer("cancel_at"),
        description=p.text("description", clearable=True),
        metadata=p.metadata(),
        **offer_of(p),
        currency=p.text("currency"),
        trial_from_plan=bool(p.boolean("trial_from_plan")),
        settings=settings_of(p),
        default_tax_rates=rates_of(p, "default_tax_rates"),
    )
    p.unknown()
    return subscriptions.create(ledger, data)


@route("GET", "/v1/subscriptions/{subscription_exposed_id}")
def retrieve(ledger: Ledger, p: Params, subscription_exposed_id: str) -> Any:
    p.unknown()
    return subscriptions.show(ledger, subscription_exposed_id)


def change_of(p: Params, current: dict[str, Any]) -> Any:
    """`items`, `pause_collection` and the rest of an update as the services' change
    (an update's parameters, or the `subscription_…` ones of an upcoming invoice);
    `current` is the subscription as it is (`metadata=` removes all of its metadata,
    `coupon=` its discount), empty for a preview."""
    refuse_unmodelled(p)
    pause = p.values.get("pause_collection")
    p.has("pause_collection")
    if pause not in (None, "") and not isinstance(pause, dict):
        raise InvalidRequest(
            "Invalid pause_collection: expected an object", param="pause_collection"
        )
    paused = p.nested("pause_collection") if isinstance(pause, dict) else None
    details = cancellation(p)
    change = ChangeInput(
        proration_behavior=p.text("proration_behavior"),
        proration_date=p.integer("proration_date"),
        billing_cycle_anchor=p.text("billing_cycle_anchor"),
        cancel_at_period_end=p.boolean("cancel_at_period_end"),
        cancel_at=_instant_or_now(p.text("cancel_at", clearable=True), p.spelled("cancel_at")),
        trial_end=_instant_or_now(p.text("trial_end"), p.spelled("trial_end")),
        pause_collection=paused.text("behavior") if paused else None,
        resumes_at=paused.integer("resumes_at") if paused else None,
        resume_collection=pause == "",
        payment_behavior=p.text("payment_behavior"),
        default_payment_method=p.text("default_payment_method", clearable=True),
        description=p.text("description", clearable=True),
        metadata=p.metadata(current.get("metadata")),
        **offer_of(p),
        remove_discount=bool(current.get("discount")) and discount_cleared(p),
        collection_method=p.text("collection_method"),
        days_until_due=p.integer("days_until_due"),
        cancellation_feedback=details["feedback"],
        cancellation_comment=details["comment"],
        trial_from_plan=bool(p.boolean("trial_from_plan")),
        settings=settings_of(p),
        default_tax_rates=rates_of(p, "default_tax_rates"),
        **item_changes(p),
    )
    if paused is not None:
        paused.unknown()
    return change


@route("POST", "/v1/subscriptions/{subscription_exposed_id}")
def update(ledger: Ledger, p: Params, subscription_exposed_id: str) -> Any:
    change = change_of(p, subscriptions.show(ledger, subscription_exposed_id))
    p.unknown()
    return subscription_changes.update(ledger, subscription_exposed_id, change)


@route("DELETE", "/v1/subscriptions/{subscription_exposed_id}")
def cancel(ledger: Ledger, p: Params, subscription_exposed_id: str) -> Any:
    invoice_now, prorate = p.boolean("invoice_now"), p.boolean("prorate")
    details = cancellation(p)
    p.unknown()
    return subscription_changes.cancel(
        ledger,
        subscription_exposed_id,
        invoice_now=bool(invoice_now),
        prorate=bool(prorate),
        feedback=details["feedback"],
        comment=details["comment"],
    )


@route("GET", "/v1/subscriptions")
def list_all(ledger: Ledger, p: Params) -> Any:
    request, customer = paging(p, created=True), p.text("customer")
    status, price = p.text("status"), price_of(p)
    method, clock = p.text("collection_method"), p.text("test_clock") or None
    starts, ends = p.range("current_period_start"), p.range("current_period_end")
    tax = p.nested("automatic_tax")
    taxed = tax.boolean("enabled")
    tax.unknown()
    p.refuse("customer_account")
    p.unknown()
    return listed(
        subscriptions.list_subscriptions(
            ledger,
            request,
            customer=customer,
            status=status,
            price=price,
            collection_method=method,
            period_start=starts,
            period_end=ends,
            automatic_tax=taxed,
            test_clock=clock,
        )
    )


@route("GET", "/v1/subscriptions/search")
def search(ledger: Ledger, p: Params) -> Any:
    return searched(ledger, p, "subscription")


@route("POST", "/v1/subscriptions/{subscription}/resume")
def resume(ledger: Ledger, p: Params, subscription: str) -> Any:
    """A paused subscription (its trial ended without a payment method) starts again."""
    anchor, behavior = p.text("billing_cycle_anchor"), p.text("proration_behavior")
    date, paying = p.integer("proration_date"), p.text("payment_behavior")
    p.unknown()
    return pauses.resume(
        ledger,
        subscription,
        billing_cycle_anchor=anchor,
        proration_behavior=behavior,
        proration_date=date,
        payment_behavior=paying,
    )


@route("DELETE", "/v1/subscriptions/{subscription_exposed_id}/discount")
def delete_discount(ledger: Ledger, p: Params, subscription_exposed_id: str) -> Any:
    p.unknown()
    before = subscriptions.show(ledger, subscription_exposed_id).get("discount")
    subscription_changes.update(ledger, subscription_exposed_id, ChangeInput(remove_discount=True))
    return {**(before or {}), "deleted": True}


def _item_object(ledger: Ledger, item_id: str) -> dict[str, Any]:
    with ledger.read() as tx:
        item = tx.subscription_items.get(item_id)
    if item is None:
        raise NotFound("subscription item", item_id, param="item")
    shown = subscriptions.show(ledger, item.subscription)
    for entry in shown["items"]["data"]:
        if entry["id"] == item_id:
            return dict(entry)
    raise NotFound("subscription item", item_id, param="item")


@route("GET", "/v1/subscription_items")
def list_items(ledger: Ledger, p: Params) -> Any:
    subscription = required(p.text("subscription"), "subscription")
    request = paging(p)
    p.unknown()
    with spelled_as({"id": "subscription"}.get):  # the filter, not a path's id
        items = subscriptions.show(ledger, subscription)["items"]["data"]
    return sliced("/v1/subscription_items", items, request, "subscription item").to_stripe()


@route("GET", "/v1/subscription_items/{item}")
def retrieve_item(ledger: Ledger, p: Params, item: str) -> Any:
    p.unknown()
    return _item_object(ledger, item)


def _item_change(p: Params, **given: Any) -> Any:
    """What a subscription item route changes, with the proration and payment options."""
    p.refuse("billing_thresholds", "current_trial")
    if p.has("discounts"):
        raise InvalidRequest(
            "Invalid discounts: billcli applies a subscription's discount to all its items; "
            "give discounts on the subscription",
            param="discounts",
        )
    return ChangeInput(
        proration_behavior=p.text("proration_behavior"),
        proration_date=p.integer("proration_date"),
        payment_behavior=p.text("payment_behavior"),
        settings=SubscriptionSettings(off_session=p.boolean("off_session")),
        **given,
    )


@route("POST", "/v1/subscription_items")
def create_item(ledger: Ledger, p: Params) -> Any:
    subscription = required(p.text("subscription"), "subscription")
    spec = ItemSpec(
        price=price_of(p),
        quantity=p.integer("quantity"),
        metadata=of_pairs(p.map("metadata") or {}),
        price_data=price_params.price_data(p, "price_data"),
        tax_rates=own_rates(p),
        param="item",
    )
    change = _item_change(p, added=(spec,))
    p.unknown()
    before = {i["id"] for i in subscriptions.show(ledger, subscription)["items"]["data"]}
    after = subscription_changes.update(ledger, subscription, change)["items"]["data"]
    return next(dict(i) for i in after if i["id"] not in before)


@route("POST", "/v1/subscription_items/{item}")
def update_item(ledger: Ledger, p: Params, item: str) -> Any:
    current = _item_object(ledger, item)
    price, quantity = price_of(p), p.integer("quantity")
    given: dict[str, Any] = {"item_tax_rates": rate_specs(p, item)}
    if price is not None or quantity is not None:
        spec = (price or "") + (f":{quantity}" if quantity is not None else "")
        given["items"] = (f"{item}={spec}",)
    if p.has("metadata"):
        given["item_metadata"] = ((item, p.metadata(current["metadata"])),)
    if p.has("price_data"):
        raise InvalidRequest(
            "Invalid price_data: an item's price changes to an existing price; give price",
            param="price_data",
        )
    change = _item_change(p, **given)
    p.unknown()
    subscription_changes.update(ledger, current["subscription"], change)
    return _item_object(ledger, item)


@route("DELETE", "/v1/subscription_items/{item}")
def delete_item(ledger: Ledger, p: Params, item: str) -> Any:
    current = _item_object(ledger, item)
    p.refuse("clear_usage")
    change = _item_change(p, remove_items=(item,))
    p.unknown()
    subscription_changes.update(ledger, current["subscription"], change)
    return objects.deleted("subscription_item", item)


ROUTES = [
    search,
    create,
    list_all,
    retrieve,
    update,
    cancel,
    resume,
    delete_discount,
    list_items,
    create_item,
    retrieve_item,
    update_item,
    delete_item,
]
