"""Ticks under kill -9 and side by side: nothing lost, nothing done twice."""

import random
import signal
import subprocess
import sys
import time

import pytest

from billcli.cli.main import run
from tests.conftest import raw_connection
from tests.processes import billcli_process, ledger_env
from tests.soak import size
from tests.tick_helpers import (
    assert_each_renewed_once,
    event_counts,
    freeze_clock,
    seed_due_invoices,
)

T = 1_900_000_000


def tick_process(ledger_path, *args):
    return subprocess.Popen(
        [sys.executable, "-m", "billcli", "invoices", "tick", *args],
        env=ledger_env(ledger_path),
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )


def assert_each_processed_once(ledger_path, ids):
    counts = event_counts(ledger_path)
    for invoice_id in ids:
        for kind in ("invoice.finalized", "invoice.payment_succeeded", "invoice.paid"):
            assert counts.get((invoice_id, kind)) == 1, (invoice_id, kind)
        assert (invoice_id, "invoice.payment_failed") not in counts


@pytest.mark.slow
def test_kill_9_at_random_moments_then_a_final_tick_processes_each_invoice_once(
    ledger_path, capsys
):
    # A tick does about a thousand invoices a second: a kill's second of work per invoice
    # thousand, so most kills land mid-way.
    kills = size(4, 20)
    ids = seed_due_invoices(ledger_path, kills * 1_000, created=T)
    freeze_clock(ledger_path, T)
    target = str(T + 2 * 3600)
    rng = random.Random(20261126)
    interrupted = 0
    for _ in range(kills):
        proc = tick_process(ledger_path, "--to", target)
        time.sleep(rng.uniform(0.2, 0.8))
        proc.send_signal(signal.SIGKILL)
        proc.wait()
        assert run(["ledger", "check"]) == 0, capsys.readouterr().out
        paid = sum(1 for (_, kind) in event_counts(ledger_path) if kind == "invoice.paid")
        interrupted += paid < len(ids)
    assert interrupted >= kills // 2, "most kills should land while work remains"
    final = tick_process(ledger_path, "--to", target)
    assert final.wait(timeout=600) == 0, final.stderr.read()
    assert run(["ledger", "check"]) == 0
    assert_each_processed_once(ledger_path, ids)


@pytest.mark.slow
def test_two_ticks_started_together_finalize_and_charge_each_invoice_once(ledger_path):
    ids = seed_due_invoices(ledger_path, 300, created=T)
    freeze_clock(ledger_path, T)
    target = str(T + 2 * 3600)
    first, second = (
        tick_process(ledger_path, "--to", target),
        tick_process(ledger_path, "--to", target),
    )
    assert first.wait(timeout=600) == 0 and second.wait(timeout=600) == 0
    assert run(["ledger", "check"]) == 0
    assert_each_processed_once(ledger_path, ids)


@pytest.mark.slow
def test_kill_9_during_renewals_then_a_final_tick_renews_each_subscription_once(
    ledger_path, capsys
):
    from tests.tick_helpers import seed_subscriptions

    kills = size(4, 10)
    ids = seed_subscriptions(ledger_path, kills * 200, start=T)
    freeze_clock(ledger_path, T)
    target = str(T + 32 * 86_400)
    rng = random.Random(20261129)
    interrupted = 0
    for _ in range(kills):
        proc = tick_process(ledger_path, "--to", target)
        time.sleep(rng.uniform(0.2, 0.6))
        proc.send_signal(signal.SIGKILL)
        proc.wait()
        assert run(["ledger", "check"]) == 0, capsys.readouterr().out
        paid = sum(1 for (_, kind) in event_counts(ledger_path) if kind == "invoice.paid")
        interrupted += paid < len(ids)
    assert interrupted >= kills // 2, "most kills should land while renewals remain"
    final = tick_process(ledger_path, "--to", target)
    assert final.wait(timeout=600) == 0, final.stderr.read()
    assert run(["ledger", "check"]) == 0
    assert_each_renewed_once(ledger_path, ids)


@pytest.mark.slow
def test_two_ticks_started_together_renew_each_subscription_once(ledger_path):
    from tests.tick_helpers import seed_subscriptions

    ids = seed_subscriptions(ledger_path, 300, start=T)
    freeze_clock(ledger_path, T)
    target = str(T + 32 * 86_400)
    first, second = (
        tick_process(ledger_path, "--to", target),
        tick_process(ledger_path, "--to", target),
    )
    assert first.wait(timeout=600) == 0 and second.wait(timeout=600) == 0
    assert run(["ledger", "check"]) == 0
    assert_each_renewed_once(ledger_path, ids)


@pytest.mark.slow
def test_two_overlapping_ticks_each_print_only_the_events_they_recorded(ledger_path):
    """A cron script acts on `tick --json`: what one tick prints, the other never does,
    and together they print every event the work recorded, once."""
    import json

    seed_due_invoices(ledger_path, 400, created=T)
    freeze_clock(ledger_path, T)
    conn = raw_connection(ledger_path)
    before = conn.execute("SELECT coalesce(max(seq), 0) FROM events").fetchone()[0]
    conn.close()
    ticks = [
        billcli_process(ledger_path, "invoices", "tick", "--to", str(T + 7200), "--json")
        for _ in range(2)
    ]
    printed = []
    for proc in ticks:
        out, err = proc.communicate(timeout=600)
        assert proc.returncode == 0, err
        printed.append([e["id"] for e in json.loads(out)["data"]])
    conn = raw_connection(ledger_path)
    rows = conn.execute("SELECT id, type FROM events WHERE seq > ?", [before]).fetchall()
    conn.close()
    assert not set(printed[0]) & set(printed[1])
    assert sorted(printed[0] + printed[1]) == sorted(row[0] for row in rows)
    assert sum(kind == "invoice.paid" for _, kind in rows) == 400


@pytest.mark.slow
@pytest.mark.postgresql_only
def test_four_workers_ticking_one_postgresql_ledger_renew_and_charge_each_subscription_once(
    ledger_path,
):
    from tests.tick_helpers import seed_subscriptions

    ids = seed_subscriptions(ledger_path, 200, start=T)
    freeze_clock(ledger_path, T)
    target = str(T + 32 * 86_400)
    workers = [tick_process(ledger_path, "--to", target) for _ in range(4)]
    assert all(worker.wait(timeout=600) == 0 for worker in workers)
    assert run(["ledger", "check"]) == 0
    assert_each_renewed_once(ledger_path, ids)
    conn = raw_connection(ledger_path)
    charged_twice = conn.execute(
        "SELECT invoice FROM charges WHERE status = 'succeeded' GROUP BY invoice "
        "HAVING count(*) > 1"
    ).fetchall()
    renewals_charged = conn.execute(
        "SELECT count(*) FROM charges AS c JOIN invoices AS i ON i.id = c.invoice "
        "WHERE i.billing_reason = 'subscription_cycle' AND c.status = 'succeeded'"
    ).fetchone()[0]
    conn.close()
    assert charged_twice == []
    assert renewals_charged == len(ids)
