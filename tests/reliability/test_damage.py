"""A damaged ledger: commands that meet the damage stop with exit 3 and write nothing;
`ledger check` names what is damaged (table, row, column) and exits 1. No traceback."""

from __future__ import annotations

import hashlib
import shutil
import sqlite3
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from tests.conftest import Result

Damage = Callable[[bytearray, Path], None]


@pytest.fixture(scope="module")
def pristine(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, list[str]]:
    """30 customers in a checkpointed ledger (no -wal beside it), and their ids."""
    from billcli.cli.main import run

    path = tmp_path_factory.mktemp("pristine") / "ledger.db"
    ids = []
    for n in range(30):
        import contextlib
        import io

        out = io.StringIO()
        with contextlib.redirect_stdout(out):
            assert run(["customers", "create", "--name", f"Customer {n:02d}", "--email",
                        f"c{n}@example.com", "--metadata", f"k=v{n:02d}", "--json",
                        "--ledger", str(path)]) == 0  # fmt: skip
        ids.append(out.getvalue().split('"id": "')[1].split('"')[0])
    conn = sqlite3.connect(path)
    conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    conn.close()
    return path, ids


def _page_size(data: bytearray) -> int:
    return int.from_bytes(data[16:18], "big")


def flip_across(data: bytearray, _: Path) -> None:
    """One byte in every 997 flipped past the first page (the header stays valid)."""
    for offset in range(_page_size(data), len(data), 997):
        data[offset] ^= 0xFF


def in_a_text_value(data: bytearray, _: Path) -> None:
    data[data.index(b"Customer 17") + 2] = 0xFF


def in_a_json_column(data: bytearray, _: Path) -> None:
    data[data.index(b'{"k":"v17"}') + 1] = ord("[")


def in_an_index_page(data: bytearray, original: Path) -> None:
    conn = sqlite3.connect(original)
    root = conn.execute(
        "SELECT rootpage FROM sqlite_master WHERE name = 'customers_by_email'"
    ).fetchone()[0]
    conn.close()
    start = (root - 1) * _page_size(data)
    for offset in range(start + 8, start + _page_size(data), 61):
        data[offset] ^= 0x5A


def cut_short(data: bytearray, _: Path) -> None:
    del data[len(data) // 2 :]


def damaged_copy(pristine: tuple[Path, list[str]], damage: Damage, folder: Path) -> Path:
    original, _ = pristine
    data = bytearray(original.read_bytes())
    damage(data, original)
    path = folder / "damaged.db"
    path.write_bytes(bytes(data))
    return path


def digest(path: Path) -> str:
    """The bytes of the ledger and of any file beside it that SQLite keeps."""
    parts = [Path(f"{path}{suffix}") for suffix in ("", "-wal")]
    return hashlib.sha256(b"".join(p.read_bytes() for p in parts if p.exists())).hexdigest()


CUSTOMER_17 = 17
# (damage, command lines that meet it: each exits 3 and changes nothing; {id} is
# customer 17, the damaged one where the damage is in a row)
CORPUS = {
    "bytes flipped across the file": (
        flip_across,
        [["customers", "list", "--all"], ["customers", "create", "--name", "X"]],
    ),
    "a text value": (
        in_a_text_value,
        [["customers", "list", "--all"], ["customers", "update", "{id}", "--name", "X"]],
    ),
    "a JSON column": (
        in_a_json_column,
        [["customers", "show", "{id}"], ["customers", "update", "{id}", "--phone", "1"]],
    ),
    "an index page": (in_an_index_page, [["customers", "create", "--name", "X"]]),
    "a file cut short": (
        cut_short,
        [["customers", "list", "--json"], ["customers", "create", "--name", "X"]],
    ),
}
# What `ledger check` must name for each.
NAMED = {
    "bytes flipped across the file": "the schema itself is damaged",
    "a text value": "customers row {id}: column name holds bytes that are not UTF-8 text",
    "a JSON column": "customers row {id}: column metadata is not valid JSON",
    "an index page": "On tree page",
    "a file cut short": "it was cut short",
}


@pytest.mark.parametrize("case", CORPUS)
def test_a_command_meeting_damage_exits_3_and_writes_nothing(
    pristine: tuple[Path, list[str]],
    tmp_path: Path,
    billcli: Callable[..., Result],
    case: str,
) -> None:
    damage, lines = CORPUS[case]
    path = damaged_copy(pristine, damage, tmp_path)
    damaged_id = pristine[1][CUSTOMER_17]
    for line in lines:
        before = digest(path)
        done = billcli(*[w.format(id=damaged_id) for w in line], "--ledger", str(path), "--json")
        assert done.code == 3, (line, done.err)
        assert "Traceback" not in done.err and len(done.err.strip().splitlines()) == 1
        assert f"Cannot use ledger {path}: the file is damaged" in done.err
        assert "nothing was written; `billcli ledger check` on it names" in done.err
        assert done.json["error"]["type"] == "api_error"
        assert digest(path) == before, f"{line} changed the damaged file"


@pytest.mark.parametrize("case", CORPUS)
def test_ledger_check_names_the_damage_and_exits_1(
    pristine: tuple[Path, list[str]],
    tmp_path: Path,
    billcli: Callable[..., Result],
    case: str,
) -> None:
    path = damaged_copy(pristine, CORPUS[case][0], tmp_path)
    before = digest(path)
    done = billcli("ledger", "check", "--ledger", str(path), "--json")
    assert done.code == 1, done.err
    assert "Traceback" not in done.err
    report: dict[str, Any] = done.json
    assert report["ok"] is False
    named = [f"{p['object']}: {p['message']}" for p in report["problems"]]
    expected = NAMED[case].format(id=pristine[1][CUSTOMER_17])
    assert any(expected in line for line in named), named
    assert digest(path) == before


def test_a_wal_cut_short_loses_only_the_transactions_after_the_cut(
    pristine: tuple[Path, list[str]], tmp_path: Path, billcli: Callable[..., Result]
) -> None:
    """SQLite checks every WAL frame: a WAL cut short reads as the ledger was at the last
    whole commit before the cut, exactly what a crash before committing leaves. billcli
    cannot tell the two apart (docs/design.md); what it must do is stay consistent."""
    path = tmp_path / "ledger.db"
    shutil.copy(pristine[0], path)
    holder = sqlite3.connect(path)  # keeps the WAL from being checkpointed away
    holder.execute("SELECT count(*) FROM customers").fetchone()
    for n in range(20):
        assert (
            billcli("customers", "create", "--name", f"Late {n:02d}", "--ledger", str(path)).code
            == 0
        )
    shutil.copy(path, tmp_path / "crash.db")
    wal = Path(f"{path}-wal").read_bytes()
    holder.close()
    Path(tmp_path / "crash.db-wal").write_bytes(wal[: len(wal) // 2])
    crashed = str(tmp_path / "crash.db")
    listed = billcli("customers", "list", "--all", "--json", "--ledger", crashed)
    assert listed.code == 0
    late = sorted(c["name"] for c in listed.json["data"] if c["name"].startswith("Late"))
    assert 0 < len(late) < 20 and late == [f"Late {n:02d}" for n in range(len(late))]
    assert billcli("ledger", "check", "--ledger", crashed).code == 0
