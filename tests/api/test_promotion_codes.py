"""Promotion codes through the API, from Stripe's reference for `promotion_code`: a code of
a coupon, redeemed on customers, subscriptions and invoices, each restriction refused
with nothing written, the object valid against its schema in 2023 and in clover's shape."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import httpx2 as httpx

from tests.api.conftest import recurring_price
from tests.conftest import ledger_digest


def _refused(
    http: httpx.Client, ledger_path: Path, path: str, data: dict[str, str], param: str
) -> dict[str, Any]:
    """A request Stripe refuses: 400 naming `param`, and the ledger as it was."""
    before = ledger_digest(ledger_path)
    answer = http.post(path, data=data)
    assert answer.status_code == 400, answer.text
    error = answer.json()["error"]
    assert (error["type"], error["param"]) == ("invalid_request_error", param), error
    assert ledger_digest(ledger_path) == before
    return error  # type: ignore[no-any-return]


def test_a_promotion_code_discounts_a_subscription_by_its_coupon_and_counts_the_redemption(
    http: httpx.Client, assert_valid: Callable[..., None], checked_ledger: Callable[[], None]
) -> None:
    http.post("/v1/coupons", data={"id": "QUARTER", "percent_off": "25", "duration": "forever"})
    made = http.post("/v1/promotion_codes", data={"coupon": "QUARTER", "code": "Spring25"})
    promo = made.json()
    assert_valid(promo)
    assert (promo["code"], promo["coupon"]["id"], promo["active"]) == ("Spring25", "QUARTER", True)
    cus = http.post("/v1/customers", data={"payment_method": "pm_card_visa"}).json()["id"]
    sub = http.post(
        "/v1/subscriptions",
        data={
            "customer": cus,
            "items[0][price]": recurring_price(http, 2000),
            "promotion_code": promo["id"],
        },
    ).json()
    assert sub["discount"]["promotion_code"] == promo["id"]
    assert sub["discount"]["coupon"]["id"] == "QUARTER"
    invoice = http.get(f"/v1/invoices/{sub['latest_invoice']}").json()
    assert invoice["total"] == 2000 - 2000 * 25 // 100  # 25% off $20.00
    shown = http.get(f"/v1/promotion_codes/{promo['id']}").json()
    assert shown["times_redeemed"] == 1 and shown["coupon"]["times_redeemed"] == 1
    created = http.get("/v1/events", params={"type": "promotion_code.*"}).json()["data"]
    assert [e["type"] for e in created] == ["promotion_code.created"]
    checked_ledger()


def test_discounts_promotion_code_and_a_customer_and_an_invoice_redeem_a_code_too(
    http: httpx.Client, checked_ledger: Callable[[], None]
) -> None:
    http.post("/v1/coupons", data={"id": "FIVE", "amount_off": "500", "currency": "usd"})
    promo = http.post("/v1/promotion_codes", data={"coupon": "FIVE"}).json()
    assert promo["code"].isalnum() and promo["code"].isupper()  # made up when not given
    customer = http.post("/v1/customers", data={"promotion_code": promo["id"]}).json()
    assert customer["discount"]["promotion_code"] == promo["id"]
    other = http.post("/v1/customers", data={"name": "Bo"}).json()["id"]
    http.post("/v1/invoiceitems", data={"customer": other, "amount": "1200", "currency": "usd"})
    invoice = http.post(
        "/v1/invoices",
        data={
            "customer": other,
            "pending_invoice_items_behavior": "include",
            "discounts[0][promotion_code]": promo["id"],
        },
    ).json()
    assert invoice["total"] == 1200 - 500
    assert http.get(f"/v1/promotion_codes/{promo['id']}").json()["times_redeemed"] == 2
    checked_ledger()


def test_each_restriction_is_kept_when_a_code_is_redeemed_and_nothing_is_written(
    http: httpx.Client, ledger_path: Path, checked_ledger: Callable[[], None]
) -> None:
    http.post("/v1/coupons", data={"id": "TEN", "percent_off": "10"})
    ada = http.post("/v1/customers", data={"name": "Ada", "payment_method": "pm_card_visa"}).json()
    bo = http.post("/v1/customers", data={"name": "Bo"}).json()["id"]
    price = recurring_price(http, 3000)
    for_ada = http.post("/v1/promotion_codes", data={"coupon": "TEN", "customer": ada["id"]})
    error = _refused(
        http, ledger_path, f"/v1/customers/{bo}", {"promotion_code": for_ada.json()["id"]},
        "promotion_code",
    )  # fmt: skip
    assert ada["id"] in error["message"]
    minimum = http.post(
        "/v1/promotion_codes",
        data={
            "coupon": "TEN",
            "restrictions[minimum_amount]": "5000",
            "restrictions[minimum_amount_currency]": "usd",
        },
    ).json()["id"]
    sub = {"customer": ada["id"], "items[0][price]": price, "promotion_code": minimum}
    assert (
        "$50.00"
        in _refused(http, ledger_path, "/v1/subscriptions", sub, "promotion_code")["message"]
    )
    sub["items[0][quantity]"] = "2"  # $60.00 a month: at least the minimum
    assert http.post("/v1/subscriptions", data=sub).status_code == 200
    first = http.post(
        "/v1/promotion_codes",
        data={"coupon": "TEN", "restrictions[first_time_transaction]": "true"},
    ).json()["id"]
    error = _refused(
        http, ledger_path, f"/v1/customers/{ada['id']}", {"promotion_code": first}, "promotion_code"
    )
    assert "prior transactions" in error["message"]  # Ada paid her first invoice
    assert http.post(f"/v1/customers/{bo}", data={"promotion_code": first}).status_code == 200
    once = http.post("/v1/promotion_codes", data={"coupon": "TEN", "max_redemptions": "1"})
    http.post(f"/v1/customers/{bo}", data={"promotion_code": once.json()["id"]})
    carl = http.post("/v1/customers", data={"name": "Carl"}).json()["id"]
    _refused(
        http, ledger_path, f"/v1/customers/{carl}", {"promotion_code": once.json()["id"]},
        "promotion_code",
    )  # fmt: skip
    checked_ledger()


def test_a_code_is_unique_among_active_codes_whatever_its_case_and_its_limits_within_the_coupons(
    http: httpx.Client, ledger_path: Path
) -> None:
    http.post("/v1/coupons", data={"id": "LIM", "percent_off": "5", "max_redemptions": "3"})
    http.post("/v1/promotion_codes", data={"coupon": "LIM", "code": "HELLO"})
    _refused(http, ledger_path, "/v1/promotion_codes", {"coupon": "LIM", "code": "hello"}, "code")
    _refused(
        http, ledger_path, "/v1/promotion_codes", {"coupon": "LIM", "code": "no_underscore"}, "code"
    )
    _refused(
        http, ledger_path, "/v1/promotion_codes", {"coupon": "LIM", "max_redemptions": "4"},
        "max_redemptions",
    )  # fmt: skip
    _refused(
        http, ledger_path, "/v1/promotion_codes", {"coupon": "LIM", "expires_at": "1"},
        "expires_at",
    )  # fmt: skip
    empty = http.post("/v1/promotion_codes", data={"coupon": ""})
    assert empty.json()["error"]["code"] == "parameter_invalid_empty"


def test_a_code_turned_off_and_on_records_its_updates_and_lists_filter_by_code_and_coupon(
    http: httpx.Client, ledger_path: Path
) -> None:
    http.post("/v1/coupons", data={"id": "OFF", "percent_off": "15"})
    promo = http.post("/v1/promotion_codes", data={"coupon": "OFF", "code": "SUMMER"}).json()
    off = http.post(f"/v1/promotion_codes/{promo['id']}", data={"active": "false"}).json()
    assert off["active"] is False
    cus = http.post("/v1/customers", data={"name": "Dee"}).json()["id"]
    _refused(
        http, ledger_path, f"/v1/customers/{cus}", {"promotion_code": promo["id"]}, "promotion_code"
    )
    on = http.post(
        f"/v1/promotion_codes/{promo['id']}", data={"active": "true", "metadata[campaign]": "x"}
    ).json()
    assert (on["active"], on["metadata"]) == (True, {"campaign": "x"})
    updates = http.get("/v1/events", params={"type": "promotion_code.updated"}).json()["data"]
    assert [e["data"]["previous_attributes"] for e in reversed(updates)] == [
        {"active": True},
        {"active": False, "metadata": {}},
    ]
    found = http.get("/v1/promotion_codes", params={"code": "summer"}).json()["data"]
    assert [p["id"] for p in found] == [promo["id"]]
    assert http.get("/v1/promotion_codes", params={"coupon": "NONE"}).json()["data"] == []


def test_in_clover_a_promotion_code_names_its_coupon_under_promotion(http: httpx.Client) -> None:
    http.post("/v1/coupons", data={"id": "CL", "percent_off": "20"})
    promo = http.post("/v1/promotion_codes", data={"coupon": "CL"}).json()
    clover = {"Stripe-Version": "2025-09-30.clover"}
    shown = http.get(f"/v1/promotion_codes/{promo['id']}", headers=clover).json()
    assert "coupon" not in shown
    assert shown["promotion"] == {"coupon": "CL", "type": "coupon"}  # the id, not expanded
    before = http.get(
        f"/v1/promotion_codes/{promo['id']}", headers={"Stripe-Version": "2025-08-27.basil"}
    )
    assert before.json()["coupon"]["id"] == "CL"
