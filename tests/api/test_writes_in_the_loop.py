"""A write whose lock is free runs in the API's event loop (no thread hop); a write that
would wait for the lock waits in a worker thread, so the loop goes on answering."""

from __future__ import annotations

import asyncio
import threading
import time
from pathlib import Path
from typing import Any

import pytest
from starlette.testclient import TestClient

from billcli.api import app
from billcli.store.dialect import WriteLockTaken
from billcli.store.ledger import Ledger
from billcli.store.paths import Address

HELD_S = 0.5


def _in_the_event_loop() -> bool:
    try:
        asyncio.get_running_loop()
    except RuntimeError:  # a worker thread runs no loop
        return False
    return True


def _holding_the_write_lock(where: Address, taken: threading.Event, released: list[float]) -> Any:
    def hold() -> None:
        with Ledger(where) as other, other.write() as tx:
            tx.meta.set("default_currency", "usd")
            taken.set()
            time.sleep(HELD_S)
            released.append(time.perf_counter())

    return threading.Thread(target=hold)


def test_a_request_that_will_not_wait_is_refused_at_once_and_begins_nothing(
    ledger_path: Address, api_key: str
) -> None:
    taken, released = threading.Event(), []
    holder = _holding_the_write_lock(ledger_path, taken, released)
    with Ledger(ledger_path) as ledger:
        holder.start()
        taken.wait()
        started = time.perf_counter()
        with pytest.raises(WriteLockTaken), ledger.request(waiting=False):
            pytest.fail("the request began while another writer held the lock")
        assert time.perf_counter() - started < HELD_S / 2
        assert not ledger.conn.in_transaction
        holder.join()
        with ledger.request(waiting=False) as tx:
            tx.meta.set("default_currency", "eur")
        with ledger.read() as tx:
            assert tx.meta.get("default_currency") == "eur"


def test_writes_with_the_lock_free_run_on_the_event_loops_own_connection(
    ledger_path: Path, api_key: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    made: list[bool] = []
    real = app.Ledger

    def noting(*args: Any, **options: Any) -> Ledger:
        made.append(_in_the_event_loop())
        return real(*args, **options)

    monkeypatch.setattr(app, "Ledger", noting)
    auth = {"Authorization": f"Bearer {api_key}"}
    with TestClient(app.create_api(ledger_path)) as client:
        for n in range(5):
            answer = client.post("/v1/customers", data={"name": f"C{n}"}, headers=auth)
            assert answer.status_code == 200, answer.text
    assert made == [True]


def test_a_write_that_finds_the_lock_taken_waits_in_a_thread_while_reads_are_answered(
    ledger_path: Path, api_key: str
) -> None:
    auth = {"Authorization": f"Bearer {api_key}"}
    taken, released = threading.Event(), []
    holder = _holding_the_write_lock(ledger_path, taken, released)
    written: list[tuple[int, float]] = []
    with TestClient(app.create_api(ledger_path)) as client:

        def write() -> None:
            answer = client.post("/v1/customers", data={"name": "Waiting"}, headers=auth)
            written.append((answer.status_code, time.perf_counter()))

        holder.start()
        taken.wait()
        writer = threading.Thread(target=write)
        writer.start()
        time.sleep(0.05)
        read = client.get("/v1/customers", headers=auth)
        read_at = time.perf_counter()
        writer.join()
        holder.join()
        listed = client.get("/v1/customers", headers=auth).json()["data"]
    assert read.status_code == 200, read.text
    assert read_at < released[0], "the read waited for the write lock"
    [(status, at)] = written
    assert status == 200 and at >= released[0]
    assert [customer["name"] for customer in listed] == ["Waiting"]
