"""Fixtures of the Checkout tests: the payment tests' frozen clock and plans, and a
customer who fills in the hosted checkout page through the portal app."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from starlette.testclient import TestClient

from tests.payments.conftest import (  # noqa: F401  (the fixtures)
    at_start,
    client,
    customer,
    monthly,
    page_path,
    refused,
)
from tests.web.conftest import csrf


@pytest.fixture
def one_time(ok: Callable[..., Any], at_start: int) -> str:  # noqa: F811
    """A 15.00 usd one-time price."""
    ok("products", "create", "--name", "Engine manual", "--id", "manual")
    args = ["--product", "manual", "--currency", "usd", "--unit-amount", "1500"]
    return str(ok("prices", "create", *args)["id"])


@pytest.fixture
def fill_in(client: TestClient) -> Callable[..., Any]:  # noqa: F811
    """Submit a session's hosted page with a test card (and an email): the answer, or
    the page itself when it cannot be shown."""

    def submit(url: str, card: str | None = "pm_card_visa", email: str = "ada@example.com"):
        path = page_path(url)
        page = client.get(path)
        if page.status_code != 200:
            return page
        form = {"csrf": csrf(page.text), "email": email}
        if card is not None:
            form["payment_method"] = card
        return client.post(f"{path}/pay", data=form, follow_redirects=False)

    return submit
