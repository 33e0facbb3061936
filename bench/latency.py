"""Command latency against the floor, on a small and a big ledger.

    python bench/latency.py [--customers 100000] [--transactions 1000000] [--invoices 100000]

(`python bench/run.py` runs it with the others and writes bench/results.md.)

The ledgers are built through billcli's own services (customers import, balance import,
invoice creation), never raw SQL. Each figure is the median of 10 whole-process runs
after 2 warm-ups, beside the floor: a minimal Python script doing the same query with
`sqlite3` and printing JSON, run the same way. Bytecode is compiled first, as an
installed billcli has it.
"""

from __future__ import annotations

import argparse
import os
import random
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from billcli.services import balance_import, customers_import, invoice_items, invoices
from billcli.services.invoice_items import ItemInput
from billcli.services.invoices import InvoiceInput
from billcli.store.ledger import Ledger

REPO = Path(__file__).resolve().parents[1]
PY = sys.executable
BILLCLI = [PY, "-m", "billcli"]

FLOORS = {
    "balance": (
        "import json,sqlite3,sys\nc=sqlite3.connect(sys.argv[1])\nc.row_factory=sqlite3.Row\n"
        "r=c.execute('SELECT * FROM balance_transactions WHERE customer=? ORDER BY created "
        "DESC, seq DESC LIMIT 11',[sys.argv[2]]).fetchall()\n"
        "print(json.dumps({'object':'list','data':[dict(x) for x in r[:10]],"
        "'has_more':len(r)>10}))"
    ),
    "customer": (
        "import json,sqlite3,sys\nc=sqlite3.connect(sys.argv[1])\nc.row_factory=sqlite3.Row\n"
        "print(json.dumps(dict(c.execute('SELECT * FROM customers WHERE id=?',"
        "[sys.argv[2]]).fetchone())))"
    ),
    "invoice": (
        "import json,sqlite3,sys\nc=sqlite3.connect(sys.argv[1])\nc.row_factory=sqlite3.Row\n"
        "i=dict(c.execute('SELECT * FROM invoices WHERE id=?',[sys.argv[2]]).fetchone())\n"
        "i['lines']=[dict(x) for x in c.execute('SELECT * FROM invoice_items WHERE invoice=? "
        "ORDER BY created, seq LIMIT 11',[sys.argv[2]])]\nprint(json.dumps(i))"
    ),
    "complete": (
        "import sqlite3,sys\nc=sqlite3.connect(sys.argv[1])\n"
        "print('\\n'.join(r[0] for r in c.execute('SELECT id FROM customers WHERE id>=? AND "
        "id<? LIMIT 50',[sys.argv[2],sys.argv[2]+'\\U0010ffff'])))"
    ),
    "tick": (
        "import sqlite3,sys\nc=sqlite3.connect(sys.argv[1])\n"
        "print(c.execute(\"SELECT count(*) FROM invoices WHERE status='draft' AND "
        "auto_advance=1\").fetchone(), c.execute('SELECT count(*) FROM invoices WHERE "
        "next_payment_attempt IS NOT NULL').fetchone())"
    ),
}


def build(folder: Path, customers: int, transactions: int, invoice_count: int) -> dict[str, str]:
    """A ledger of the given size; returns the ids the commands read."""
    ledger_path = folder / "ledger.db"
    rng = random.Random(20261126)
    people = folder / "customers.csv"
    people.write_text(
        "name,email,currency\n"
        + "".join(f"Customer {i},c{i}@example.com,usd\n" for i in range(customers))
    )
    with Ledger(ledger_path) as ledger:
        ids = customers_import.import_file(ledger, people)["ids"]
        whale = ids[0]
        rows = folder / "balance.csv"
        with rows.open("w") as out:
            out.write("customer,amount\n")
            for n in range(transactions):
                who = whale if n % 5 == 0 else rng.choice(ids)
                out.write(f"{who},{rng.choice((-1, 1)) * rng.randint(1, 5000)}\n")
        balance_import.import_file(ledger, rows)
        with ledger.write() as tx:
            made = []
            for n in range(invoice_count):
                cid = ids[n % len(ids)]
                for amount in (1000, 250):
                    invoice_items.create_in(tx, ItemInput(cid, amount=str(amount)))
                made.append(
                    invoices.create_in(
                        tx, InvoiceInput(cid, pending_items="include", auto_advance=False)
                    )["id"]
                )
    return {
        "ledger": str(ledger_path),
        "customer": whale,
        "invoice": made[len(made) // 2],
        "prefix": whale[:8],
    }


def paired_medians(
    command: list[str], env: dict[str, str], floor: list[str], floor_env: dict[str, str], runs: int
) -> tuple[float, float]:
    """Medians of billcli and its floor, run alternately so that both see the same noise."""
    mine, theirs = [], []
    for run in range(runs + 2):
        for cmd, cmd_env, times in ((command, env, mine), (floor, floor_env, theirs)):
            started = time.perf_counter()
            subprocess.run(
                cmd, env=cmd_env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=False
            )
            if run >= 2:
                times.append(time.perf_counter() - started)
    return statistics.median(mine) * 1000, statistics.median(theirs) * 1000


def measure(ids: dict[str, str], runs: int = 10) -> dict[str, tuple[float, float]]:
    env = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
    env["BILLCLI_LEDGER"] = ids["ledger"]
    completion = {
        **env,
        "_BILLCLI_COMPLETE": "complete_bash",
        "COMP_CWORD": "3",
        "COMP_WORDS": f"billcli customers show {ids['prefix']}",
    }
    floor = [PY, "-c"]
    cases = {
        "balance list --json --limit 10": (
            [*BILLCLI, "balance", "list", ids["customer"], "--json"],
            env,
            [*floor, FLOORS["balance"], ids["ledger"], ids["customer"]],
        ),
        "balance list (rich table)": (
            [*BILLCLI, "balance", "list", ids["customer"]],
            env,
            [*floor, FLOORS["balance"], ids["ledger"], ids["customer"]],
        ),
        "customers show --json": (
            [*BILLCLI, "customers", "show", ids["customer"], "--json"],
            env,
            [*floor, FLOORS["customer"], ids["ledger"], ids["customer"]],
        ),
        "invoices show --json": (
            [*BILLCLI, "invoices", "show", ids["invoice"], "--json"],
            env,
            [*floor, FLOORS["invoice"], ids["ledger"], ids["invoice"]],
        ),
        "completion of a customer id prefix": (
            BILLCLI,
            completion,
            [*floor, FLOORS["complete"], ids["ledger"], ids["prefix"]],
        ),
        "invoices tick --json, nothing due": (
            [*BILLCLI, "invoices", "tick", "--json"],
            env,
            [*floor, FLOORS["tick"], ids["ledger"]],
        ),
    }
    return {
        name: paired_medians(cmd, cmd_env, floor_cmd, env, runs)
        for name, (cmd, cmd_env, floor_cmd) in cases.items()
    }


def peak_rss_mib(ids: dict[str, str]) -> tuple[float, int]:
    env = {**os.environ, "BILLCLI_LEDGER": ids["ledger"]}
    done = subprocess.run(
        [
            "/usr/bin/time",
            "-f",
            "%M",
            *BILLCLI,
            "balance",
            "list",
            ids["customer"],
            "--all",
            "--json",
        ],
        env=env,
        capture_output=True,
        text=True,
        check=True,
    )
    rows = done.stdout.count('"object": "customer_balance_transaction"')
    return int(done.stderr.strip().splitlines()[-1]) / 1024, rows


def run(customers: int, transactions: int, invoice_count: int, runs: int = 10) -> list[str]:
    """The latency benchmark; its section of bench/results.md."""
    subprocess.run(
        [PY, "-m", "compileall", "-q", str(REPO / "billcli")],
        env={k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"},
        check=True,
        stdout=subprocess.DEVNULL,
    )
    with tempfile.TemporaryDirectory() as folder_name:
        folder = Path(folder_name)
        (folder / "small").mkdir()
        (folder / "big").mkdir()
        started = time.perf_counter()
        small = build(folder / "small", 100, 1000, 100)
        big = build(folder / "big", customers, transactions, invoice_count)
        built_s = time.perf_counter() - started
        small_figures, big_figures = measure(small, runs), measure(big, runs)
        rss, rows = peak_rss_mib(big)
    lines = [
        f"Command latency on a ledger of {customers:,} customers, {transactions:,} balance "
        f"transactions and {invoice_count:,} invoices (built in {built_s:.0f} s through "
        f"billcli's services). Medians of {runs} whole-process runs after 2 warm-ups, billcli "
        "and its floor taking turns, "
        "bytecode compiled; the floor is a minimal `sqlite3` script doing the same query and "
        "printing JSON.",
        "",
        "| command | big ledger | floor | ratio | small ledger (1k rows) | big vs small |",
        "|---|---|---|---|---|---|",
    ]
    for name, (ms, floor_ms) in big_figures.items():
        small_ms = small_figures[name][0]
        lines.append(
            f"| {name} | {ms:.0f} ms | {floor_ms:.0f} ms | {ms / floor_ms:.1f}× | "
            f"{small_ms:.0f} ms | {ms / small_ms - 1:+.0%} |"
        )
    lines += [
        "",
        f"`balance list --all --json` over one customer's {rows:,} transactions: peak RSS "
        f"{rss:.0f} MiB.",
        "",
    ]
    return lines


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--customers", type=int, default=100_000)
    parser.add_argument("--transactions", type=int, default=1_000_000)
    parser.add_argument("--invoices", type=int, default=100_000)
    args = parser.parse_args()
    print("\n".join(run(args.customers, args.transactions, args.invoices)))
    return 0


if __name__ == "__main__":
    sys.exit(main())
