"""The account an integration starts its sync with (`GET /v1/account`), and the lists of
what billcli has none of, Stripe-shaped and empty."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import httpx2 as httpx


def test_the_account_is_the_ledgers_own_with_its_configured_name_country_and_currency(
    http: httpx.Client, ok: Callable[..., Any], assert_valid: Callable[..., None]
) -> None:
    first = http.get("/v1/account").json()
    assert_valid(first)
    assert first["id"].startswith("acct_") and len(first["id"]) == 21
    assert (first["country"], first["default_currency"], first["type"]) == ("US", "usd", "standard")
    ok("ledger", "config", "account.display_name", "Acme Billing")
    ok("ledger", "config", "account.country", "fr")
    ok("ledger", "config", "default_currency", "eur")
    ok("ledger", "config", "account.email", "billing@acme.test")
    now = http.get("/v1/account").json()
    assert now["id"] == first["id"]  # stable for the ledger
    assert (now["business_profile"]["name"], now["settings"]["dashboard"]["display_name"]) == (
        "Acme Billing",
        "Acme Billing",
    )
    assert (now["country"], now["default_currency"], now["email"]) == (
        "FR",
        "eur",
        "billing@acme.test",
    )
    assert http.get(f"/v1/accounts/{first['id']}").json()["id"] == first["id"]
    other = http.get("/v1/accounts/acct_0000000000000000")
    assert (other.status_code, other.json()["error"]["code"]) == (404, "resource_missing")


def test_a_bad_account_setting_is_refused_naming_its_key(
    billcli: Callable[..., Any], made_ledger: Any
) -> None:
    refused = billcli("ledger", "config", "account.country", "France")
    assert refused.code == 1 and "account.country" in refused.err
    assert len(refused.err.strip().splitlines()) == 1


def test_connected_accounts_and_product_features_are_empty_lists(http: httpx.Client) -> None:
    accounts = http.get("/v1/accounts").json()
    assert accounts == {"object": "list", "data": [], "has_more": False, "url": "/v1/accounts"}
    product = http.post("/v1/products", data={"name": "Pro", "id": "pro"}).json()["id"]
    features = http.get(f"/v1/products/{product}/features").json()
    assert (features["object"], features["data"], features["url"]) == (
        "list",
        [],
        "/v1/products/pro/features",
    )
    assert http.get("/v1/products/nope/features").status_code == 404
