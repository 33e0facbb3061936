"""A long `invoices tick` shows a bar over the ledger time it covers on a terminal (the
instant reached, steps, rate), and nothing at all when stderr is piped."""

from __future__ import annotations

import os
import pty
import select
import subprocess
import sys
from pathlib import Path

import pytest

from billcli.services.clock import tick as tick_service


@pytest.fixture
def renewing(ok, catalog, customer) -> None:
    for n in range(3):
        ok("subscriptions", "create", "--customer", customer(name=f"C{n}"), "--price",
           catalog["monthly"])  # fmt: skip


def _run_on_a_terminal(args: list[str], ledger: Path) -> tuple[int, str]:
    """Run billcli with stderr on a pseudo-terminal; its exit status and what the
    terminal received."""
    leader, follower = pty.openpty()
    env = {**os.environ, "BILLCLI_LEDGER": str(ledger), "COLUMNS": "120", "TERM": "xterm"}
    process = subprocess.Popen(
        [sys.executable, "-m", "billcli", *args],
        stdout=subprocess.DEVNULL,
        stderr=follower,
        env=env,
    )
    os.close(follower)
    received = b""
    while True:
        ready, _, _ = select.select([leader], [], [], 30)
        if not ready:
            break
        try:
            chunk = os.read(leader, 65536)
        except OSError:  # the terminal closed: the process has ended
            break
        if not chunk:
            break
        received += chunk
    os.close(leader)
    return process.wait(timeout=30), received.decode(errors="replace")


def test_a_tick_on_a_terminal_shows_the_ledger_time_it_reached(renewing, ledger_path) -> None:
    status, shown = _run_on_a_terminal(["invoices", "tick", "--by", "90d"], ledger_path)
    assert status == 0
    assert "ticking" in shown and "steps" in shown and "/s)" in shown
    assert "ledger time 2027-" in shown and "%" in shown


def test_a_piped_tick_prints_no_progress(billcli, renewing) -> None:
    done = billcli("invoices", "tick", "--by", "90d")
    assert done.code == 0 and done.err == ""


def test_the_tick_reports_its_progress_over_the_time_range(ledger_path, renewing) -> None:
    from billcli.store.ledger import Ledger

    seen: list[tick_service.Progress] = []
    with Ledger(ledger_path) as ledger:
        report = tick_service.tick(ledger, by="90d", progress=seen.append)
    assert seen and seen[-1].steps == report.steps
    assert {(p.start, p.target) for p in seen} == {(report.clock_before, report.target)}
    instants = [p.at for p in seen]
    assert instants == sorted(instants)
    assert all(report.clock_before <= at <= report.target for at in instants)
    assert [p.steps for p in seen] == sorted(p.steps for p in seen)
