"""Objects in each API version as Stripe's changelog documents them: a field renamed or
removed at the version that did it, not before and not after; an event says which
version its object is shown in."""

from __future__ import annotations

from typing import Any

import httpx2 as httpx

from tests.api.conftest import recurring_price


def _in(http: httpx.Client, path: str, version: str) -> dict[str, Any]:
    answer = http.get(path, headers={"Stripe-Version": version})
    assert answer.headers["Stripe-Version"] == version
    return answer.json()  # type: ignore[no-any-return]


def test_product_features_become_marketing_features_at_2024_04_10(http: httpx.Client) -> None:
    product = http.post("/v1/products", data={"name": "Pro"}).json()["id"]
    before = _in(http, f"/v1/products/{product}", "2023-10-16")
    after = _in(http, f"/v1/products/{product}", "2024-04-10")
    assert "features" in before and "marketing_features" not in before
    assert "features" not in after and after["marketing_features"] == before["features"]


def test_an_invoice_loses_subscription_at_basil_and_rendering_options_at_2024_04_10(
    http: httpx.Client,
) -> None:
    price = recurring_price(http, 1000)
    cus = http.post("/v1/customers", data={"payment_method": "pm_card_visa"}).json()["id"]
    sub = http.post("/v1/subscriptions", data={"customer": cus, "items[0][price]": price}).json()
    path = f"/v1/invoices/{sub['latest_invoice']}"
    old = _in(http, path, "2023-10-16")
    assert old["subscription"] == sub["id"] and "rendering_options" in old and "issuer" not in old
    acacia = _in(http, path, "2025-02-24.acacia")
    assert acacia["subscription"] == sub["id"]  # still there before basil
    assert "rendering_options" not in acacia and acacia["issuer"] == {"type": "self"}
    basil = _in(http, path, "2025-03-31.basil")
    assert "subscription" not in basil and "subscription_details" not in basil
    assert basil["parent"]["subscription_details"]["subscription"] == sub["id"]
    assert "customer_account" not in basil  # came with 2025-12-15.clover
    assert _in(http, path, "2025-12-15.clover")["customer_account"] is None
    items = _in(http, f"/v1/subscriptions/{sub['id']}", "2025-03-31.basil")["items"]["data"]
    assert items[0]["current_period_end"] == sub["current_period_end"]
    assert "current_period_end" not in _in(
        http, f"/v1/subscriptions/{sub['id']}", "2025-03-31.basil"
    )


def test_a_discount_names_its_coupon_under_source_from_clover_on(http: httpx.Client) -> None:
    http.post("/v1/coupons", data={"id": "TEN", "percent_off": "10"})
    cus = http.post("/v1/customers", data={"coupon": "TEN"}).json()["id"]
    path = f"/v1/customers/{cus}/discount"
    basil = _in(http, path, "2025-08-27.basil")
    assert basil["coupon"]["id"] == "TEN" and "source" not in basil
    clover = _in(http, path, "2025-09-30.clover")
    assert "coupon" not in clover and clover["source"] == {"coupon": "TEN", "type": "coupon"}


def test_an_event_says_which_version_its_object_is_shown_in(http: httpx.Client) -> None:
    http.post("/v1/customers", data={"name": "Ev"})
    for version in ("2023-08-16", "2024-06-20", "2025-09-30.clover", "2026-10-28.endive"):
        (event,) = _in(http, "/v1/events", version)["data"]
        assert event["api_version"] == version
    unknown = http.get("/v1/events", headers={"Stripe-Version": "2025-10-01.clover"}).json()
    assert unknown["data"][0]["api_version"] == "2025-09-30.clover"  # the nearest older known
