"""Fixtures of the payment tests: a frozen clock, customers with test cards, open
invoices, a monthly plan, and the portal app for the hosted and authentication pages."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from pathlib import Path
from typing import Any

import pytest

from tests.conftest import ledger_digest
from tests.web.conftest import BASE, client, csrf  # noqa: F401  (the web fixtures)

START = "2027-03-01T09:00:00Z"


def ts(text: str) -> int:
    return int(datetime.fromisoformat(text.replace("Z", "+00:00")).timestamp())


@pytest.fixture
def at_start(ok: Callable[..., Any]) -> int:
    """The ledger clock frozen at START."""
    ok("ledger", "init")
    ok("invoices", "tick", "--to", START)
    return ts(START)


@pytest.fixture
def customer(ok: Callable[..., Any], at_start: int) -> Callable[..., str]:
    """A customer with an email and, unless `card=None`, a saved default card."""

    def make(card: str | None = "pm_card_visa", name: str = "Ada") -> str:
        args = ["customers", "create", "--name", name, "--email", f"{name.lower()}@example.com"]
        if card:
            args += ["--payment-method", card]
        return str(ok(*args)["id"])

    return make


@pytest.fixture
def auto_invoice(ok: Callable[..., Any]) -> Callable[..., dict[str, Any]]:
    """A finalized one-line invoice of `amount` for `customer`, which the clock collects
    (auto_advance, the CLI's default)."""

    def make(customer: str, amount: int = 4000) -> dict[str, Any]:
        ok("invoices", "items", "create", "--customer", customer, "--amount", str(amount))
        draft = ok("invoices", "create", "--customer", customer, "--pending-items", "include")
        return ok("invoices", "finalize", draft["id"])  # type: ignore[no-any-return]

    return make


@pytest.fixture
def open_invoice(ok: Callable[..., Any]) -> Callable[..., dict[str, Any]]:
    """A finalized one-line invoice of `amount` for `customer` (not charged yet)."""

    def make(customer: str, amount: int = 2500, *extra: str) -> dict[str, Any]:
        ok("invoices", "items", "create", "--customer", customer, "--amount", str(amount))
        draft = ok(
            "invoices",
            "create",
            "--customer",
            customer,
            "--pending-items",
            "include",
            "--no-auto-advance",
            *extra,
        )
        return ok("invoices", "finalize", draft["id"])  # type: ignore[no-any-return]

    return make


@pytest.fixture
def monthly(ok: Callable[..., Any], at_start: int) -> str:
    """A 20.00 usd monthly price."""
    ok("products", "create", "--name", "Pro plan", "--id", "pro")
    made = ok(
        "prices",
        "create",
        "--product",
        "pro",
        "--currency",
        "usd",
        "--unit-amount",
        "2000",
        "--recurring-interval",
        "month",
    )
    return str(made["id"])


def page_path(url: str) -> str:
    """A URL of the ledger's public site, as the test client asks for it."""
    assert url.startswith(BASE), url
    return url.removeprefix(BASE)


def event_types(ok: Callable[..., Any], after: str | None = None) -> list[str]:
    """Event types oldest first (those after event `after`, when given)."""
    listed = ok("events", "list", "--all")["data"]
    types = [(e["id"], e["type"]) for e in reversed(listed)]
    if after is not None:
        types = types[[i for i, _ in types].index(after) + 1 :]
    return [t for _, t in types]


@pytest.fixture
def refused(billcli: Any, ledger_path: Path) -> Callable[..., Any]:
    """Run a command that must be refused: its exit code, a one-line message holding
    `fragment`, Stripe's error type in `--json`, and nothing written."""

    def run(args: list[str], code: int, fragment: str) -> Any:
        before = ledger_digest(ledger_path)
        result = billcli(*args, "--json")
        assert result.code == code, result.err
        assert fragment in result.err and len(result.err.strip().splitlines()) == 1
        assert "Traceback" not in result.err
        kind = "card_error" if code == 4 else "invalid_request_error"
        assert result.json["error"]["type"] == kind
        assert ledger_digest(ledger_path) == before
        return result

    return run


@pytest.fixture
def incomplete(
    ok: Callable[..., Any], customer: Callable[..., str], monthly: str
) -> Callable[[str], tuple[dict[str, Any], dict[str, Any], str]]:
    """A subscription whose first invoice waits for 3-D Secure with `card`: the
    subscription, its invoice, and the path of the invoice's challenge."""

    def make(card: str) -> tuple[dict[str, Any], dict[str, Any], str]:
        sub = ok("subscriptions", "create", "--customer", customer(card=card), "--price", monthly)
        invoice = ok("invoices", "show", sub["latest_invoice"])
        return sub, invoice, challenge_of(ok, invoice["payment_intent"])

    return make


def challenge_of(ok: Callable[..., Any], intent: str) -> str:
    """The path of a waiting intent's authentication page."""
    pi = ok("payment-intents", "show", intent)
    assert pi["status"] == "requires_action"
    return page_path(pi["next_action"]["redirect_to_url"]["url"])
