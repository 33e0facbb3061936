"""Shared fixtures: every test gets its own ledger file; nothing touches real data."""

from __future__ import annotations

import hashlib
import json
import os
import sqlite3
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from billcli.cli.main import run
from billcli.store.paths import Address, ServerAddress
from tests.pg_server import ENGINE_ENV, Server

SPEC_ENV = "BILLCLI_SPEC_DIR"
# Stripe leaves these out when they do not apply (their schemas do not allow null), or
# unless they are expanded: per object ("*": any).
ABSENT_WHEN_NOT_APPLICABLE = {
    "*": {"subscription_proration_date", "subscription_item"},
    "price": {"tiers", "currency_options"},  # tiers: a per-unit price has none
    "plan": {"tiers"},  # only when expanded
    # Only when expanded (the API leaves them out; `--json` prints them).
    "customer": {
        "cash_balance",
        "invoice_credit_balance",
        "sources",
        "subscriptions",
        "tax",
        "tax_ids",
    },
    "line_item": {"invoice_item"},  # a subscription's line is no invoice item
    "coupon": {"applies_to", "currency_options"},  # only when expanded
    "credit_note_line_item": {"invoice_line_item"},  # a custom line credits no invoice line
    # A payment method has the hash of its own type (a card's `card`) and no other's.
    "payment_method": set(
        "acss_debit affirm afterpay_clearpay alipay au_becs_debit bacs_debit bancontact blik "
        "boleto card_present cashapp customer_balance eps fpx giropay grabpay ideal "
        "interac_present klarna konbini link oxxo p24 paynow paypal pix promptpay radar_options "
        "sepa_debit sofort us_bank_account wechat_pay zip".split()
    ),
    "charge": {"radar_options", "transfer"},  # no Radar session, no Connect transfer
    # What only refunds to other payment methods than cards have.
    "refund": {
        "description",
        "failure_balance_transaction",
        "failure_reason",
        "instructions_email",
        "next_action",
    },
    "setup_intent": {"attach_to_self"},  # Connect only
    # A customer's card: what only a connected account's payout card has.
    "card": {"account", "available_payout_methods", "currency", "default_for_currency", "status"},
    "token": {"bank_account"},  # a card token has its card
    # What only connected accounts have; billcli's account is the platform's own.
    "account": {
        "company",
        "controller",
        "external_accounts",
        "future_requirements",
        "individual",
        "requirements",
        "tos_acceptance",
    },
    "deleted_card": {"currency"},  # a bank account's
}
REPO = Path(__file__).resolve().parents[1]


def on_postgresql() -> bool:
    """Whether this run puts the tests' ledgers on PostgreSQL (`BILLCLI_TEST_ENGINE`)."""
    return os.environ.get(ENGINE_ENV, "sqlite") == "postgresql"


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """On PostgreSQL, tests of the SQLite file itself are skipped (their marker says
    why); on SQLite, the PostgreSQL-only tests are."""
    for item in items:
        marker = item.get_closest_marker("sqlite_only")
        if on_postgresql() and marker is not None:
            item.add_marker(pytest.mark.skip(reason=f"SQLite only: {marker.args[0]}"))
        if not on_postgresql() and item.get_closest_marker("postgresql_only") is not None:
            item.add_marker(pytest.mark.skip(reason=f"needs {ENGINE_ENV}=postgresql"))


@pytest.fixture(scope="session")
def pg_server() -> Iterator[Server]:
    """This session's PostgreSQL server, with a migrated template database."""
    server = Server()
    try:
        server.make_template()
        yield server
    finally:
        server.stop()


@pytest.fixture(autouse=True)
def ledger_path(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, request: pytest.FixtureRequest
) -> Address:
    """Point BILLCLI_LEDGER (and the data dir) at this test's temp folder, or, on
    PostgreSQL, at a fresh ledger database of its own."""
    path: Address = tmp_path / "ledger.db"
    if on_postgresql():
        path = ServerAddress(request.getfixturevalue("pg_server").fresh())
    monkeypatch.setenv("BILLCLI_LEDGER", path.url if isinstance(path, ServerAddress) else str(path))
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "data"))
    monkeypatch.setenv("COLUMNS", "200")
    monkeypatch.delenv("BILLCLI_DEBUG", raising=False)
    return path


@pytest.fixture
def made_ledger(ledger_path: Path) -> Path:
    """An empty ledger at the test's path, for tests whose first command only reads
    (such a command never creates a ledger)."""
    from billcli.store.ledger import Ledger

    Ledger(ledger_path).close()
    return ledger_path


@dataclass
class Result:
    code: int
    out: str
    err: str

    @property
    def json(self) -> Any:
        return json.loads(self.out)


@pytest.fixture
def billcli(capsys: pytest.CaptureFixture[str]) -> Callable[..., Result]:
    """Run billcli in-process as a user would, capturing stdout and stderr apart."""

    def invoke(*args: str) -> Result:
        capsys.readouterr()
        code = run(list(args))
        captured = capsys.readouterr()
        return Result(code, captured.out, captured.err)

    return invoke


@pytest.fixture
def ok(billcli: Callable[..., Result]) -> Callable[..., Any]:
    """Run a `--json` command that must succeed; return its parsed output."""

    def invoke(*args: str) -> Any:
        result = billcli(*args, "--json")
        assert result.code == 0, result.err
        return result.json

    return invoke


def ledger_digest(path: Address) -> str:
    """A hash of the ledger's whole content, to prove a failed command changed nothing."""
    if isinstance(path, ServerAddress):
        return server_digest(path.url)
    if not path.exists():
        return "absent"
    conn = sqlite3.connect(path)
    try:
        dump = "\n".join(conn.iterdump())
    finally:
        conn.close()
    return hashlib.sha256(dump.encode()).hexdigest()


class RawConnection:
    """SQL straight to a ledger on either engine (a test tampering with it as an
    attacker or a bug would), statements in SQLite's dialect, committed on `commit`."""

    def __init__(self, path: Address):
        if isinstance(path, ServerAddress):
            import psycopg

            from billcli.store.pg_connection import PgConnection

            self.conn: Any = PgConnection(psycopg.connect(path.url, autocommit=True))
            self.conn.execute("BEGIN")
        else:
            self.conn = sqlite3.connect(path)

    def execute(self, sql: str, params: Any = ()) -> Any:
        return self.conn.execute(sql, params)

    def commit(self) -> None:
        if isinstance(self.conn, sqlite3.Connection):
            self.conn.commit()
        else:
            self.conn.execute("COMMIT")
            self.conn.execute("BEGIN")

    def close(self) -> None:
        self.conn.close()


def raw_connection(path: Address) -> RawConnection:
    return RawConnection(path)


def server_digest(url: str) -> str:
    """A hash of every row of every table of a PostgreSQL database, in key order."""
    import psycopg

    digest = hashlib.sha256()
    with psycopg.connect(url) as conn:
        tables = conn.execute(
            "SELECT table_name FROM information_schema.tables "
            "WHERE table_schema = current_schema() ORDER BY 1"
        ).fetchall()
        for (table,) in tables:
            digest.update(table.encode())
            for row in conn.execute(f'SELECT * FROM "{table}" ORDER BY 1'):
                digest.update(repr(row).encode())
    return digest.hexdigest()


def spec_dir() -> Path | None:
    configured = os.environ.get(SPEC_ENV)
    candidate = Path(configured) if configured else REPO.parent / "shared" / "spec"
    return candidate if (candidate / "stripe-openapi-extract.json").exists() else None


@pytest.fixture(scope="session")
def schemas() -> Callable[[str], Any]:
    """A validator per Stripe schema name, from the OpenAPI extract beside the repo."""
    found = spec_dir()
    if found is None:
        pytest.skip(f"the Stripe schema extract is absent (set {SPEC_ENV} to its folder)")
    import jsonschema
    from referencing import Registry, Resource
    from referencing.jsonschema import DRAFT7

    doc = json.loads((found / "stripe-openapi-extract.json").read_text())
    # The older card objects the extract stubs (card, source) or leaves out (token), from
    # the same spec: tests/schemas/stripe-legacy-sources.json.
    legacy = json.loads((REPO / "tests" / "schemas" / "stripe-legacy-sources.json").read_text())
    doc["components"]["schemas"].update(legacy["components"]["schemas"])

    def nullable(node: Any) -> Any:
        if isinstance(node, dict):
            node = {k: nullable(v) for k, v in node.items()}
            return {"anyOf": [node, {"type": "null"}]} if node.pop("nullable", False) else node
        return [nullable(v) for v in node] if isinstance(node, list) else node

    registry = Registry().with_resource(
        "urn:stripe",
        Resource.from_contents(
            nullable({"components": doc["components"]}), default_specification=DRAFT7
        ),
    )
    cache: dict[str, Any] = {}

    def validator(name: str) -> Any:
        if name not in cache:
            cache[name] = jsonschema.Draft7Validator(
                {"$ref": f"urn:stripe#/components/schemas/{name}"}, registry=registry
            )
        return cache[name]

    validator.properties = lambda name: set(  # type: ignore[attr-defined]
        doc["components"]["schemas"][name].get("properties", {})
    )
    return validator


@pytest.fixture
def assert_valid(schemas: Callable[[str], Any]) -> Callable[[dict[str, Any]], None]:
    """Validate a Stripe object against its schema and require every listed property."""

    def check(obj: dict[str, Any]) -> None:
        if "error" in obj and len(obj) == 1:
            name = "error"
        else:
            name = obj["object"]
            if obj.get("deleted") is True:
                name = f"deleted_{name}"
        errors = sorted(schemas(name).iter_errors(obj), key=str)
        assert not errors, [e.message for e in errors[:5]]
        absent = ABSENT_WHEN_NOT_APPLICABLE["*"] | ABSENT_WHEN_NOT_APPLICABLE.get(name, set())
        missing = schemas.properties(name) - set(obj) - absent
        assert not missing, f"{name} lacks {sorted(missing)}"

    return check


@pytest.fixture
def checked_ledger(billcli: Callable[..., Result]) -> Callable[[], None]:
    """`ledger check` must pass: called after every scenario that writes."""

    def check() -> None:
        result = billcli("ledger", "check")
        assert result.code == 0, result.out + result.err

    return check


@pytest.fixture
def events(ok: Callable[..., Any]) -> Callable[..., list[dict[str, Any]]]:
    """Every event of a type, oldest first."""

    def of(event_type: str) -> list[dict[str, Any]]:
        listed = ok("events", "list", "--type", event_type, "--all")["data"]
        return list(reversed(listed))

    return of
