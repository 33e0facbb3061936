"""Money under concurrency and crashes: never lost, never applied twice."""

import random
import signal
import time

import pytest

from billcli.cli.main import run
from tests.conftest import raw_connection
from tests.processes import billcli_process, percentile, run_workers
from tests.reliability.figures import publish
from tests.soak import size
from tests.tick_helpers import event_counts, freeze_clock, seed_due_invoices

T = 1_900_000_000


@pytest.mark.slow
def test_8_writers_racing_on_one_customer_reach_the_exact_sum(ok, ledger_path, checked_ledger):
    each = size(100, 250)  # 250 each in the soak (`bench/reliability_report.py`)
    cid = ok("customers", "create", "--currency", "usd")["id"]
    started = time.perf_counter()
    results = run_workers(ledger_path, 8, each, ["balance", "create", cid, "--amount", "-3"])
    elapsed = time.perf_counter() - started
    codes = [c for r in results for c in r["codes"]]
    errors = [e for r in results for e in r["errors"]]
    seconds = [s for r in results for s in r["seconds"]]
    assert codes == [0] * 8 * each and errors == []
    assert ok("customers", "show", cid)["balance"] == -3 * 8 * each
    checked_ledger()
    publish(
        "concurrent-writers",
        processes=8,
        each=each,
        failures=0,
        locked_messages=sum("locked" in e for e in errors),
        p50_ms=round(percentile(seconds, 0.50) * 1000, 1),
        p99_ms=round(percentile(seconds, 0.99) * 1000, 1),
        writes_per_s=round(8 * each / elapsed),
    )


@pytest.mark.slow
def test_8_processes_racing_one_idempotency_key_make_exactly_one(ok, ledger_path):
    cid = ok("customers", "create", "--currency", "usd")["id"]
    procs = [
        billcli_process(
            ledger_path,
            "balance",
            "create",
            cid,
            "--amount",
            "-700",
            "--idempotency-key",
            "race",
            "--json",
        )
        for _ in range(8)
    ]
    outputs = [p.communicate(timeout=120)[0] for p in procs]
    assert [p.returncode for p in procs] == [0] * 8
    assert len(set(outputs)) == 1
    assert len(ok("balance", "list", cid)["data"]) == 1
    assert ok("customers", "show", cid)["balance"] == -700
    publish("idempotency-race", processes=8, transactions=1, distinct_outputs=len(set(outputs)))


@pytest.mark.slow
def test_4_processes_finalizing_one_invoice_apply_credit_once(ok, ledger_path, checked_ledger):
    cid = ok(
        "customers", "create", "--currency", "usd", "--balance", "-500", "--invoice-prefix", "RACE"
    )["id"]
    ok("invoices", "items", "create", "--customer", cid, "--amount", "2000")
    inv = ok("invoices", "create", "--customer", cid, "--pending-items", "include")["id"]
    procs = [billcli_process(ledger_path, "invoices", "finalize", inv) for _ in range(4)]
    codes = sorted(p.wait(timeout=120) for p in procs)
    assert codes == [0, 1, 1, 1]
    applied = [t for t in ok("balance", "list", cid)["data"] if t["type"] == "applied_to_invoice"]
    assert [t["amount"] for t in applied] == [500]
    final = ok("invoices", "show", inv)
    assert (final["number"], final["amount_due"]) == ("RACE-0001", 1500)
    assert ok("customers", "show", cid)["next_invoice_sequence"] == 2
    checked_ledger()
    publish(
        "double-finalization", processes=4, succeeded=1, credit_applications=1, numbers_consumed=1
    )


@pytest.mark.slow
def test_6_processes_crediting_one_invoice_never_exceed_it(ok, ledger_path, checked_ledger):
    cid = ok(
        "customers",
        "create",
        "--currency",
        "usd",
        "--payment-method",
        "pm_card_visa",
        "--invoice-prefix",
        "CRED",
    )["id"]
    ok("invoices", "items", "create", "--customer", cid, "--amount", "10000")
    inv = ok("invoices", "create", "--customer", cid, "--pending-items", "include")["id"]
    ok("invoices", "finalize", inv)
    ok("invoices", "pay", inv)
    procs = [
        billcli_process(
            ledger_path,
            "credit-notes",
            "create",
            "--invoice",
            inv,
            "--amount",
            "3000",
            "--refund-amount",
            "1000",
            "--credit-amount",
            "2000",
        )
        for _ in range(6)
    ]
    codes = sorted(p.wait(timeout=120) for p in procs)
    assert codes == [0, 0, 0, 1, 1, 1]  # three fit in $100; the others find no room left
    notes = ok("credit-notes", "list", "--invoice", inv)["data"]
    assert sorted(n["number"] for n in notes) == [
        "CRED-0001-CN-01",
        "CRED-0001-CN-02",
        "CRED-0001-CN-03",
    ]
    assert ok("invoices", "show", inv)["post_payment_credit_notes_amount"] == 9000
    credits = [
        t["amount"] for t in ok("balance", "list", cid)["data"] if t["type"] == "credit_note"
    ]
    assert credits == [-2000] * 3 and ok("customers", "show", cid)["balance"] == -6000
    checked_ledger()
    publish("concurrent-credit-notes", processes=6, issued=3, refused=3, credited=9000, total=10000)


@pytest.mark.slow
def test_8_processes_refunding_one_charge_never_exceed_it(ok, ledger_path, checked_ledger):
    cid = ok("customers", "create", "--payment-method", "pm_card_visa")["id"]
    ok("invoices", "items", "create", "--customer", cid, "--amount", "10000")
    inv = ok("invoices", "create", "--customer", cid, "--pending-items", "include")["id"]
    ok("invoices", "finalize", inv)
    charge = ok("invoices", "pay", inv)["charge"]
    refunding = [
        billcli_process(ledger_path, "refunds", "create", "--charge", charge, "--amount", "3000")
        for _ in range(6)
    ] + [
        billcli_process(
            ledger_path,
            "credit-notes",
            "create",
            "--invoice",
            inv,
            "--amount",
            "3000",
            "--refund-amount",
            "3000",
        )
        for _ in range(2)
    ]
    codes = [p.wait(timeout=120) for p in refunding]
    assert sorted(codes) == [0, 0, 0, 1, 1, 1, 1, 1]  # three of $30 fit in $100
    refunds = ok("refunds", "list", "--charge", charge)["data"]
    assert [r["amount"] for r in refunds] == [3000] * 3
    shown = ok("charges", "show", charge)
    assert (shown["amount_refunded"], shown["refunded"]) == (9000, False)
    last = billcli_process(ledger_path, "refunds", "create", "--charge", charge)
    assert last.wait(timeout=60) == 0
    assert ok("charges", "show", charge)["amount_refunded"] == 10000
    checked_ledger()
    publish("concurrent-refunds", processes=8, issued=3, refused=5, refunded=9000, charged=10000)


def events_written(path):
    conn = raw_connection(path)
    try:
        return conn.execute("SELECT count(*) FROM events").fetchone()[0]
    finally:
        conn.close()


@pytest.mark.slow
def test_kills_during_a_tick_over_hundreds_of_customers_lose_and_repeat_nothing(
    ledger_path, capsys
):
    # Ticks commit up to 100 steps at a time: enough work that every kill lands mid-way
    # (50 kills over 500 customers in the soak).
    kills, customers = size(15, 50), size(125, 500)
    ids = seed_due_invoices(ledger_path, customers * 16, created=T, per_customer=16)
    freeze_clock(ledger_path, T)
    target = str(T + 2 * 3600)
    rng = random.Random(8)
    interrupted = 0
    for _ in range(kills):
        wanted = events_written(ledger_path) + rng.randint(1, 60)  # a random amount of work
        proc = billcli_process(ledger_path, "invoices", "tick", "--to", target)
        while proc.poll() is None and events_written(ledger_path) < wanted:
            time.sleep(0.002)
        proc.send_signal(signal.SIGKILL)
        proc.wait()
        assert run(["ledger", "check"]) == 0, capsys.readouterr().out
        paid = sum(1 for (_, kind) in event_counts(ledger_path) if kind == "invoice.paid")
        interrupted += paid < len(ids)
    assert interrupted == kills, "every kill should land while work remains"
    final = billcli_process(ledger_path, "invoices", "tick", "--to", target)
    assert final.wait(timeout=600) == 0
    assert run(["ledger", "check"]) == 0
    counts = event_counts(ledger_path)
    for invoice_id in ids:
        for kind in ("invoice.finalized", "invoice.payment_succeeded", "invoice.paid"):
            assert counts.get((invoice_id, kind)) == 1, (invoice_id, kind)
    publish(
        "crash-during-tick",
        kills=kills,
        kills_mid_work=interrupted,
        customers=customers,
        invoices=len(ids),
        checks_passed=kills + 1,
        processed_exactly_once=len(ids),
    )
