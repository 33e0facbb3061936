"""`billcli api serve` on a free port for each test, and stripe-python pointed at it."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import httpx2 as httpx
import pytest

from tests.conftest import spec_dir


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@pytest.fixture
def api_key(ledger_path: Path, ok: Callable[..., Any]) -> str:
    ok("ledger", "init")
    return str(ok("api", "key")["key"])


@contextmanager
def served(ledger_path: Path, *options: str) -> Iterator[tuple[str, subprocess.Popen[str]]]:
    """`billcli api serve` with `options` on a free port: its base URL and its process
    (its log checked for tracebacks when it ends)."""
    port = free_port()
    process = subprocess.Popen(
        [sys.executable, "-m", "billcli", "api", "serve", "--port", str(port), *options],
        env={**os.environ, "BILLCLI_LEDGER": str(ledger_path)},
        stderr=subprocess.PIPE,
        text=True,
    )
    deadline = time.monotonic() + 20
    while time.monotonic() < deadline:
        try:
            socket.create_connection(("127.0.0.1", port), timeout=0.2).close()
            break
        except OSError:
            assert process.poll() is None, process.stderr.read() if process.stderr else ""
            time.sleep(0.05)
    try:
        yield f"http://127.0.0.1:{port}", process
    finally:
        process.terminate()
        _, log = process.communicate(timeout=10)
        assert "Traceback" not in log, log


@pytest.fixture
def api(ledger_path: Path, api_key: str) -> Iterator[str]:
    """The base URL of a running server."""
    with served(ledger_path) as (base, _):
        yield base


@pytest.fixture
def stripe(api: str, api_key: str) -> Iterator[Any]:
    """The stripe module, talking to the server with the ledger's key."""
    import stripe as library

    saved = (library.api_key, library.api_base, library.max_network_retries)
    library.api_key, library.api_base, library.max_network_retries = api_key, api, 0
    try:
        yield library
    finally:
        library.api_key, library.api_base, library.max_network_retries = saved


@pytest.fixture
def http(api: str, api_key: str) -> httpx.Client:
    return httpx.Client(base_url=api, headers={"Authorization": f"Bearer {api_key}"}, timeout=30)


@pytest.fixture(scope="module")
def extract() -> dict[str, Any]:
    """The extract of Stripe's 2023 schemas, with its current fixtures."""
    import json

    folder = spec_dir()
    if folder is None:
        pytest.skip("no schema extract (set BILLCLI_SPEC_DIR)")
    return json.loads((folder / "stripe-openapi-extract.json").read_text())  # type: ignore[no-any-return]


def recurring_price(http: httpx.Client, amount: int, currency: str = "usd") -> str:
    """A monthly price of `amount` (of a new product): what a subscription needs."""
    product = http.post("/v1/products", data={"name": "Plan"}).json()["id"]
    made = http.post(
        "/v1/prices",
        data={
            "product": product,
            "currency": currency,
            "unit_amount": str(amount),
            "recurring[interval]": "month",
        },
    )
    return str(made.json()["id"])


def half_off_invoice(http: httpx.Client) -> dict[str, Any]:
    """A draft invoice of an 8.00 usd item for a new customer holding coupon HALF
    (50% off, made here)."""
    http.post("/v1/coupons", data={"id": "HALF", "percent_off": "50"})
    cus = http.post("/v1/customers", data={"coupon": "HALF"}).json()["id"]
    http.post("/v1/invoiceitems", data={"customer": cus, "amount": "800", "currency": "usd"})
    invoice: dict[str, Any] = http.post(
        "/v1/invoices", data={"customer": cus, "pending_invoice_items_behavior": "include"}
    ).json()
    return invoice
