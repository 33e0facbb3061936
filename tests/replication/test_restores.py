"""A replica restored while `invoices tick` runs is an earlier, consistent ledger.

Litestream ships each commit's pages from the WAL, so a restore holds whole commits:
the ledger as it stood a moment earlier, passing `ledger check`, missing only the most
recent commits. Once the work ends and Litestream has synced, the replica is the ledger.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from tests.replication.conftest import INTERVAL, Replication
from tests.replication.workload import (
    BALANCE_WRITES,
    prefix_problems,
    progress,
    seed,
    start,
    table_digests,
)

RESTORES = 3


def assert_checked(billcli: Callable[..., Any], path: Path) -> None:
    check = billcli("ledger", "check", "--ledger", str(path), "--json")
    assert check.code == 0, check.out + check.err
    assert check.json["ok"] is True and check.json["problems"] == []


def test_replicas_restored_mid_tick_pass_ledger_check_and_lack_only_the_latest_commits(
    ledger_path: Path,
    replication: Replication,
    billcli: Callable[..., Any],
    capsys: pytest.CaptureFixture[str],
) -> None:
    customer = seed(ledger_path)
    replication.start()
    before = progress(ledger_path)
    busy = start(ledger_path, customer)
    mid: list[tuple[Path, tuple[int, int], tuple[int, int]]] = []
    while busy.running() and len(mid) < RESTORES:
        at_restore = progress(ledger_path)
        if at_restore[0] > before[0]:
            restored = replication.restore(f"mid{len(mid)}.db")
            mid.append((restored, at_restore, progress(restored)))
        time.sleep(0.3)
    busy.finish()
    replication.sync()
    final = replication.restore("final.db")

    assert mid, "the tick ended before a replica could be restored during it"
    done = progress(ledger_path)
    assert done[1] == BALANCE_WRITES
    for restored, _, held in mid:
        assert_checked(billcli, restored)
        assert prefix_problems(restored, ledger_path) == []
        assert held[0] >= before[0] and held[1] <= done[1]
    assert any(before[0] < held[0] < done[0] for _, _, held in mid), (
        "no replica caught the tick part-way",
        before,
        [held for _, _, held in mid],
        done,
    )
    behind = [(max(0, at[0] - held[0]), max(0, at[1] - held[1])) for _, at, held in mid]
    with capsys.disabled():
        print(f"\nsync interval {INTERVAL}; behind the ledger when restored (events, balance "
          f"writes): {behind}; tick's events {done[0] - before[0]}")  # fmt: skip

    assert_checked(billcli, ledger_path)
    assert_checked(billcli, final)
    assert table_digests(final) == table_digests(ledger_path)
