"""`ledger check` finds what breaks the clocks' invariants behind billcli's back: an
object on another clock than its customer's, one dated after its clock's time, a clock
that lost its retention or was deleted with customers alive."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from tests.clocks.conftest import CLOCK_START, ts
from tests.conftest import raw_connection


def _tamper(path: Path, *statements: str) -> None:
    conn = raw_connection(path)
    for statement in statements:
        conn.execute(statement)
    conn.commit()
    conn.close()


@pytest.fixture
def clocked(
    ok: Callable[..., Any],
    new_clock: Callable[..., str],
    clock_customer: Callable[..., str],
    catalog: dict[str, str],
) -> dict[str, str]:
    clock = new_clock()
    ada = clock_customer(clock)
    sub = ok("subscriptions", "create", "--customer", ada, "--price", catalog["monthly"])
    return {"clock": clock, "ada": ada, "sub": sub["id"], "invoice": sub["latest_invoice"]}


CASES = [
    # (statements, object key, fragment of the message)
    (["UPDATE invoices SET test_clock = NULL WHERE id = '{invoice}'"], "invoice",
     "this invoice says test clock None, its customer lives on {clock}"),
    (["UPDATE subscriptions SET test_clock = 'clock_x' WHERE id = '{sub}'"], "sub",
     "its customer lives on {clock}"),
    ([f"UPDATE invoices SET created = {ts(CLOCK_START) + 60} WHERE id = '{{invoice}}'"],
     "invoice", "after its test clock {clock}"),
    (["UPDATE test_clocks SET deletes_after = deletes_after + 1"], "clock",
     "is not 30 days after it"),
    (["UPDATE test_clocks SET deleted = 1"], "clock", "1 of its customers are not"),
    (["UPDATE test_clocks SET status = 'advancing', target_frozen_time = 5"], "clock",
     "behind its own time"),
]  # fmt: skip


@pytest.mark.parametrize(("statements", "key", "fragment"), CASES, ids=lambda v: str(v)[:40])
def test_ledger_check_names_what_breaks_a_clocks_invariant(
    billcli: Callable[..., Any],
    clocked: dict[str, str],
    ledger_path: Path,
    statements: list[str],
    key: str,
    fragment: str,
) -> None:
    assert billcli("ledger", "check").code == 0
    _tamper(ledger_path, *(s.format(**clocked) for s in statements))
    done = billcli("ledger", "check", "--json")
    assert done.code == 1
    wanted = fragment.format(**clocked)
    found = [p for p in done.json["problems"] if wanted in p["message"]]
    assert found, done.json["problems"]
    if key in clocked and key != "clock":
        assert found[0]["object"] == clocked[key]
