"""Requests read in the version they are sent in, where Stripe's breaking changes
removed a parameter: from 2025-03-31.basil `coupon` and `promotion_code` are gone from
customers, subscriptions and schedules (`discounts` replaces them), refused as unknown
with the ledger unchanged; older versions still take them."""

from __future__ import annotations

from pathlib import Path

import httpx2 as httpx
import pytest

from tests.api.conftest import recurring_price
from tests.conftest import ledger_digest

BASIL = {"Stripe-Version": "2025-03-31.basil"}
ACACIA = {"Stripe-Version": "2025-02-24.acacia"}


def _unknown(answer: httpx.Response, param: str) -> None:
    assert answer.status_code == 400
    assert answer.json()["error"] == {
        "type": "invalid_request_error",
        "code": "parameter_unknown",
        "message": f"Received unknown parameter: {param}",
        "param": param,
    }


@pytest.mark.parametrize("param", ["coupon", "promotion_code"])
def test_from_basil_a_customer_takes_no_coupon_or_promotion_code(
    http: httpx.Client, ledger_path: Path, param: str
) -> None:
    http.post("/v1/coupons", data={"id": "TEN", "percent_off": "10"})
    code = http.post("/v1/promotion_codes", data={"coupon": "TEN", "code": "SAVE"}).json()["id"]
    value = "TEN" if param == "coupon" else code
    cus = http.post("/v1/customers", data={"email": "a@example.com"}).json()["id"]
    before = ledger_digest(ledger_path)
    _unknown(http.post("/v1/customers", data={param: value}, headers=BASIL), param)
    _unknown(http.post(f"/v1/customers/{cus}", data={param: value}, headers=BASIL), param)
    _unknown(http.post(f"/v1/customers/{cus}", data={param: ""}, headers=BASIL), param)
    assert ledger_digest(ledger_path) == before
    older = http.post(f"/v1/customers/{cus}", data={param: value}, headers=ACACIA).json()
    assert older["discount"]["coupon"]["id"] == "TEN"


def test_from_basil_a_subscription_or_schedule_takes_discounts_not_a_coupon(
    http: httpx.Client, ledger_path: Path
) -> None:
    http.post("/v1/coupons", data={"id": "TEN", "percent_off": "10", "duration": "forever"})
    cus = http.post("/v1/customers", data={"payment_method": "pm_card_visa"}).json()["id"]
    http.post(
        f"/v1/customers/{cus}", data={"invoice_settings[default_payment_method]": "pm_card_visa"}
    )
    price = recurring_price(http, 1000)
    before = ledger_digest(ledger_path)
    made = {"customer": cus, "items[0][price]": price}
    _unknown(
        http.post("/v1/subscriptions", data={**made, "coupon": "TEN"}, headers=BASIL), "coupon"
    )
    schedule = {
        "customer": cus,
        "start_date": "now",
        "phases[0][items][0][price]": price,
        "phases[0][coupon]": "TEN",
    }
    _unknown(
        http.post("/v1/subscription_schedules", data=schedule, headers=BASIL), "phases[0][coupon]"
    )
    assert ledger_digest(ledger_path) == before
    sub = http.post(
        "/v1/subscriptions", data={**made, "discounts[0][coupon]": "TEN"}, headers=BASIL
    ).json()
    assert len(sub["discounts"]) == 1
    _unknown(
        http.post(f"/v1/subscriptions/{sub['id']}", data={"coupon": ""}, headers=BASIL), "coupon"
    )
    cleared = http.post(f"/v1/subscriptions/{sub['id']}", data={"discounts": ""}, headers=BASIL)
    assert cleared.json()["discounts"] == []


def test_clovers_promotion_coupon_unknown_is_named_as_the_request_spelled_it(
    http: httpx.Client, ledger_path: Path
) -> None:
    before = ledger_digest(ledger_path)
    answer = http.post(
        "/v1/promotion_codes",
        data={"promotion[type]": "coupon", "promotion[coupon]": "NOPE"},
        headers={"Stripe-Version": "2025-09-30.clover"},
    )
    assert answer.status_code == 404
    assert answer.json()["error"] == {
        "type": "invalid_request_error",
        "code": "resource_missing",
        "message": "No such coupon: 'NOPE'",
        "param": "promotion[coupon]",
    }
    assert ledger_digest(ledger_path) == before
    older = http.post("/v1/promotion_codes", data={"coupon": "NOPE"}).json()["error"]
    assert older["param"] == "coupon"
