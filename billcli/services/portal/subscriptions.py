"""What a customer may do to their subscriptions in the portal, and no more.

Facts §7 and billcli-decisions ("Portal and subscriptions"): the configuration's
`subscription_cancel` (at the period end or at once, a reason when it asks for one, a
credit for the unused time with `create_prorations`), `subscription_update` (a new
price among the ones it lists for the product, a new quantity; single-item
subscriptions only; its proration behaviour) and `subscription_pause`. Every action
names the subscription's version as the page showed it: a form replayed, or posted
after the subscription changed, changes nothing.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import replace
from typing import Any

from billcli.core import catalog_objects
from billcli.core.catalog import charges_in
from billcli.core.invoicing import check_choice
from billcli.core.records.portal import PortalConfiguration
from billcli.core.records.subscriptions import Subscription
from billcli.core.subscriptions import ENDED, ends_at_period_end
from billcli.errors import InvalidRequest
from billcli.services.ledger.lookup import catalog
from billcli.services.portal.access import Opened, resume
from billcli.services.portal.rules import single_item
from billcli.services.subscriptions.changes import cancel_in, update_in
from billcli.services.subscriptions.creation import quantity_of
from billcli.services.subscriptions.items import billed_items
from billcli.services.subscriptions.previews import previewed
from billcli.services.subscriptions.proposals import ChangeInput, refuse_if_scheduled
from billcli.services.subscriptions.records import save, subscription_object
from billcli.services.subscriptions.upcoming import ends, preview
from billcli.store.ledger import Ledger, Tx


def version(tx: Tx, sub: Subscription) -> str:
    """A fingerprint of what a page showed of the subscription."""
    items = [(b.item.id, b.price.id, b.item.quantity) for b in billed_items(tx, sub)]
    state = [sub.status, sub.cancel_at_period_end, sub.cancel_at, sub.pause_collection, items]
    return hashlib.sha256(json.dumps(state).encode()).hexdigest()[:20]


def offers(tx: Tx, opened: Opened) -> list[dict[str, Any]]:
    """The customer's current subscriptions, each with what this portal lets them do."""
    features = opened.configuration.features
    flow = opened.flow or {}
    only = _flow_subscription(flow)
    shown = []
    for sub in tx.subscriptions.of_customer(opened.customer.id):
        if sub.status in ENDED or (only is not None and sub.id != only):
            continue
        billed = billed_items(tx, sub)
        listed = subscription_object(tx, sub)
        ending = ends_at_period_end(sub)
        listed["products"] = {b.item.id: b.product.name for b in billed}
        listed["ends_at"] = (sub.cancel_at or sub.current_period_end) if ending else None
        listed["next_invoice"] = None if ends(tx, sub) else preview(tx, sub)
        listed["scheduled"] = _scheduled(tx, sub)
        listed["version"] = version(tx, sub)
        at_end = features["subscription_cancel"]["mode"] != "immediately"
        scheduled = at_end and tx.subscription_schedules.managing(sub.id) is not None
        listed["can_cancel"] = (
            features["subscription_cancel"]["enabled"] and not ending and not scheduled
        )
        listed["can_keep"] = features["subscription_cancel"]["enabled"] and sub.cancel_at_period_end
        listed["can_pause"] = features["subscription_pause"]["enabled"]
        listed["switch_to"] = _priced(tx, _switches(tx, opened.configuration, billed, sub))
        shown.append(listed)
    return shown


def _scheduled(tx: Tx, sub: Subscription) -> dict[str, Any] | None:
    """The change the subscription's schedule makes next: the next phase's items from
    its start, or the end of the subscription (`end_behavior=cancel`)."""
    schedule = tx.subscription_schedules.managing(sub.id)
    if schedule is None or schedule.phase is None:
        return None
    following = schedule.phases[schedule.phase + 1 :]
    if not following:
        last_end = schedule.phases[-1]["end_date"]
        return {"at": last_end, "cancels": True} if schedule.end_behavior == "cancel" else None
    wanted = following[0]["items"]
    prices = catalog(tx, "prices", [i["price"] for i in wanted])
    products = catalog(tx, "products", [p.product for p in prices.values()])
    items = [
        {
            "name": products[prices[i["price"]].product].name,
            "quantity": i["quantity"],
            "price": catalog_objects.price(prices[i["price"]]),
        }
        for i in wanted
    ]
    return {"at": following[0]["start_date"], "cancels": False, "items": items}


def _flow_subscription(flow: dict[str, Any]) -> str | None:
    kind = flow.get("type")
    if kind in ("subscription_cancel", "subscription_update", "subscription_update_confirm"):
        return str(flow[kind]["subscription"])
    return None


def _switches(
    tx: Tx, configuration: PortalConfiguration, billed: list[Any], sub: Subscription
) -> dict[str, Any]:
    """The prices and quantity a single-item subscription may change to, if any: only
    prices with an amount in its currency (their own or an option), the only ones it
    can take."""
    update = configuration.features["subscription_update"]
    allowed = update["default_allowed_updates"]
    if not update["enabled"] or len(billed) != 1:
        return {}
    entry = next((e for e in update["products"] if e["product"] == billed[0].product.id), None)
    listed = entry["prices"] if entry and "price" in allowed else []
    found = catalog(tx, "prices", listed)
    prices = [p for p in listed if p in found and charges_in(found[p], sub.currency)]
    if not prices and "quantity" not in allowed and "promotion_code" not in allowed:
        return {}
    return {
        "prices": prices,
        "quantity": "quantity" in allowed,
        "promotion_code": "promotion_code" in allowed,
        "item": billed[0].item.id,
    }


def _priced(tx: Tx, switches: dict[str, Any]) -> dict[str, Any]:
    """The switches with each price as its object, for a page to name."""
    if not switches:
        return switches
    found = catalog(tx, "prices", switches["prices"])
    return switches | {"prices": [catalog_objects.price(found[p]) for p in switches["prices"]]}


def _own(tx: Tx, opened: Opened, subscription_id: str, shown_version: str | None) -> Subscription:
    """The customer's own current subscription, as the page showed it."""
    sub = tx.subscriptions.get(subscription_id)
    only = _flow_subscription(opened.flow or {})
    if (
        sub is None
        or sub.customer != opened.customer.id
        or sub.status in ENDED
        or (only is not None and only != sub.id)
    ):
        raise InvalidRequest("Invalid subscription: it is not one of yours", param="subscription")
    if shown_version != version(tx, sub):
        raise InvalidRequest(
            "This subscription changed since the page was shown; nothing was changed. "
            "Review it again.",
            param="version",
        )
    return sub


def _feature(opened: Opened, name: str) -> dict[str, Any]:
    feature: dict[str, Any] = opened.configuration.features[name]
    if not feature["enabled"]:
        raise InvalidRequest(f"Invalid request: {name} is not offered here", param=name)
    return feature


def cancel(
    ledger: Ledger, cookie: str | None, subscription_id: str, form: dict[str, str]
) -> int | None:
    """Cancel as the configuration says: at the period end, or at once (its credit).
    Returns when the subscription will end, None when it ended now (the page says
    which: "will be canceled" is not "was canceled")."""
    with ledger.write() as tx:
        opened = resume(tx, cookie)
        cancel_feature = _feature(opened, "subscription_cancel")
        sub = _own(tx, opened, subscription_id, form.get("version"))
        reason = form.get("reason") or None
        asked = cancel_feature["cancellation_reason"]
        if reason is not None:
            if not asked["enabled"]:
                raise InvalidRequest("Invalid reason: none is asked for here", param="reason")
            check_choice(reason, tuple(asked["options"]), "reason")
        comment = (form.get("comment") or "").strip()[:500] or None
        if cancel_feature["mode"] == "immediately":
            credit = cancel_feature["proration_behavior"] == "create_prorations"
            cancel_in(tx, sub, invoice_now=credit, prorate=credit, feedback=reason, comment=comment)
            return None
        refuse_if_scheduled(tx, sub, ["cancel_at_period_end"])
        pending = replace(
            sub,
            cancel_at_period_end=True,
            canceled_at=tx.now,
            cancellation_feedback=reason,
            cancellation_comment=comment,
        )
        save(tx, sub, pending)
        return pending.current_period_end


def keep(ledger: Ledger, cookie: str | None, subscription_id: str, form: dict[str, str]) -> None:
    """Take back a cancellation at the period end."""
    with ledger.write() as tx:
        opened = resume(tx, cookie)
        _feature(opened, "subscription_cancel")
        sub = _own(tx, opened, subscription_id, form.get("version"))
        if not sub.cancel_at_period_end:
            raise InvalidRequest("Invalid subscription: it is not being canceled", param="version")
        update_in(tx, sub, ChangeInput(cancel_at_period_end=False))


def _change(tx: Tx, opened: Opened, sub: Subscription, form: dict[str, str]) -> ChangeInput:
    """The change a form asks for, within what the configuration allows."""
    update = _feature(opened, "subscription_update")
    item = single_item(tx, sub.id, param="subscription")
    switches = _switches(tx, opened.configuration, billed_items(tx, sub), sub)
    price = form.get("price") or item.price
    proposed_price, proposed_quantity = _proposed(opened)
    if price not in (item.price, proposed_price) and price not in switches.get("prices", []):
        raise InvalidRequest(f"Invalid price: {price} is not offered here", param="price")
    quantity = item.quantity
    if form.get("quantity") not in (None, "", str(item.quantity)):
        if not switches.get("quantity") and form.get("quantity") != proposed_quantity:
            raise InvalidRequest("Invalid quantity: it cannot be changed here", param="quantity")
        quantity = quantity_of(str(form["quantity"]), "quantity")
        if quantity < 1:
            raise InvalidRequest("Invalid quantity: at least 1", param="quantity")
    code = (form.get("promotion_code") or "").strip() or None
    if code is not None and not switches.get("promotion_code"):
        raise InvalidRequest(
            "Invalid promotion_code: promotion codes are not offered here", param="promotion_code"
        )
    return ChangeInput(
        items=(f"{item.id}={price}:{quantity}",),
        proration_behavior=update["proration_behavior"],
        proration_date=_previewed_at(tx, opened, form.get("proration_date")),
        promotion_code=code,
    ).checked()


def _previewed_at(tx: Tx, opened: Opened, when: str | None) -> int | None:
    """The instant a confirmed change was previewed at, which it is prorated as of: one
    this visit's preview can have been computed at (since the portal was opened, not
    after now). Stripe's portal prorates as of the change; no customer picks the date,
    and a date moved to the period's end or back to its start would change the price."""
    if not (when and when.isascii() and when.isdigit()):
        return None
    at = int(when)
    if not opened.visited_at <= at <= tx.now:
        raise InvalidRequest(
            "Invalid proration_date: not the instant this change was previewed at; "
            "nothing was changed. Review the change again.",
            param="proration_date",
        )
    return at


def _proposed(opened: Opened) -> tuple[str | None, str | None]:
    """The price and quantity a `subscription_update_confirm` flow proposes: the
    operator's, which Stripe lets the customer confirm whatever customers may choose
    themselves (it asks only that the flow's price be one the configuration lists,
    checked when the session was made)."""
    confirm = (opened.flow or {}).get("subscription_update_confirm")
    if not confirm:
        return None, None
    item = confirm["items"][0]
    return str(item["price"]), str(item["quantity"])


def preview_change(
    ledger: Ledger, cookie: str | None, subscription_id: str, form: dict[str, str]
) -> dict[str, Any]:
    """The invoice a change would bring, to confirm (its proration date to keep); made
    and undone in a write transaction, as every preview is."""
    with ledger.write() as tx, tx.scratch():
        opened = resume(tx, cookie)
        sub = _own(tx, opened, subscription_id, form.get("version"))
        change = replace(_change(tx, opened, sub, form), proration_date=tx.now)
        if change.proration_behavior == "none":
            change = replace(change, proration_date=None)
        upcoming = previewed(tx, sub, change)
        return {
            "subscription": subscription_object(tx, sub),
            "upcoming": upcoming,
            "form": {
                "price": change.items[0].split("=")[1].split(":")[0],
                "quantity": change.items[0].rsplit(":", 1)[1],
                "proration_date": str(change.proration_date or ""),
                "promotion_code": change.promotion_code or "",
                "version": version(tx, sub),
            },
        }


def change(ledger: Ledger, cookie: str | None, subscription_id: str, form: dict[str, str]) -> None:
    """Make the change the customer confirmed, prorated as of the preview they saw."""
    with ledger.write() as tx:
        opened = resume(tx, cookie)
        sub = _own(tx, opened, subscription_id, form.get("version"))
        update_in(tx, sub, _change(tx, opened, sub, form))


def pause(ledger: Ledger, cookie: str | None, subscription_id: str, form: dict[str, str]) -> None:
    """Pause collection (renewals are voided until resumed), or resume it."""
    with ledger.write() as tx:
        opened = resume(tx, cookie)
        _feature(opened, "subscription_pause")
        sub = _own(tx, opened, subscription_id, form.get("version"))
        if form.get("resume"):
            update_in(tx, sub, ChangeInput(resume_collection=True))
        else:
            update_in(tx, sub, ChangeInput(pause_collection="void"))
