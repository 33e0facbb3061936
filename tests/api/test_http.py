"""The API over raw HTTP: every encoding the libraries and the `stripe` CLI use, keys,
versions, idempotency under races, and bad input answered in Stripe's shape."""

from __future__ import annotations

import base64
import concurrent.futures
import json
from pathlib import Path
from typing import Any

import httpx2 as httpx
import pytest

from tests.conftest import ledger_digest


def test_bracket_forms_of_every_client_read_alike(http: httpx.Client) -> None:
    ada = http.post(
        "/v1/customers", data={"name": "Ada", "metadata[plan]": "pro", "metadata[seats]": "3"}
    ).json()
    assert ada["metadata"] == {"plan": "pro", "seats": "3"}
    for query in (
        "expand[]=customer",
        "expand[0]=customer",
        "expand%5B0%5D=customer",
        "expand%5B%5D=customer",
    ):
        txn = http.post(
            f"/v1/customers/{ada['id']}/balance_transactions",
            content=f"amount=-100&currency=usd&{query}",
            headers={"Content-Type": "application/x-www-form-urlencoded"},
        ).json()
        assert txn["customer"]["id"] == ada["id"], query
    listed = http.get(
        f"/v1/customers/{ada['id']}/balance_transactions?limit=1&expand[]=data.customer"
    )
    assert listed.json()["data"][0]["customer"]["name"] == "Ada"
    cleared = http.post(f"/v1/customers/{ada['id']}", data={"metadata[plan]": ""}).json()
    assert cleared["metadata"] == {"seats": "3"}
    emptied = http.post(f"/v1/customers/{ada['id']}", data={"metadata": "", "phone": ""}).json()
    assert (emptied["metadata"], emptied["phone"]) == ({}, None)


def test_keys_are_checked_bearer_or_basic(api: str, api_key: str) -> None:
    basic = base64.b64encode(f"{api_key}:".encode()).decode()
    assert (
        httpx.get(f"{api}/v1/customers", headers={"Authorization": f"Basic {basic}"}).status_code
        == 200
    )
    for header in ({}, {"Authorization": "Bearer sk_test_wrong"}, {"Authorization": "Basic !!!"}):
        denied = httpx.get(f"{api}/v1/customers", headers=header)
        assert denied.status_code == 401
        assert denied.json()["error"]["type"] == "invalid_request_error"
        assert "API key" in denied.json()["error"]["message"].replace("API Key", "API key")


def test_a_rolled_key_stops_the_old_one(api: str, api_key: str, ok: Any) -> None:
    new = ok("api", "key", "--roll")["key"]
    assert new != api_key and new.count("_") >= 2 and len(new) >= 12
    assert (
        httpx.get(f"{api}/v1/customers", headers={"Authorization": f"Bearer {api_key}"}).status_code
        == 401
    )
    assert (
        httpx.get(f"{api}/v1/customers", headers={"Authorization": f"Bearer {new}"}).status_code
        == 200
    )
    assert ok("api", "key")["key"] is None  # shown once; the ledger keeps its hash


def test_versions_shape_the_answer_and_say_which(http: httpx.Client) -> None:
    ada = http.post("/v1/customers", data={"name": "Ada"}).json()
    http.post("/v1/invoiceitems", data={"customer": ada["id"], "amount": "500", "currency": "usd"})
    made = http.post(
        "/v1/invoices", data={"customer": ada["id"], "pending_invoice_items_behavior": "include"}
    )
    assert made.headers["Stripe-Version"] == "2023-08-16"
    old = made.json()
    assert "paid" in old and "parent" not in old and "price" in old["lines"]["data"][0]
    for asked, answered in (
        ("2026-10-28.endive", "2026-10-28.endive"),
        ("2025-06-30.basil", "2025-06-30.basil"),
        ("2025-07-04.basil", "2025-06-30.basil"),
        ("2024-01-01", "2023-10-16"),
        ("2023-09-01", "2023-08-16"),
        ("nonsense", "2023-08-16"),
    ):
        new = http.get(f"/v1/invoices/{old['id']}", headers={"Stripe-Version": asked})
        assert new.headers["Stripe-Version"] == answered, asked
    current = http.get(
        f"/v1/invoices/{old['id']}", headers={"Stripe-Version": "2026-10-28.endive"}
    ).json()
    assert (
        "paid" not in current
        and current["parent"] is None
        and current["issuer"] == {"type": "self"}
    )
    line = current["lines"]["data"][0]
    assert (line["invoice"], line["subtotal"], line["parent"]["type"]) == (
        old["id"],
        500,
        "invoice_item_details",
    )
    assert "price" not in line and "proration" not in line


def test_every_request_has_an_id_and_errors_are_stripe_json(http: httpx.Client) -> None:
    for method, path, status in (
        ("GET", "/v1/nope", 404),
        ("GET", "/", 404),
        ("PUT", "/v1/customers", 405),
        ("PATCH", "/v1/invoices/in_x", 405),
    ):
        answer = http.request(method, path)
        assert answer.status_code == status, path
        assert answer.headers["content-type"].startswith("application/json")
        assert answer.headers["Request-Id"].startswith("req_")
        error = answer.json()["error"]
        assert error["type"] == "invalid_request_error" and path in error["message"]


@pytest.mark.parametrize(
    ("body", "status", "param"),
    [
        ("name=" + "x" * (1 << 20), 413, None),
        ("a[b][c][d][e][f][g][h][i][j]=1", 400, "a"),
        ("metadata[a]=1&metadata[a][b]=2", 400, "metadata"),
        ("name=%FF%FE", 400, None),
        ("=x", 400, None),
        ("balance=abc", 400, "balance"),
        ("unknown_thing=1", 400, "unknown_thing"),
        ("metadata=notamap&metadata[x]=1", 400, "metadata"),
    ],
)
def test_bad_bodies_are_refused_in_stripes_shape_and_change_nothing(
    http: httpx.Client, ledger_path: Path, body: str, status: int, param: str | None
) -> None:
    before = ledger_digest(ledger_path)
    answer = http.post(
        "/v1/customers",
        content=body.encode("latin-1"),
        headers={"Content-Type": "application/x-www-form-urlencoded"},
    )
    assert answer.status_code == status, answer.text
    error = answer.json()["error"]
    assert error["type"] == "invalid_request_error"
    if param:
        assert error.get("param") == param
    assert ledger_digest(ledger_path) == before
    assert http.get("/v1/customers").status_code == 200  # still serving


def test_racing_requests_with_one_key_write_once(http: httpx.Client, ok: Any) -> None:
    def send(_: int) -> dict[str, Any]:
        answer = http.post(
            "/v1/customers", data={"name": "Race"}, headers={"Idempotency-Key": "race-1"}
        )
        assert answer.status_code == 200, answer.text
        return {"id": answer.json()["id"], "replayed": answer.headers.get("Idempotent-Replayed")}

    with concurrent.futures.ThreadPoolExecutor(8) as pool:
        answers = list(pool.map(send, range(8)))
    assert len({a["id"] for a in answers}) == 1
    assert sorted(str(a["replayed"]) for a in answers) == ["None"] + ["true"] * 7
    assert len(ok("customers", "list")["data"]) == 1
    other = http.post("/v1/products", data={"name": "Race"}, headers={"Idempotency-Key": "race-1"})
    assert (other.status_code, other.json()["error"]["type"]) == (400, "idempotency_error")


def test_a_client_that_disconnects_leaves_nothing_half_written(
    api: str, api_key: str, ledger_path: Path, ok: Any
) -> None:
    import socket

    host, port = api.removeprefix("http://").split(":")
    body = "name=Half&metadata[a]=1"
    with socket.create_connection((host, int(port))) as raw:
        raw.sendall(
            (
                f"POST /v1/customers HTTP/1.1\r\nHost: {host}\r\nAuthorization: Bearer "
                f"{api_key}\r\nContent-Type: application/x-www-form-urlencoded\r\n"
                f"Content-Length: {len(body) + 100}\r\n\r\n{body}"
            ).encode()
        )
    assert ok("customers", "list")["data"] == []
    answer = httpx.get(f"{api}/v1/customers", headers={"Authorization": f"Bearer {api_key}"})
    assert answer.status_code == 200


def test_the_cli_and_the_api_share_one_ledger_and_its_events(http: httpx.Client, ok: Any) -> None:
    made = ok("customers", "create", "--name", "From the CLI")
    # The CLI prints the whole object; the API leaves out what Stripe includes only when
    # asked for, and shows the same once it is.
    includable = ("sources", "subscriptions", "tax_ids", "tax", "cash_balance")
    plain = http.get(f"/v1/customers/{made['id']}").json()
    assert plain == {
        k: v for k, v in made.items() if k not in (*includable, "invoice_credit_balance")
    }
    expand = [*includable, "invoice_credit_balance"]
    seen = http.get(f"/v1/customers/{made['id']}", params={"expand[]": expand}).json()
    assert seen == json.loads(json.dumps(made))
    http.post(f"/v1/customers/{made['id']}", data={"email": "cli@example.com"})
    types = [e["type"] for e in ok("events", "list")["data"]]
    assert types[:2] == ["customer.updated", "customer.created"]
