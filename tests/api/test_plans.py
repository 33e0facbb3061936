"""Plans as Stripe still serves them (its `plan` reference): a plan is a recurring price
seen through the older shape, usable wherever a price is, recorded as `plan.*` beside
`price.*`, and deleted for new subscriptions only."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import httpx2 as httpx

from tests.conftest import ledger_digest

GOLD = {
    "id": "gold-monthly",
    "currency": "usd",
    "interval": "month",
    "amount": "2000",
    "product[name]": "Gold",
    "nickname": "Gold",
    "trial_period_days": "14",
}


def _types(http: httpx.Client, pattern: str) -> list[str]:
    found = http.get("/v1/events", params={"type": pattern, "limit": "100"}).json()["data"]
    return sorted(e["type"] for e in found)


def test_a_plan_is_a_recurring_price_with_its_own_id_and_an_inline_product(
    http: httpx.Client, assert_valid: Callable[..., None], checked_ledger: Callable[[], None]
) -> None:
    plan = http.post("/v1/plans", data=GOLD).json()
    assert_valid(plan)
    assert (plan["id"], plan["amount"], plan["interval"], plan["trial_period_days"]) == (
        "gold-monthly",
        2000,
        "month",
        14,
    )
    assert http.get(f"/v1/products/{plan['product']}").json()["name"] == "Gold"
    price = http.get("/v1/prices/gold-monthly").json()
    assert (price["unit_amount"], price["recurring"]["interval"]) == (2000, "month")
    assert _types(http, "plan.*") == ["plan.created"]
    assert _types(http, "price.*") == ["price.created"]
    listed = http.get("/v1/plans", params={"product": plan["product"]}).json()
    assert [p["id"] for p in listed["data"]] == ["gold-monthly"]
    again = http.post("/v1/plans", data=GOLD).json()["error"]
    assert (again["code"], again["param"]) == ("resource_already_exists", "id")
    checked_ledger()


def test_every_recurring_price_is_a_plan_and_a_one_time_price_is_none(http: httpx.Client) -> None:
    product = http.post("/v1/products", data={"name": "Seats"}).json()["id"]
    monthly = http.post(
        "/v1/prices",
        data={
            "product": product,
            "currency": "eur",
            "unit_amount": "900",
            "recurring[interval]": "month",
        },
    ).json()["id"]
    once = http.post(
        "/v1/prices", data={"product": product, "currency": "eur", "unit_amount": "500"}
    ).json()["id"]
    plan = http.get(f"/v1/plans/{monthly}").json()
    assert (plan["object"], plan["amount"], plan["currency"]) == ("plan", 900, "eur")
    missing = http.get(f"/v1/plans/{once}")
    assert (missing.status_code, missing.json()["error"]["code"]) == (404, "resource_missing")
    assert _types(http, "plan.*") == ["plan.created"]  # the recurring one only


def test_a_plan_id_subscribes_where_a_price_id_does_and_items_carry_the_plan(
    http: httpx.Client, checked_ledger: Callable[[], None]
) -> None:
    http.post("/v1/plans", data=GOLD)
    cus = http.post("/v1/customers", data={"payment_method": "pm_card_visa"}).json()["id"]
    sub = http.post(
        "/v1/subscriptions", data={"customer": cus, "items[0][plan]": "gold-monthly"}
    ).json()
    item = sub["items"]["data"][0]
    assert (item["plan"]["id"], item["price"]["id"]) == ("gold-monthly", "gold-monthly")
    legacy = http.post(
        "/v1/subscriptions", data={"customer": cus, "plan": "gold-monthly", "quantity": "3"}
    ).json()
    assert legacy["items"]["data"][0]["quantity"] == 3
    invoice = http.get(f"/v1/invoices/{legacy['latest_invoice']}").json()
    assert invoice["total"] == 3 * 2000
    both = http.post(
        "/v1/subscriptions",
        data={"customer": cus, "items[0][plan]": "gold-monthly", "items[0][price]": "gold-monthly"},
    ).json()["error"]
    assert both["message"] == "You may only specify one of these parameters: plan, price."
    checked_ledger()


def test_a_plan_is_refused_where_only_a_one_time_price_goes(
    http: httpx.Client, ledger_path: Path
) -> None:
    http.post("/v1/plans", data=GOLD)
    cus = http.post("/v1/customers", data={"name": "Ada"}).json()["id"]
    before = ledger_digest(ledger_path)
    refused = http.post("/v1/invoiceitems", data={"customer": cus, "price": "gold-monthly"})
    error = refused.json()["error"]
    assert (refused.status_code, error["param"]) == (400, "price")
    assert "only accepts prices with `type=one_time`" in error["message"]
    assert ledger_digest(ledger_path) == before


def test_a_deleted_plan_takes_no_new_subscription_and_existing_ones_go_on(
    http: httpx.Client, ledger_path: Path, checked_ledger: Callable[[], None]
) -> None:
    plan = http.post("/v1/plans", data=GOLD).json()
    cus = http.post("/v1/customers", data={"payment_method": "pm_card_visa"}).json()["id"]
    sub = http.post(
        "/v1/subscriptions", data={"customer": cus, "items[0][plan]": plan["id"]}
    ).json()
    gone = http.delete(f"/v1/plans/{plan['id']}").json()
    assert gone == {"id": plan["id"], "object": "plan", "deleted": True}
    assert _types(http, "plan.deleted") == ["plan.deleted"]
    assert _types(http, "price.deleted") == ["price.deleted"]
    assert http.get(f"/v1/plans/{plan['id']}").status_code == 404
    assert http.get(f"/v1/subscriptions/{sub['id']}").json()["status"] == "active"
    before = ledger_digest(ledger_path)
    again = http.post("/v1/subscriptions", data={"customer": cus, "items[0][plan]": plan["id"]})
    assert again.status_code == 404 and ledger_digest(ledger_path) == before
    product = http.delete(f"/v1/products/{plan['product']}")
    assert product.json()["deleted"] is True  # a deleted plan no longer holds its product
    checked_ledger()


def test_a_plan_update_changes_nickname_trial_and_metadata_and_nothing_of_its_amounts(
    http: httpx.Client, ledger_path: Path
) -> None:
    http.post("/v1/plans", data=GOLD)
    changed = http.post(
        "/v1/plans/gold-monthly",
        data={"nickname": "", "trial_period_days": "7", "metadata[tier]": "gold"},
    ).json()
    assert (changed["nickname"], changed["trial_period_days"], changed["metadata"]) == (
        None,
        7,
        {"tier": "gold"},
    )
    assert _types(http, "plan.updated") == ["plan.updated"]
    before = ledger_digest(ledger_path)
    refused = http.post("/v1/plans/gold-monthly", data={"amount": "100"}).json()["error"]
    assert refused["param"] == "amount" and ledger_digest(ledger_path) == before
