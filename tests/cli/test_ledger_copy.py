"""`billcli ledger copy SRC DST` between SQLite files: every row of every table copied as
it was (compared here row by row, not through billcli's digest), a destination that
holds a ledger refused, and a copy that fails or does not prove itself leaving no file.
The engine-crossing copies are in `tests/postgres/test_copy.py`."""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from billcli.store.sqlite_dialect import SqliteDialect
from tests.conftest import Result, ledger_digest

# The migrations' own bookkeeping differs per file by design: nothing of it is compared.
INTERNAL = ("sqlite_", "customers_fts", "invoices_fts", "products_fts", "prices_fts")


def populate(path: Path, billcli: Callable[..., Result], ok: Callable[..., Any]) -> None:
    """Customers, invoices, subscriptions and payments (the demo's story), a meter with
    events sent one by one and imported from a file, on the ledger at `path`."""
    assert billcli("demo", "--ledger", str(path)).code == 0
    at = ["--ledger", str(path)]
    customer = ok("customers", "list", *at)["data"][0]["id"]
    ok("meters", "create", "--event-name", "api_calls", "--display-name", "API calls", *at)
    for value in (3, 5):
        ok("meters", "events", "send", "--event-name", "api_calls", "--customer", customer,
           "--value", str(value), *at)  # fmt: skip
    events = path.with_name("events.ndjson")
    events.write_text(
        "".join(
            json.dumps(
                {
                    "event_name": "api_calls",
                    "payload": {"stripe_customer_id": customer, "value": str(n)},
                    "identifier": f"imported-{n}",
                }
            )
            + "\n"
            for n in range(1, 6)
        )
    )
    ok("meters", "events", "import", str(events), *at)


def sqlite_rows(path: Path) -> dict[str, list[tuple[Any, ...]]]:
    """Every table's rows, sorted, read with Python's own sqlite3."""
    conn = sqlite3.connect(path)
    try:
        tables = [
            name
            for (name,) in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")
            if not name.startswith(INTERNAL)
        ]
        return {
            table: sorted(conn.execute(f"SELECT * FROM {table}").fetchall(), key=repr)
            for table in tables
        }
    finally:
        conn.close()


@pytest.fixture
def source(tmp_path: Path, billcli: Callable[..., Result], ok: Callable[..., Any]) -> Path:
    path = tmp_path / "source.db"
    populate(path, billcli, ok)
    return path


@pytest.mark.sqlite_only("copies between two SQLite files whatever the run's engine")
def test_a_copy_between_sqlite_files_holds_every_row_of_every_table_as_it_was(
    source: Path, tmp_path: Path, ok: Callable[..., Any], billcli: Callable[..., Result]
) -> None:
    copy = tmp_path / "copy.db"
    report = ok("ledger", "copy", str(source), str(copy))
    expected = sqlite_rows(source)
    assert sqlite_rows(copy) == expected
    # The kinds of rows the issue names are there, not an empty comparison.
    for table in ("customers", "invoices", "subscriptions", "charges", "meter_events"):
        assert expected[table], table
    assert report["tables"] == {table: len(rows) for table, rows in expected.items()}
    assert report["rows"] == sum(len(rows) for rows in expected.values())
    assert len(report["digest"]) == 64
    assert billcli("ledger", "check", "--ledger", str(copy)).code == 0


@pytest.mark.sqlite_only("copies between two SQLite files whatever the run's engine")
def test_the_copy_answers_search_and_takes_new_rows_after_the_last_copied_one(
    source: Path, tmp_path: Path, ok: Callable[..., Any], billcli: Callable[..., Result]
) -> None:
    copy = tmp_path / "copy.db"
    ok("ledger", "copy", str(source), str(copy))
    at = ["--ledger", str(copy)]
    found = ok("customers", "search", "name~'Lovelace'", *at)["data"]
    assert [c["name"] for c in found] == ["Ada Lovelace"]  # the trigram index was rebuilt
    highest = max(row[0] for row in sqlite_rows(copy)["customers"])  # seq is column 1
    ok("customers", "create", "--name", "After the copy", *at)
    conn = sqlite3.connect(copy)
    new_seq = conn.execute("SELECT seq FROM customers WHERE name = 'After the copy'").fetchone()[0]
    conn.close()
    assert new_seq == highest + 1
    assert billcli("ledger", "check", *at).code == 0


def _item_seq(path: Path, item: str) -> int:
    conn = sqlite3.connect(path)
    try:
        return int(conn.execute("SELECT seq FROM invoice_items WHERE id = ?", [item]).fetchone()[0])
    finally:
        conn.close()


@pytest.mark.sqlite_only("copies between two SQLite files whatever the run's engine")
def test_keys_of_rows_deleted_before_the_copy_are_never_given_out_again(
    source: Path, tmp_path: Path, ok: Callable[..., Any], billcli: Callable[..., Result]
) -> None:
    """An invoice item deleted from the source leaves its `seq` used: the copy goes on
    after it, not after the highest row left."""
    customer = ok("customers", "list", "--ledger", str(source))["data"][0]["id"]
    item = ["invoices", "items", "create", "--customer", customer, "--amount", "500"]
    deleted = ok(*item, "--ledger", str(source))["id"]
    deleted_seq = _item_seq(source, deleted)
    ok("invoices", "items", "delete", deleted, "--ledger", str(source))
    copy = tmp_path / "copy.db"
    ok("ledger", "copy", str(source), str(copy))
    after = ok(*item, "--ledger", str(copy))["id"]
    assert _item_seq(copy, after) == deleted_seq + 1
    assert billcli("ledger", "check", "--ledger", str(copy)).code == 0


@pytest.mark.sqlite_only("copies between two SQLite files whatever the run's engine")
def test_a_copy_that_would_give_out_used_keys_again_is_refused_and_leaves_no_file(
    source: Path,
    tmp_path: Path,
    billcli: Callable[..., Result],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """The keys' proof is not a formality: a copy that lost the source's AUTOINCREMENT
    counters (of rows deleted since) is caught by it."""
    conn = sqlite3.connect(source)
    conn.execute("UPDATE sqlite_sequence SET seq = seq + 100 WHERE name = 'customers'")
    conn.commit()
    conn.close()
    monkeypatch.setattr(SqliteDialect, "set_key_high_water", lambda *args: None)
    copy = tmp_path / "copy.db"
    result = billcli("ledger", "copy", str(source), str(copy))
    assert result.code == 3
    assert "table customers would give out keys" in result.err
    assert not copy.exists()


@pytest.mark.sqlite_only("copies between two SQLite files whatever the run's engine")
def test_a_destination_that_holds_a_ledger_is_refused_with_exit_3_and_left_unchanged(
    source: Path, tmp_path: Path, ok: Callable[..., Any], billcli: Callable[..., Result]
) -> None:
    taken = tmp_path / "taken.db"
    ok("customers", "create", "--name", "Already here", "--ledger", str(taken))
    before = ledger_digest(taken)
    result = billcli("ledger", "copy", str(source), str(taken))
    assert result.code == 3
    assert result.err.count("\n") == 1 and str(taken) in result.err
    assert "already holds a ledger" in result.err
    assert ledger_digest(taken) == before
    assert not list(tmp_path.glob(".taken.db.copying-*"))


@pytest.mark.sqlite_only("copies between two SQLite files whatever the run's engine")
def test_a_missing_source_is_exit_3_and_makes_no_destination(
    tmp_path: Path, billcli: Callable[..., Result]
) -> None:
    result = billcli("ledger", "copy", str(tmp_path / "nowhere.db"), str(tmp_path / "copy.db"))
    assert result.code == 3
    assert "nowhere.db" in result.err
    assert not (tmp_path / "nowhere.db").exists() and not (tmp_path / "copy.db").exists()


def test_an_unreachable_destination_server_is_exit_3_with_one_line(
    source: Path, billcli: Callable[..., Result]
) -> None:
    before = ledger_digest(source)
    result = billcli("ledger", "copy", str(source), "postgresql://billcli:pw@127.0.0.1:1/nowhere")
    assert result.code == 3
    assert result.err.count("\n") == 1
    assert "postgresql://billcli:***@127.0.0.1:1/nowhere" in result.err  # password masked
    assert "pw@" not in result.err
    assert ledger_digest(source) == before


@pytest.mark.sqlite_only("copies between two SQLite files whatever the run's engine")
def test_a_copy_whose_rows_do_not_read_back_as_written_is_refused_and_leaves_no_file(
    source: Path,
    tmp_path: Path,
    billcli: Callable[..., Result],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """The proof is not a formality: a copy that lost a row of charges is caught by it."""
    insert = SqliteDialect.insert_rows

    def losing(self: SqliteDialect, conn: Any, table: str, columns: Any, rows: Any) -> None:
        insert(self, conn, table, columns, rows[:-1] if table == "charges" else rows)

    monkeypatch.setattr(SqliteDialect, "insert_rows", losing)
    copy = tmp_path / "copy.db"
    result = billcli("ledger", "copy", str(source), str(copy))
    assert result.code == 3
    assert "table charges differs" in result.err
    assert not copy.exists()
    assert not list(tmp_path.glob(".copy.db*"))


@pytest.mark.sqlite_only("copies between two SQLite files whatever the run's engine")
def test_a_source_whose_references_do_not_resolve_is_refused_and_leaves_no_file(
    source: Path, tmp_path: Path, billcli: Callable[..., Result]
) -> None:
    conn = sqlite3.connect(source)
    conn.execute(
        "UPDATE subscription_items SET subscription = 'sub_missing' WHERE seq = "
        "(SELECT min(seq) FROM subscription_items)"
    )
    conn.commit()
    conn.close()
    copy = tmp_path / "copy.db"
    result = billcli("ledger", "copy", str(source), str(copy))
    assert result.code == 3
    assert "subscription_items" in result.err and "ledger check" in result.err
    assert not copy.exists()
    assert not list(tmp_path.glob(".copy.db*"))


@pytest.mark.sqlite_only("copies between two SQLite files whatever the run's engine")
def test_json_prints_only_the_summary_object(
    source: Path, tmp_path: Path, billcli: Callable[..., Result]
) -> None:
    result = billcli("ledger", "copy", str(source), str(tmp_path / "copy.db"), "--json")
    assert result.code == 0
    summary = json.loads(result.out)
    assert summary["object"] == "ledger_copy"
    assert set(summary) == {
        "object", "source", "destination", "tables", "rows", "digest", "seconds",
        "rows_per_second",
    }  # fmt: skip
    assert result.err == ""
