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
