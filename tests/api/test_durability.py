"""`api serve --durability process`: writes answered once the operating system holds
them, not the disk. A crash of the server loses none of them; the ledger stays whole."""

from __future__ import annotations

import signal
from collections.abc import Callable
from pathlib import Path
from typing import Any

import httpx2 as httpx
import psycopg
import pytest
from starlette.testclient import TestClient

from billcli.api import app
from billcli.store.ledger import Ledger
from tests.api.conftest import served
from tests.conftest import on_postgresql

# How each engine's connection acknowledges a commit: SQLite's `synchronous` (FULL: 2,
# NORMAL: 1), PostgreSQL's `synchronous_commit`.
ACKNOWLEDGED = {
    "full": "on" if on_postgresql() else 2,
    "process": "off" if on_postgresql() else 1,
}


@pytest.fixture(autouse=True)
def _durable_by_default(ledger_path: Any) -> None:
    """The tests' PostgreSQL server commits with `synchronous_commit=off` (for speed):
    this ledger's database gets the default a production server has, so that what
    `--durability` changes shows."""
    if on_postgresql():
        database = ledger_path.url.rsplit("/", 1)[1]
        with psycopg.connect(ledger_path.url, autocommit=True) as conn:
            conn.execute(f"ALTER DATABASE {database} SET synchronous_commit = on")


def _acknowledged(ledger: Ledger) -> Any:
    if on_postgresql():
        return ledger.conn.execute("SHOW synchronous_commit").fetchone()[0]
    return ledger.conn.execute("PRAGMA synchronous").fetchone()[0]


def test_a_ledger_opened_for_process_durability_acknowledges_before_the_disk(
    ledger_path: Path,
) -> None:
    with Ledger(ledger_path) as default:
        assert _acknowledged(default) == ACKNOWLEDGED["full"]
    with Ledger(ledger_path, durability="process") as relaxed:
        assert _acknowledged(relaxed) == ACKNOWLEDGED["process"]


@pytest.mark.parametrize("durability", ["full", "process"])
def test_the_api_answers_on_connections_of_the_durability_it_was_served_with(
    ledger_path: Path,
    api_key: str,
    monkeypatch: pytest.MonkeyPatch,
    durability: str,
) -> None:
    seen: list[Any] = []

    class Noting(Ledger):
        def __init__(self, *args: Any, **options: Any) -> None:
            super().__init__(*args, **options)
            seen.append(_acknowledged(self))

    monkeypatch.setattr(app, "Ledger", Noting)
    client = TestClient(app.create_api(ledger_path, durability=durability))
    made = client.post(
        "/v1/customers",
        data={"email": "a@example.com"},
        headers={"Authorization": f"Bearer {api_key}"},
    )
    assert made.status_code == 200, made.text
    assert seen and set(seen) == {ACKNOWLEDGED[durability]}


def test_a_killed_server_answering_before_the_disk_keeps_every_write_it_answered(
    ledger_path: Path, api_key: str, ok: Callable[..., Any], billcli: Callable[..., Any]
) -> None:
    with served(ledger_path, "--durability", "process") as (base, server):
        client = httpx.Client(
            base_url=base, headers={"Authorization": f"Bearer {api_key}"}, timeout=30
        )
        customer = client.post("/v1/customers", data={"email": "a@example.com"}).json()["id"]
        answered = []
        for n in range(60):
            made = client.post(
                f"/v1/customers/{customer}/balance_transactions",
                data={"amount": -(n + 1), "currency": "usd"},
            )
            assert made.status_code == 200, made.text
            answered.append(made.json()["id"])
        server.send_signal(signal.SIGKILL)
        server.wait()
    kept = ok("balance", "list", customer, "--limit", "100")["data"]
    assert sorted(t["id"] for t in kept) == sorted(answered)
    assert ok("customers", "show", customer)["balance"] == -sum(range(1, 61))
    assert billcli("ledger", "check").code == 0


def test_an_unknown_durability_is_refused_before_the_ledger_is_made(
    tmp_path: Path, billcli: Callable[..., Any]
) -> None:
    ledger = tmp_path / "new.db"
    refused = billcli("api", "serve", "--durability", "fast", "--ledger", str(ledger))
    assert refused.code == 1
    assert refused.err.strip().splitlines() == [
        "error: Invalid durability: must be one of full, process"
    ]
    assert not ledger.exists()
