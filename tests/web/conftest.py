"""A TestClient on the portal app of the test's ledger, at the default public URL."""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from starlette.testclient import TestClient

from billcli.web.app import create_app

BASE = "http://127.0.0.1:4242"


@pytest.fixture
def client(ledger_path: Path, ok: Callable[..., Any]) -> TestClient:
    ok("ledger", "init")
    return TestClient(create_app(ledger_path, bound={"127.0.0.1:4242"}), base_url=BASE)


def csrf(html: str) -> str:
    """The CSRF token of the (first) form on a page."""
    found = re.search(r'name="csrf" value="([0-9a-f]+)"', html)
    assert found, "the form carries a CSRF token"
    return found.group(1)


@pytest.fixture
def plans(ok: Callable[..., Any]) -> dict[str, Any]:
    """A portal that lets customers cancel (with reasons), switch plans and seats, pause;
    Ada and Bob each subscribed to the basic plan."""
    ok("invoices", "tick", "--by", "1s")  # a frozen clock: the previews' instants are exact
    ok("products", "create", "--name", "Team plan", "--id", "team")
    price = {
        name: ok(
            "prices",
            "create",
            "--product",
            "team",
            "--currency",
            "usd",
            "--unit-amount",
            amount,
            "--recurring-interval",
            "month",
            "--nickname",
            name,
        )["id"]
        for name, amount in (("Basic", "1000"), ("Plus", "2500"), ("Hidden", "9900"))
    }
    ok(
        "portal",
        "configurations",
        "create",
        "--subscription-cancel",
        "--cancellation-reasons",
        "too_expensive,unused",
        "--subscription-update",
        "--subscription-update-allows",
        "price,quantity",
        "--subscription-update-product",
        f"team={price['Basic']},{price['Plus']}",
        "--subscription-proration",
        "create_prorations",
        "--subscription-pause",
    )
    people = {}
    for name in ("ada", "bob"):
        cid = ok(
            "customers",
            "create",
            "--name",
            name,
            "--email",
            f"{name}@example.com",
            "--payment-method",
            "pm_card_visa",
        )["id"]
        sub = ok("subscriptions", "create", "--customer", cid, "--price", f"{price['Basic']}:2")
        people[name] = {"customer": cid, "sub": sub["id"]}
    return {"price": price, **people}
