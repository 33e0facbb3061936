"""Several processes on one ledger: BEGIN IMMEDIATE queues them, nobody sees a lock."""

import pytest

from tests.processes import run_workers


@pytest.mark.slow
def test_8_processes_create_customers_at_once_without_a_lock_error(ok, ledger_path, checked_ledger):
    ok("ledger", "init")
    results = run_workers(ledger_path, 8, 25, ["customers", "create", "--balance", "-100"])
    assert all(code == 0 for r in results for code in r["codes"])
    assert [e for r in results for e in r["errors"]] == []
    info = ok("ledger", "info")["counts"]
    assert info["customers"] == 200 and info["balance_transactions"] == 200
    checked_ledger()
