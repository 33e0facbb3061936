"""Subscriptions and their items."""

from __future__ import annotations

from typing import Any

from billcli.api.handlers import (
    discount_cleared,
    listed,
    offer_of,
    paging,
    price_of,
    required,
    route,
    searched,
)
from billcli.api.params import Params
from billcli.core import objects
from billcli.errors import InvalidRequest, NotFound
from billcli.services.subscriptions import changes as subscription_changes
from billcli.services.subscriptions import creation as subscriptions
from billcli.services.subscriptions.creation import SubscriptionInput
from billcli.services.subscriptions.proposals import ChangeInput
from billcli.store.ledger import Ledger


def _specs(p: Params) -> tuple[str, ...]:
    """`items[n][price|plan]` and their quantities; the older `plan` and `quantity` of
    a single-plan subscription."""
    entries = p.maps("items")
    plan, quantity = p.text("plan"), p.text("quantity")
    if plan is not None:
        if entries:
            raise InvalidRequest(
                "You may only specify one of these parameters: items, plan.", param="plan"
            )
        entries = [{"plan": plan, "quantity": quantity}]
    elif quantity is not None:
        raise InvalidRequest("Invalid quantity: it goes with plan", param="quantity")
    specs = []
    for n, item in enumerate(entries):
        price = required(price_of(item, f"items[{n}]"), f"items[{n}][price]")
        count = item.get("quantity")
        specs.append(f"{price}:{count}" if count is not None else price)
    return tuple(specs)


def _instant_or_now(value: str | None, param: str) -> int | str | None:
    if value is None or value in ("now", ""):
        return value
    if not value.isdigit():
        raise InvalidRequest(f"Invalid {param}: '{value}' (a unix time, or now)", param=param)
    return int(value)


@route("POST", "/v1/subscriptions")
def create(ledger: Ledger, p: Params) -> Any:
    trial_end = _instant_or_now(p.text("trial_end"), "trial_end")
    data = SubscriptionInput(
        customer=required(p.text("customer"), "customer"),
        prices=_specs(p),
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
    )
    p.unknown()
    return subscriptions.create(ledger, data)


@route("GET", "/v1/subscriptions/{subscription_exposed_id}")
def retrieve(ledger: Ledger, p: Params, subscription_exposed_id: str) -> Any:
    p.unknown()
    return subscriptions.show(ledger, subscription_exposed_id)


def _items(items: list[dict[str, Any]]) -> tuple[list[str], list[str], list[str]]:
    """`items[n]` as the services' added prices, changed items and removed items."""
    added, changed, removed = [], [], []
    for n, entry in enumerate(items):
        price, quantity = price_of(entry, f"items[{n}]"), entry.get("quantity")
        spec = f"{price or ''}" + (f":{quantity}" if quantity is not None else "")
        if entry.get("deleted") == "true" and entry.get("id"):
            removed.append(entry["id"])
        elif entry.get("id"):
            changed.append(f"{entry['id']}={spec}")
        elif price:
            added.append(spec)
    return added, changed, removed


def change_of(p: Params, current: dict[str, Any]) -> Any:
    """`items`, `pause_collection` and the rest of an update as the services' change
    (an update's parameters, or the `subscription_…` ones of an upcoming invoice);
    `current` is the subscription as it is (`metadata=` removes all of its metadata,
    `coupon=` its discount), empty for a preview."""

    pause = p.values.get("pause_collection")
    p.has("pause_collection")
    if pause not in (None, "") and not isinstance(pause, dict):
        raise InvalidRequest(
            "Invalid pause_collection: expected an object", param="pause_collection"
        )
    resumes = (pause or {}).get("resumes_at") if isinstance(pause, dict) else None
    added, changed, removed = _items(p.maps("items"))
    return ChangeInput(
        prices=tuple(added),
        items=tuple(changed),
        remove_items=tuple(removed),
        proration_behavior=p.text("proration_behavior"),
        proration_date=p.integer("proration_date"),
        billing_cycle_anchor=p.text("billing_cycle_anchor"),
        cancel_at_period_end=p.boolean("cancel_at_period_end"),
        cancel_at=_instant_or_now(p.text("cancel_at", clearable=True), p.spelled("cancel_at")),
        trial_end=_instant_or_now(p.text("trial_end"), p.spelled("trial_end")),
        pause_collection=pause.get("behavior") if isinstance(pause, dict) else None,
        resumes_at=int(resumes) if isinstance(resumes, str) and resumes.isdigit() else None,
        resume_collection=pause == "",
        payment_behavior=p.text("payment_behavior"),
        default_payment_method=p.text("default_payment_method", clearable=True),
        description=p.text("description", clearable=True),
        metadata=p.metadata(current.get("metadata")),
        **offer_of(p),
        remove_discount=bool(current.get("discount")) and discount_cleared(p),
    )


@route("POST", "/v1/subscriptions/{subscription_exposed_id}")
def update(ledger: Ledger, p: Params, subscription_exposed_id: str) -> Any:
    change = change_of(p, subscriptions.show(ledger, subscription_exposed_id))
    p.unknown()
    return subscription_changes.update(ledger, subscription_exposed_id, change)


@route("DELETE", "/v1/subscriptions/{subscription_exposed_id}")
def cancel(ledger: Ledger, p: Params, subscription_exposed_id: str) -> Any:
    invoice_now, prorate = p.boolean("invoice_now"), p.boolean("prorate")
    p.map("cancellation_details")
    p.unknown()
    return subscription_changes.cancel(
        ledger, subscription_exposed_id, invoice_now=bool(invoice_now), prorate=bool(prorate)
    )


@route("GET", "/v1/subscriptions")
def list_all(ledger: Ledger, p: Params) -> Any:
    request, customer = paging(p, created=True), p.text("customer")
    status, price = p.text("status"), p.text("price")
    p.unknown()
    return listed(
        subscriptions.list_subscriptions(
            ledger, request, customer=customer, status=status, price=price
        )
    )


@route("GET", "/v1/subscriptions/search")
def search(ledger: Ledger, p: Params) -> Any:
    return searched(ledger, p, "subscription")


# Paths of the extract billcli answers with a refusal, and why (tests/api/test_routes.py).
REFUSED = {
    ("POST", "/v1/subscriptions/{subscription}/resume"): "billcli subscriptions never enter "
    "the `paused` status (a trial always converts or ends); pause_collection is resumed "
    "with `pause_collection=`",
}


@route("POST", "/v1/subscriptions/{subscription}/resume")
def resume(ledger: Ledger, p: Params, subscription: str) -> Any:
    subscriptions.show(ledger, subscription)
    raise InvalidRequest(
        "Invalid subscription: " + REFUSED[("POST", "/v1/subscriptions/{subscription}/resume")],
        param="subscription",
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
    paging(p)
    p.unknown()
    items = subscriptions.show(ledger, subscription)["items"]
    return {**items, "url": "/v1/subscription_items"}


@route("GET", "/v1/subscription_items/{item}")
def retrieve_item(ledger: Ledger, p: Params, item: str) -> Any:
    p.unknown()
    return _item_object(ledger, item)


def _item_change(p: Params, price: str | None, quantity: int | None, **given: Any) -> Any:
    return ChangeInput(
        proration_behavior=p.text("proration_behavior"),
        proration_date=p.integer("proration_date"),
        **given,
    )


@route("POST", "/v1/subscription_items")
def create_item(ledger: Ledger, p: Params) -> Any:
    subscription = required(p.text("subscription"), "subscription")
    given = {"price": p.text("price"), "plan": p.text("plan")}
    price, quantity = required(price_of(given, "item"), "price"), p.integer("quantity")
    spec = f"{price}:{quantity}" if quantity is not None else price
    change = _item_change(p, price, quantity, prices=(spec,), metadata=())
    p.unknown()
    before = {i["id"] for i in subscriptions.show(ledger, subscription)["items"]["data"]}
    after = subscription_changes.update(ledger, subscription, change)["items"]["data"]
    return next(dict(i) for i in after if i["id"] not in before)


@route("POST", "/v1/subscription_items/{item}")
def update_item(ledger: Ledger, p: Params, item: str) -> Any:
    current = _item_object(ledger, item)
    price = price_of({"price": p.text("price"), "plan": p.text("plan")}, "item")
    quantity = p.integer("quantity")
    spec = (price or "") + (f":{quantity}" if quantity is not None else "")
    change = _item_change(p, price, quantity, items=(f"{item}={spec}",))
    p.unknown()
    subscription_changes.update(ledger, current["subscription"], change)
    return _item_object(ledger, item)


@route("DELETE", "/v1/subscription_items/{item}")
def delete_item(ledger: Ledger, p: Params, item: str) -> Any:
    current = _item_object(ledger, item)
    change = _item_change(p, None, None, remove_items=(item,))
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
