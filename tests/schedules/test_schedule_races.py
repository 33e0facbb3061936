"""Phase transitions are steps of the clock done exactly once: under kill -9 at random
moments, and with two ticks side by side, every schedule enters each phase once and
every subscription is billed each month once, at its phase's price."""

from __future__ import annotations

import os
import random
import signal
import subprocess
import sys
import time
from collections import Counter
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from tests.schedules.conftest import months_after

SCHEDULES = 30


def _tick(ledger_path: Path, target: int) -> subprocess.Popen[str]:
    return subprocess.Popen(
        [sys.executable, "-m", "billcli", "invoices", "tick", "--to", str(target)],
        env={**os.environ, "BILLCLI_LEDGER": str(ledger_path)},
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
    )


@pytest.fixture
def many(ok: Callable[..., Any], customer: Callable[..., str], monthly: str, premium: str):
    """Schedules of three one-month phases: 20.00, then 50.00, then 2 × 50.00."""
    made = []
    for n in range(SCHEDULES):
        made.append(
            ok(
                "subscription-schedules",
                "create",
                "--customer",
                customer(name=f"C{n}"),
                "--phase",
                f"{monthly} iterations=1",
                "--phase",
                f"{premium} iterations=1",
                "--phase",
                f"{premium}:2 iterations=1",
            )["id"]
        )
    return made


def _assert_each_phase_once(ok: Callable[..., Any], schedules: list[str]) -> None:
    updated = Counter(
        e["data"]["object"]["id"]
        for e in ok("events", "list", "--type", "subscription_schedule.updated", "--all")["data"]
    )
    assert all(updated[s] == 2 for s in schedules), updated
    totals = Counter(i["total"] for i in ok("invoices", "list", "--all")["data"])
    assert totals == {2000: SCHEDULES, 5000: SCHEDULES, 10000: 2 * SCHEDULES}
    for s in schedules:
        assert ok("subscription-schedules", "show", s)["status"] == "completed"


def test_two_ticks_side_by_side_enter_each_phase_once(
    ok, many, at_start, ledger_path, checked_ledger
):
    target = months_after(at_start, 3)
    first, second = _tick(ledger_path, target), _tick(ledger_path, target)
    assert first.wait(timeout=600) == 0, first.stderr.read() if first.stderr else ""
    assert second.wait(timeout=600) == 0, second.stderr.read() if second.stderr else ""
    _assert_each_phase_once(ok, many)
    checked_ledger()


def test_kill_9_at_random_moments_then_a_tick_enters_each_phase_once(
    ok, many, at_start, ledger_path, checked_ledger
):
    target = months_after(at_start, 3)
    # Moments from the very start (before the tick has written anything) to well into
    # it: on an idle machine a tick of these schedules is done within half a second.
    moments = sorted(random.Random(7).uniform(0.02, 1.2) for _ in range(6))
    interrupted = 0
    for moment in moments:
        proc = _tick(ledger_path, target)
        time.sleep(moment)
        proc.send_signal(signal.SIGKILL)
        proc.wait()
        checked_ledger()
        statuses = {ok("subscription-schedules", "show", s)["status"] for s in many}
        interrupted += statuses != {"completed"}
    assert interrupted >= 1, "a kill should land while phases remain to enter"
    final = _tick(ledger_path, target)
    assert final.wait(timeout=600) == 0, final.stderr.read() if final.stderr else ""
    _assert_each_phase_once(ok, many)
    checked_ledger()
