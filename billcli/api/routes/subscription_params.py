"""Reading a subscription's parameters beside its dates and prices: its items (with
`price_data` and metadata), the one-time items its next invoice adds, its settings, and
the documented parameters of capabilities billcli does not model."""

from __future__ import annotations

from typing import Any

from billcli.api.handlers import (
    by_payment_method,
    given,
    issued_by_self,
    price_of,
    rates_of,
    required,
    without_automatic_tax,
)
from billcli.api.params import Params
from billcli.api.routes import price_params
from billcli.api.unmodelled import refusal
from billcli.errors import InvalidRequest
from billcli.services.invoicing.items import ItemInput
from billcli.services.subscriptions.item_specs import ItemSpec, of_pairs
from billcli.services.subscriptions.settings import SubscriptionSettings

# Documented on subscription create and update, of capabilities billcli does not model.
REFUSED = (
    "application_fee_percent",
    "on_behalf_of",
    "transfer_data",
    "billing_thresholds",
    "billing_schedules",
    "customer_account",
)


def refuse_unmodelled(p: Params) -> None:
    """Connect, Stripe Tax and the rest: refused by name; `invoice_settings[issuer]` is
    the account's own and `billing_mode[type]` is `classic`, what billcli does."""
    p.refuse(*REFUSED)
    by_payment_method(p, "default_source")
    without_automatic_tax(p)
    settings = p.nested("invoice_settings")
    settings.refuse("account_tax_ids")
    issued_by_self(settings)
    settings.unknown()
    mode = p.nested("billing_mode")
    if mode.choice("type", ("classic", "flexible")) == "flexible":
        raise InvalidRequest(
            "Cannot use billing_mode[type]=flexible: billcli bills in classic mode",
            param="billing_mode[type]",
        )
    mode.refuse("flexible")
    mode.unknown()


def item_specs(p: Params) -> tuple[ItemSpec, ...]:
    """`items[n]` of a new subscription; or the older `plan` and `quantity` of a
    single-plan subscription."""
    found = []
    for n, entry in enumerate(p.each("items")):
        found.append(item_spec(entry, f"items[{n}]"))
        entry.unknown()
    plan, quantity = p.text("plan"), p.integer("quantity")
    if plan is not None:
        if found:
            raise InvalidRequest.exclusive(("items", "plan"), "plan")
        found.append(ItemSpec(price=plan, quantity=quantity, param="items[0]"))
    elif quantity is not None:
        raise InvalidRequest("Invalid quantity: it goes with plan", param="quantity")
    return tuple(found)


def item_changes(p: Params) -> dict[str, Any]:
    """`items[n]` of an update: with an `id`, a change of that item (price, quantity,
    metadata, or `deleted`); without, a new item."""
    changed, removed, added, metadata = [], [], [], []
    rates: list[str] = []
    for n, entry in enumerate(p.each("items")):
        item_id = entry.text("id")
        if item_id is None:
            added.append(item_spec(entry, f"items[{n}]"))
            entry.unknown()
            continue
        entry.refuse("clear_usage")
        for name in ("billing_thresholds", "discounts"):
            if entry.has(name):
                raise _not_on_items(entry, name)
        price, quantity = price_of(entry), entry.integer("quantity")
        if entry.boolean("deleted"):
            removed.append(item_id)
        elif price is not None or quantity is not None:
            changed.append(
                f"{item_id}={price or ''}" + (f":{quantity}" if quantity is not None else "")
            )
        if entry.has("metadata"):
            metadata.append((item_id, of_pairs(entry.map("metadata") or {})))
        rates += rate_specs(entry, item_id)
        if entry.has("price_data"):
            raise InvalidRequest(
                f"Invalid {entry.spelled('price_data')}: an item's price changes to an existing "
                "price; give items[n][price] (or add a new item with price_data)",
                param=entry.spelled("price_data"),
            )
        entry.unknown()
    return {
        "items": tuple(changed),
        "remove_items": tuple(removed),
        "added": tuple(added),
        "item_metadata": tuple(metadata),
        "item_tax_rates": tuple(rates),
    }


def rate_specs(entry: Params, item: str) -> tuple[str, ...]:
    """An item's `tax_rates` as the services' `ITEM=TXR` specs (`ITEM=`, for an empty
    value, removes its rates); none when not given."""
    if not entry.has("tax_rates"):
        return ()
    return tuple(f"{item}={rate}" for rate in rates_of(entry, "tax_rates"))


def own_rates(entry: Params) -> tuple[str, ...] | None:
    """A new item's `tax_rates` (None: not given; `("",)`: none)."""
    if not entry.has("tax_rates"):
        return None
    return rates_of(entry, "tax_rates") or ("",)


def item_spec(entry: Params, param: str) -> ItemSpec:
    """One `items[n]` (or a subscription item's create) as asked for."""
    for name in ("billing_thresholds", "discounts"):
        if entry.has(name):
            raise _not_on_items(entry, name)
    metadata = entry.map("metadata") or {}
    return ItemSpec(
        price=price_of(entry),
        quantity=entry.integer("quantity"),
        metadata=of_pairs(metadata),
        price_data=price_params.price_data(entry, "price_data"),
        tax_rates=own_rates(entry),
        param=param,
    )


def _not_on_items(entry: Params, name: str) -> InvalidRequest:
    if name == "billing_thresholds":
        return refusal(name, entry.spelled(name))
    return InvalidRequest(
        f"Invalid {entry.spelled(name)}: billcli applies a subscription's discount to all its "
        "items; give discounts on the subscription",
        param=entry.spelled(name),
    )


def added_items(p: Params) -> tuple[ItemInput, ...]:
    """`add_invoice_items[n]`: one-time prices (or `price_data`) and quantities."""
    found = []
    for entry in p.each("add_invoice_items"):
        coupons = []
        for discount in entry.each("discounts"):
            coupons.append(required(discount.text("coupon"), discount.spelled("coupon")))
            discount.unknown()
        price_data = price_params.price_data(entry, "price_data")
        found.append(
            ItemInput(
                price=entry.text("price"),
                price_data=price_data,
                quantity=entry.integer("quantity"),
                discounts=tuple(coupons) or None,
                tax_rates=own_rates(entry) or (),
            )
        )
        entry.unknown()
    return tuple(found)


def settings_of(p: Params) -> SubscriptionSettings:
    return SubscriptionSettings(
        trial_settings=given(p, "trial_settings"),
        pending_invoice_item_interval=given(p, "pending_invoice_item_interval"),
        payment_settings=given(p, "payment_settings"),
        off_session=p.boolean("off_session"),
        billing_cycle_anchor_config=given(p, "billing_cycle_anchor_config"),
        add_invoice_items=added_items(p),
    )


def cancellation(p: Params) -> dict[str, Any]:
    """`cancellation_details[feedback|comment]` (its `reason` is Stripe's to set)."""
    details = p.nested("cancellation_details")
    found = {"feedback": details.text("feedback"), "comment": details.text("comment")}
    details.unknown()
    return found
