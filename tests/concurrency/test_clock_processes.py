"""Advances under kill -9 and side by side, as ticks are tested: each renewal, charge
and event exactly once; two clocks advanced by two processes at once both finish, each
billing only its own customers."""

import random
import signal
import subprocess
import sys
import time

import pytest

from billcli.cli.main import run
from tests.concurrency.test_tick_processes import T
from tests.conftest import raw_connection
from tests.processes import ledger_env
from tests.soak import size
from tests.tick_helpers import (
    assert_each_renewed_once,
    event_counts,
    freeze_clock,
    renewals,
    seed_clock,
    seed_subscriptions,
)

TARGET = T + 32 * 86_400


def advance_process(ledger_path, clock, *args):
    return subprocess.Popen(
        [sys.executable, "-m", "billcli", "clocks", "advance", clock, *args],
        env=ledger_env(ledger_path),
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
    )


def clock_row(ledger_path, clock):
    conn = raw_connection(ledger_path)
    row = conn.execute(
        "SELECT status, frozen_time, target_frozen_time FROM test_clocks WHERE id = ?", [clock]
    ).fetchone()
    conn.close()
    return row


def assert_each_event_once(ledger_path, clock):
    """One advancing and one ready event for the one advance asked for, and no object
    with an event of a kind twice (a renewal's invoice is created, finalized, paid once)."""
    counts = event_counts(ledger_path)
    assert counts[(clock, "test_helpers.test_clock.advancing")] == 1
    assert counts[(clock, "test_helpers.test_clock.ready")] == 1
    twice = {key: n for key, n in counts.items() if n > 1 and key[0] and key[0] != clock}
    assert not {k: n for k, n in twice.items() if not k[1].startswith("customer.")}, twice


@pytest.fixture
def clocked(ledger_path):
    """Monthly subscriptions (2,000 in the soak) of customers on a test clock at T (the
    ledger's at T)."""
    clock = seed_clock(ledger_path, T, created=T)
    ids = seed_subscriptions(ledger_path, size(800, 2_000), start=T, clock=clock)
    freeze_clock(ledger_path, T)
    return clock, ids


@pytest.mark.slow
def test_kill_9_during_an_advance_then_advancing_again_renews_each_subscription_once(
    ledger_path, clocked, capsys
):
    clock, ids = clocked
    rng = random.Random(30)
    interrupted = 0
    kills = size(4, 8)
    for _ in range(kills):
        proc = advance_process(ledger_path, clock, "--to", str(TARGET))
        time.sleep(rng.uniform(0.3, 0.9))
        proc.send_signal(signal.SIGKILL)
        proc.wait()
        assert run(["ledger", "check"]) == 0, capsys.readouterr().out
        status, frozen, target = clock_row(ledger_path, clock)
        if status == "advancing":
            interrupted += 1
            assert target == TARGET and T <= frozen <= TARGET
    assert interrupted >= kills // 2, "most kills should land while the advance runs"
    final = advance_process(ledger_path, clock, "--to", str(TARGET))
    assert final.wait(timeout=600) == 0, final.stderr.read()
    assert clock_row(ledger_path, clock) == ("ready", TARGET, None)
    assert run(["ledger", "check"]) == 0
    assert_each_renewed_once(ledger_path, ids)
    assert_each_event_once(ledger_path, clock)


@pytest.mark.slow
def test_two_advances_of_one_clock_started_together_renew_each_subscription_once(
    ledger_path, clocked
):
    clock, ids = clocked
    first, second = (
        advance_process(ledger_path, clock, "--to", str(TARGET)),
        advance_process(ledger_path, clock, "--to", str(TARGET)),
    )
    codes = sorted([first.wait(timeout=600), second.wait(timeout=600)])
    assert codes == [0, 1], (first.stderr.read(), second.stderr.read())
    refused = first.stderr.read() + second.stderr.read()
    assert "is advancing" in refused or "only moves forward" in refused
    assert run(["ledger", "check"]) == 0
    assert_each_renewed_once(ledger_path, ids)
    assert_each_event_once(ledger_path, clock)


@pytest.mark.slow
def test_two_clocks_advanced_by_two_processes_at_once_each_bill_only_their_own(ledger_path):
    clocks = [seed_clock(ledger_path, T, created=T) for _ in range(2)]
    ids = {
        clock: seed_subscriptions(ledger_path, size(250, 600), start=T, clock=clock)
        for clock in clocks
    }
    bystanders = seed_subscriptions(ledger_path, 50, start=T)
    freeze_clock(ledger_path, T)
    running = [advance_process(ledger_path, clock, "--to", str(TARGET)) for clock in clocks]
    for proc in running:
        assert proc.wait(timeout=600) == 0, proc.stderr.read()
    assert run(["ledger", "check"]) == 0
    for clock in clocks:
        assert clock_row(ledger_path, clock) == ("ready", TARGET, None)
        assert_each_renewed_once(ledger_path, ids[clock])
    found = renewals(ledger_path)
    assert not any(sub in found for sub in bystanders), "the ledger clock's customers moved"
