"""The surface kept honest: every path and method of the extract is served (a few
deliberately answered with a refusal that says why), and nothing else is, beside the
newer endpoints today's libraries call."""

from __future__ import annotations

import json
import os

import pytest

from billcli.api.app import routes
from billcli.api.routes.subscriptions import REFUSED
from tests.conftest import spec_dir

# Endpoints of API versions after the extract's, served for today's libraries.
NEWER = {("POST", "/v1/invoices/create_preview")}


def extract_operations() -> set[tuple[str, str]]:
    folder = spec_dir()
    if folder is None:
        if os.environ.get("BILLCLI_REQUIRE_SPEC"):
            pytest.fail("the schema extract is required here")
        pytest.skip("no schema extract (set BILLCLI_SPEC_DIR, or place ../shared/spec)")
    spec = json.loads((folder / "stripe-openapi-extract.json").read_text())
    return {
        (method.upper(), path)
        for path, operations in spec["paths"].items()
        for method in operations
        if method.upper() in ("GET", "POST", "DELETE")
    }


def test_every_path_of_the_extract_is_served_and_nothing_else() -> None:
    expected = extract_operations()
    served = {(r.method, r.path) for r in routes()}
    assert expected - served == set(), "paths of the extract not served"
    assert served - expected == NEWER
    assert set(REFUSED) <= expected


def test_a_deliberately_refused_path_says_why(http) -> None:
    missing = http.post("/v1/subscriptions/sub_00000000000000000000000a/resume")
    assert (missing.status_code, missing.json()["error"]["code"]) == (404, "resource_missing")
    customer = http.post("/v1/customers", data={"name": "A", "payment_method": "pm_card_visa"})
    product = http.post("/v1/products", data={"name": "Plan"}).json()
    price = http.post(
        "/v1/prices",
        data={
            "product": product["id"],
            "currency": "usd",
            "unit_amount": "100",
            "recurring[interval]": "month",
        },
    )
    sub = http.post(
        "/v1/subscriptions",
        data={"customer": customer.json()["id"], "items[0][price]": price.json()["id"]},
    ).json()
    refused = http.post(f"/v1/subscriptions/{sub['id']}/resume")
    assert refused.status_code == 400
    assert "never enter the `paused` status" in refused.json()["error"]["message"]
