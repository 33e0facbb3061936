"""Several processes on one ledger: BEGIN IMMEDIATE queues them, nobody sees a lock."""

import json
import os
import subprocess
import sys
from concurrent.futures import ThreadPoolExecutor

import pytest

WORKER = """
import io, sys, contextlib, json
from billcli.cli.main import run
codes, errors = [], []
for i in range(int(sys.argv[1])):
    err = io.StringIO()
    with contextlib.redirect_stdout(io.StringIO()), contextlib.redirect_stderr(err):
        codes.append(run(sys.argv[2:]))
    errors.append(err.getvalue())
print(json.dumps({"codes": codes, "errors": [e for e in errors if e]}))
"""


def run_workers(ledger_path, processes, each, args):
    env = {**os.environ, "BILLCLI_LEDGER": str(ledger_path)}

    def one(_):
        done = subprocess.run(
            [sys.executable, "-c", WORKER, str(each), *args],
            env=env,
            capture_output=True,
            text=True,
            timeout=300,
        )
        assert done.returncode == 0, done.stderr
        return json.loads(done.stdout)

    with ThreadPoolExecutor(processes) as pool:
        return list(pool.map(one, range(processes)))


@pytest.mark.slow
def test_8_processes_create_customers_at_once_without_a_lock_error(ok, ledger_path, checked_ledger):
    ok("ledger", "init")
    results = run_workers(ledger_path, 8, 25, ["customers", "create", "--balance", "-100"])
    assert all(code == 0 for r in results for code in r["codes"])
    assert [e for r in results for e in r["errors"]] == []
    info = ok("ledger", "info")["counts"]
    assert info["customers"] == 200 and info["balance_transactions"] == 200
    checked_ledger()


@pytest.mark.slow
def test_8_processes_adjust_one_balance_to_the_exact_sum(ok, ledger_path, checked_ledger):
    cid = ok("customers", "create", "--currency", "usd")["id"]
    results = run_workers(ledger_path, 8, 200, ["balance", "create", cid, "--amount", "-3"])
    assert all(code == 0 for r in results for code in r["codes"])
    assert [e for r in results for e in r["errors"]] == []
    assert ok("customers", "show", cid)["balance"] == -3 * 8 * 200
    assert ok("ledger", "info")["counts"]["balance_transactions"] == 8 * 200
    checked_ledger()


@pytest.mark.slow
def test_8_processes_racing_one_idempotency_key_create_exactly_one(ok, ledger_path):
    ok("ledger", "init")
    script = (
        "import sys\nfrom billcli.cli.main import run\n"
        "sys.exit(run(['customers', 'create', '--name', 'Once', '--idempotency-key',"
        " 'race', '--json']))"
    )
    env = {**os.environ, "BILLCLI_LEDGER": str(ledger_path)}
    procs = [
        subprocess.Popen(
            [sys.executable, "-c", script],
            env=env,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for _ in range(8)
    ]
    outputs = [p.communicate(timeout=120) for p in procs]
    assert [p.returncode for p in procs] == [0] * 8
    assert len({out for out, _ in outputs}) == 1
    assert ok("ledger", "info")["counts"]["customers"] == 1
