"""`api serve` keeps a ledger connection per worker thread. The thread pool retires idle
threads; their connections must not wait for the garbage collector, which may never
run, to let go of the file (the process's count of open connections decides whether
the next one inspects the file again, and SQLite checkpoints when the last closes)."""

from __future__ import annotations

import threading
from pathlib import Path
from typing import Any, ClassVar

import pytest
from starlette.testclient import TestClient

from billcli.api import app, versions
from billcli.store import opening
from billcli.store.ledger import Ledger
from billcli.store.paths import address


class _Noted(Ledger):
    made: ClassVar[list[Ledger]] = []

    def __init__(self, *args: Any, **options: Any) -> None:
        super().__init__(*args, **options)
        _Noted.made.append(self)


def _held(ledger: Any) -> int | None:
    """How many connections this process holds open on a ledger file (None: a ledger on
    a server, whose connections the server counts)."""
    return opening._HELD[ledger.resolve()] if isinstance(ledger, Path) else None


@pytest.fixture
def noted(monkeypatch: pytest.MonkeyPatch) -> list[Ledger]:
    _Noted.made = []
    monkeypatch.setattr(app, "Ledger", _Noted)
    return _Noted.made


def _create_on_a_thread_of_its_own(api: app.Api, key: str) -> None:
    route = next(r for r in app.routes() if (r.method, r.path) == ("POST", "/v1/customers"))
    answers: list[int] = []

    def create() -> None:
        status, _, _ = api.run(route, {"email": "a@example.com"}, {}, key, None, versions.BASE)
        answers.append(status)

    worker = threading.Thread(target=create)
    worker.start()
    worker.join()
    assert answers == [200]


def test_a_retired_worker_threads_connection_is_closed_when_another_thread_opens_one(
    ledger_path: Path, api_key: str, noted: list[Ledger]
) -> None:
    api = app.Api(address(ledger_path), "full")
    _create_on_a_thread_of_its_own(api, api_key)
    _create_on_a_thread_of_its_own(api, api_key)
    first, second = noted
    assert first._closed and not second._closed
    assert _held(ledger_path) in (1, None)
    api.close()
    assert second._closed and _held(ledger_path) in (0, None)


def test_every_connection_of_the_api_is_closed_when_the_server_stops(
    ledger_path: Path, api_key: str, noted: list[Ledger]
) -> None:
    with TestClient(app.create_api(ledger_path)) as client:
        made = client.post(
            "/v1/customers",
            data={"email": "a@example.com"},
            headers={"Authorization": f"Bearer {api_key}"},
        )
        assert made.status_code == 200, made.text
        assert noted and not any(ledger._closed for ledger in noted)
    assert all(ledger._closed for ledger in noted)
    assert _held(ledger_path) in (0, None)
