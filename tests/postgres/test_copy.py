"""`billcli ledger copy` across engines: SQLite → PostgreSQL → SQLite gives back every row
as it was and the same digest on each leg; what PostgreSQL holds in between is the
same rows (read here with psycopg, not through billcli); a destination database with a
ledger is refused untouched, and a copy that fails leaves the database with no tables."""

from __future__ import annotations

import sqlite3
from collections.abc import Callable
from pathlib import Path
from typing import Any

import psycopg
import pytest

from tests.cli.test_ledger_copy import populate, sqlite_rows
from tests.conftest import Result, server_digest
from tests.pg_server import Server

pytestmark = pytest.mark.postgresql_only


def server_rows(url: str, like: dict[str, list[tuple[Any, ...]]], source: Path) -> Any:
    """The rows of each of `like`'s tables on the server, sorted, in SQLite's column order."""
    lite = sqlite3.connect(source)
    found = {}
    with psycopg.connect(url) as conn:
        for table in like:
            columns = [row[1] for row in lite.execute(f"PRAGMA table_info({table})")]
            names = ", ".join(f'"{c}"' for c in columns)
            found[table] = sorted(conn.execute(f"SELECT {names} FROM {table}").fetchall(), key=repr)
    lite.close()
    return found


def tables_of(url: str) -> list[str]:
    with psycopg.connect(url) as conn:
        return [
            row[0]
            for row in conn.execute(
                "SELECT table_name FROM information_schema.tables "
                "WHERE table_schema = current_schema()"
            )
        ]


def test_sqlite_to_postgresql_to_postgresql_and_back_keeps_every_row_and_the_same_digest(
    tmp_path: Path,
    pg_server: Server,
    billcli: Callable[..., Result],
    ok: Callable[..., Any],
) -> None:
    source = tmp_path / "source.db"
    populate(source, billcli, ok)
    server, other = pg_server.fresh(ledger=False), pg_server.fresh(ledger=False)
    there = ok("ledger", "copy", str(source), server)
    expected = sqlite_rows(source)
    assert server_rows(server, expected, source) == expected
    assert billcli("ledger", "check", "--ledger", server).code == 0
    across = ok("ledger", "copy", server, other)
    assert server_rows(other, expected, source) == expected

    back = tmp_path / "back.db"
    again = ok("ledger", "copy", other, str(back))
    assert sqlite_rows(back) == expected
    assert there["digest"] == across["digest"] == again["digest"]
    assert there["tables"] == again["tables"] == {t: len(rows) for t, rows in expected.items()}
    for table in ("customers", "invoices", "subscriptions", "charges", "meter_events"):
        assert expected[table], table
    assert billcli("ledger", "check", "--ledger", str(back)).code == 0


def test_the_postgresql_copy_takes_new_rows_after_the_last_copied_one_and_finds_them(
    tmp_path: Path, pg_server: Server, billcli: Callable[..., Result], ok: Callable[..., Any]
) -> None:
    source = tmp_path / "source.db"
    populate(source, billcli, ok)
    server = pg_server.fresh(ledger=False)
    ok("ledger", "copy", str(source), server)
    highest = max(row[0] for row in sqlite_rows(source)["customers"])
    ok("customers", "create", "--name", "Zed After", "--ledger", server)
    with psycopg.connect(server) as conn:
        seq = conn.execute("SELECT seq FROM customers WHERE name = 'Zed After'").fetchone()[0]
    assert seq == highest + 1
    found = ok("customers", "search", "name~'Lovelace'", "--ledger", server)["data"]
    assert [c["name"] for c in found] == ["Ada Lovelace"]
    assert billcli("ledger", "check", "--ledger", server).code == 0


def test_a_postgresql_destination_that_holds_a_ledger_is_refused_untouched(
    tmp_path: Path, pg_server: Server, billcli: Callable[..., Result], ok: Callable[..., Any]
) -> None:
    source = tmp_path / "source.db"
    populate(source, billcli, ok)
    server = pg_server.fresh()  # a ledger, empty of customers but a ledger
    before = server_digest(server)
    result = billcli("ledger", "copy", str(source), server)
    assert result.code == 3
    assert result.err.count("\n") == 1 and "already holds a ledger" in result.err
    assert server in result.err
    assert server_digest(server) == before


def test_a_copy_to_postgresql_that_fails_leaves_the_database_with_no_tables(
    tmp_path: Path, pg_server: Server, billcli: Callable[..., Result], ok: Callable[..., Any]
) -> None:
    source = tmp_path / "source.db"
    populate(source, billcli, ok)
    conn = sqlite3.connect(source)
    conn.execute("UPDATE invoices SET customer = 'cus_missing' WHERE seq = 1")
    conn.commit()
    conn.close()
    server = pg_server.fresh(ledger=False)
    result = billcli("ledger", "copy", str(source), server)
    assert result.code == 3
    assert "do not hold together" in result.err and "invoices" in result.err
    assert tables_of(server) == []
