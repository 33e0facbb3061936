"""Bad input through the HTTP API, answered as Stripe answers it (status, type, code,
param) with the ledger unchanged: updates of deleted objects, `limit` outside 1..100,
and a price's recurring parameters named as the request spelled them."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import httpx2 as httpx
import pytest

from tests.conftest import ledger_digest


def _error(answer: httpx.Response) -> tuple[int, str, str | None, str | None]:
    error: dict[str, Any] = answer.json()["error"]
    return answer.status_code, error["type"], error.get("code"), error.get("param")


@pytest.mark.parametrize(
    ("make", "path", "kind", "param"),
    [
        (("/v1/customers", {"email": "a@example.com"}), "/v1/customers", "customer", "customer"),
        (("/v1/products", {"name": "Old"}), "/v1/products", "product", "id"),
        (
            (
                "/v1/plans",
                {"amount": "500", "currency": "usd", "interval": "month", "product[name]": "X"},
            ),
            "/v1/prices",
            "price",
            "price",
        ),
    ],
)
def test_an_update_of_a_deleted_object_is_resource_missing_not_a_server_error(
    http: httpx.Client,
    ledger_path: Path,
    make: tuple[str, dict[str, str]],
    path: str,
    kind: str,
    param: str,
) -> None:
    made = http.post(make[0], data=make[1]).json()["id"]
    assert http.delete(f"{make[0]}/{made}").json()["deleted"] is True
    assert http.get(f"{path}/{made}").json() == {"id": made, "object": kind, "deleted": True}
    before = ledger_digest(ledger_path)
    answer = http.post(f"{path}/{made}", data={"metadata[a]": "1"})
    assert _error(answer) == (404, "invalid_request_error", "resource_missing", param)
    assert answer.json()["error"]["message"] == f"No such {kind}: '{made}'"
    assert ledger_digest(ledger_path) == before


@pytest.mark.parametrize("limit", ["0", "-1", "101"])
@pytest.mark.parametrize(
    ("path", "query"), [("/v1/customers", {}), ("/v1/customers/search", {"query": "email:'a'"})]
)
def test_a_list_limit_outside_1_to_100_is_refused_naming_limit(
    http: httpx.Client, path: str, query: dict[str, str], limit: str
) -> None:
    http.post("/v1/customers", data={"email": "a@example.com"})
    answer = http.get(path, params={**query, "limit": limit})
    assert _error(answer) == (400, "invalid_request_error", None, "limit")
    assert answer.json()["error"]["message"] == (
        f"Invalid limit: {limit} (it must be between 1 and 100)"
    )


def _monthly(prefix: str, **changed: str) -> dict[str, str]:
    """A monthly price's parameters under `prefix` (`default_price_data`, or none),
    with `changed` (keys as inside the prefix: `recurring[interval]`)."""
    inner = {"currency": "usd", "unit_amount": "500", "recurring[interval]": "month", **changed}
    if not prefix:
        return inner
    return {
        f"{prefix}[{key.replace('[', '][', 1)}" if "[" in key else f"{prefix}[{key}]": value
        for key, value in inner.items()
    }


@pytest.mark.parametrize(
    ("path", "data", "param"),
    [
        (
            "/v1/prices",
            {"product_data[name]": "P", **_monthly("", **{"recurring[interval]": "fortnight"})},
            "recurring[interval]",
        ),
        (
            "/v1/prices",
            {"product_data[name]": "P", **_monthly("", **{"recurring[interval_count]": "40"})},
            "recurring[interval_count]",
        ),
        (
            "/v1/products",
            {"name": "P", **_monthly("default_price_data", **{"recurring[interval]": "fortnight"})},
            "default_price_data[recurring][interval]",
        ),
        (
            "/v1/plans",
            {"amount": "500", "currency": "usd", "interval": "fortnight", "product[name]": "X"},
            "interval",
        ),
    ],
)
def test_a_bad_recurring_interval_names_the_parameter_as_the_request_spelled_it(
    http: httpx.Client, ledger_path: Path, path: str, data: dict[str, str], param: str
) -> None:
    before = ledger_digest(ledger_path)
    answer = http.post(path, data=data)
    assert _error(answer) == (400, "invalid_request_error", None, param)
    assert answer.json()["error"]["message"].startswith(f"Invalid {param}: ")
    assert ledger_digest(ledger_path) == before


def test_a_subscription_items_inline_price_names_its_recurring_interval_count(
    http: httpx.Client, ledger_path: Path
) -> None:
    customer = http.post("/v1/customers", data={"email": "a@example.com"}).json()["id"]
    product = http.post("/v1/products", data={"name": "P"}).json()["id"]
    before = ledger_digest(ledger_path)
    data = {
        "customer": customer,
        "items[0][price_data][product]": product,
        **_monthly("items[0][price_data]", **{"recurring[interval_count]": "99"}),
    }
    answer = http.post("/v1/subscriptions", data=data)
    param = "items[0][price_data][recurring][interval_count]"
    assert _error(answer) == (400, "invalid_request_error", None, param)
    assert ledger_digest(ledger_path) == before


@pytest.mark.parametrize(
    ("path", "data", "kind"),
    [
        ("/v1/coupons", {"id": "SAME", "percent_off": "10"}, "Coupon"),
        ("/v1/products", {"id": "same", "name": "P"}, "Product"),
        (
            "/v1/plans",
            {
                "id": "same_plan",
                "amount": "500",
                "currency": "usd",
                "interval": "month",
                "product[name]": "X",
            },
            "Plan",
        ),
    ],
)
def test_an_id_already_taken_is_resource_already_exists_as_for_every_custom_id(
    http: httpx.Client, ledger_path: Path, path: str, data: dict[str, str], kind: str
) -> None:
    assert http.post(path, data=data).status_code == 200
    before = ledger_digest(ledger_path)
    answer = http.post(path, data=data)
    assert _error(answer) == (400, "invalid_request_error", "resource_already_exists", "id")
    assert answer.json()["error"]["message"] == f"{kind} already exists."
    assert ledger_digest(ledger_path) == before


@pytest.mark.parametrize(
    ("path", "data", "names", "param"),
    [
        (
            "/v1/subscriptions",
            {"customer": "{customer}", "items[0][price]": "price_x", "items[0][plan]": "plan_x"},
            "plan, price",
            "items[0][plan]",
        ),
        (
            "/v1/coupons",
            {"percent_off": "10", "amount_off": "500", "currency": "usd"},
            "amount_off, percent_off",
            "percent_off",
        ),
        (
            "/v1/promotion_codes",
            {"coupon": "TEN", "promotion[type]": "coupon", "promotion[coupon]": "TEN"},
            "coupon, promotion",
            "promotion",
        ),
        (
            "/v1/checkout/sessions",
            {
                "customer": "{customer}",
                "customer_email": "a@example.com",
                "mode": "payment",
                "success_url": "https://example.com/ok",
            },
            "customer, customer_email",
            "customer_email",
        ),
    ],
)
def test_mutually_exclusive_parameters_are_parameters_exclusive(
    http: httpx.Client,
    ledger_path: Path,
    path: str,
    data: dict[str, str],
    names: str,
    param: str,
) -> None:
    customer = http.post("/v1/customers", data={"email": "a@example.com"}).json()["id"]
    http.post("/v1/coupons", data={"id": "TEN", "percent_off": "10"})
    sent = {key: value.replace("{customer}", customer) for key, value in data.items()}
    before = ledger_digest(ledger_path)
    answer = http.post(path, data=sent)
    assert _error(answer) == (400, "invalid_request_error", "parameters_exclusive", param)
    assert answer.json()["error"]["message"] == (
        f"You may only specify one of these parameters: {names}."
    )
    assert ledger_digest(ledger_path) == before


def test_listing_the_items_of_an_unknown_subscription_names_the_subscription_filter(
    http: httpx.Client,
) -> None:
    answer = http.get("/v1/subscription_items", params={"subscription": "sub_nope"})
    assert _error(answer) == (404, "invalid_request_error", "resource_missing", "subscription")
    assert answer.json()["error"]["message"] == "No such subscription: 'sub_nope'"


def test_a_subscriptions_items_list_pages_by_limit_and_cursor(http: httpx.Client) -> None:
    cus = http.post(
        "/v1/customers",
        data={
            "payment_method": "pm_card_visa",
            "invoice_settings[default_payment_method]": "pm_card_visa",
        },
    ).json()["id"]
    product = http.post("/v1/products", data={"name": "Seats"}).json()["id"]
    prices = [
        http.post(
            "/v1/prices",
            data={
                "product": product,
                "currency": "usd",
                "unit_amount": str(100 * (n + 1)),
                "recurring[interval]": "month",
            },
        ).json()["id"]
        for n in range(3)
    ]
    sub = http.post(
        "/v1/subscriptions",
        data={"customer": cus, **{f"items[{n}][price]": price for n, price in enumerate(prices)}},
    ).json()
    ids = [item["id"] for item in sub["items"]["data"]]
    first = http.get(
        "/v1/subscription_items",
        params={"subscription": sub["id"], "limit": "2", "include[]": "total_count"},
    ).json()
    assert ([item["id"] for item in first["data"]], first["has_more"]) == (ids[:2], True)
    assert first["total_count"] == 3
    rest = http.get(
        "/v1/subscription_items",
        params={"subscription": sub["id"], "limit": "2", "starting_after": ids[1]},
    ).json()
    assert ([item["id"] for item in rest["data"]], rest["has_more"]) == (ids[2:], False)
    back = http.get(
        "/v1/subscription_items",
        params={"subscription": sub["id"], "limit": "1", "ending_before": ids[2]},
    ).json()
    assert ([item["id"] for item in back["data"]], back["has_more"]) == ([ids[1]], True)
    unknown = http.get(
        "/v1/subscription_items", params={"subscription": sub["id"], "starting_after": "si_nope"}
    )
    assert _error(unknown) == (404, "invalid_request_error", "resource_missing", "starting_after")
