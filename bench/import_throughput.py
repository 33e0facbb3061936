"""Import throughput: `customers import` then `balance import`, against a raw-SQL floor.

    python bench/import_throughput.py [--customers 100000] [--rows 1000000] [--rounds 5]

Files are generated deterministically in a temporary folder; billcli runs as a user
would run it (a subprocess on a fresh ledger). The floor is the least work that
stores the same balance rows: a script that parses the same CSV and inserts it with
`executemany` into a copy of the same ledger, then updates the balances. The floor and
`balance import` take turns, each on its own copy of the ledger, and the medians of
the rounds are compared (this machine's speed drifts by a third within minutes).
"""

from __future__ import annotations

import argparse
import os
import random
import shutil
import statistics
import sys
import tempfile
from pathlib import Path

from measured import checkpoint, timed

FLOOR = r"""
import csv, secrets, sqlite3, sys
conn = sqlite3.connect(sys.argv[1], isolation_level=None)
conn.execute("PRAGMA cache_size = -65536")
conn.execute("BEGIN IMMEDIATE")
sql = ("INSERT INTO balance_transactions (id, customer, created, amount, currency, "
       "ending_balance, type, description, invoice, credit_note, metadata) "
       "VALUES (?, ?, 0, ?, 'usd', ?, 'adjustment', ?, NULL, NULL, '{}')")
balances, batch = {}, []
with open(sys.argv[2], newline="") as handle:
    rows = csv.reader(handle)
    next(rows)
    for customer, amount, description in rows:
        amount = int(amount)
        balances[customer] = balances.get(customer, 0) + amount
        batch.append(("cbtxn_" + secrets.token_hex(12), customer, amount,
                      balances[customer], description))
        if len(batch) == 5000:
            conn.executemany(sql, batch)
            batch = []
conn.executemany(sql, batch)
conn.executemany("UPDATE customers SET balance = ? WHERE id = ?",
                 [(b, c) for c, b in balances.items()])
conn.execute("COMMIT")
"""


def fresh_copy(source: Path, target: Path) -> None:
    """`target` as `source` is, without a write-ahead log left by an earlier round."""
    for suffix in ("-wal", "-shm"):
        target.with_name(target.name + suffix).unlink(missing_ok=True)
    shutil.copy(source, target)


def run(customer_count: int, row_count: int, rounds: int = 5) -> list[str]:
    """The import benchmark; its section of bench/results.md."""
    billcli = [sys.executable, "-m", "billcli"]
    rng = random.Random(20261126)
    with tempfile.TemporaryDirectory() as folder_name:
        folder = Path(folder_name)
        ledger = folder / "bench.db"
        env = {**os.environ, "BILLCLI_LEDGER": str(ledger)}
        customers_csv = folder / "customers.csv"
        with customers_csv.open("w") as out:
            out.write("name,email,currency,metadata\n")
            for i in range(customer_count):
                out.write(f'Customer {i},c{i}@example.com,usd,"{{""n"": ""{i}""}}"\n')
        customers_s, stdout, _ = timed([*billcli, "customers", "import", str(customers_csv)], env)
        ids = stdout.split()
        balance_csv = folder / "balance.csv"
        with balance_csv.open("w") as out:
            out.write("customer,amount,description\n")
            for i in range(row_count):
                amount = rng.choice((-1, 1)) * rng.randint(1, 5000)
                out.write(f"{rng.choice(ids)},{amount},row {i}\n")
        checkpoint(ledger)
        base = folder / "customers.db"
        shutil.move(ledger, base)
        floors, imports, peaks, loads = [], [], [], []
        floor = [sys.executable, "-c", FLOOR, str(folder / "floor.db"), str(balance_csv)]
        for _ in range(rounds):
            loads.append(os.getloadavg()[0])
            fresh_copy(base, folder / "floor.db")
            floors.append(timed(floor, env)[0])
            fresh_copy(base, ledger)
            seconds, _, rss = timed([*billcli, "balance", "import", str(balance_csv)], env)
            imports.append(seconds)
            peaks.append(rss)
        floor_s, balance_s = statistics.median(floors), statistics.median(imports)
        check_s = timed([*billcli, "ledger", "check"], env)[0]
    return [
        "Imports into a fresh ledger (billcli as a subprocess; the floor parses the same CSV "
        "and stores the same rows with raw `executemany` into a copy of the same ledger, then "
        f"updates the balances; the floor and `balance import` took turns, {rounds} rounds, "
        f"medians shown; load average {min(loads):.1f} to {max(loads):.1f}):",
        "",
        "| what | rows | time | throughput |",
        "|---|---|---|---|",
        f"| `customers import` | {len(ids):,} | {customers_s:.1f} s | "
        f"{len(ids) / customers_s:,.0f} rows/s |",
        f"| `balance import` (over those customers) | {row_count:,} | {balance_s:.1f} s | "
        f"{row_count / balance_s:,.0f} rows/s |",
        f"| floor for the same balance rows | {row_count:,} | {floor_s:.1f} s | "
        f"{row_count / floor_s:,.0f} rows/s (billcli: {floor_s / balance_s:.0%}) |",
        f"| `ledger check` on the result | {len(ids) + row_count:,} | {check_s:.1f} s | |",
        "",
        f"Peak RSS of `balance import`: {max(peaks):.0f} MiB.",
        "",
    ]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--customers", type=int, default=100_000)
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument("--rounds", type=int, default=5)
    args = parser.parse_args()
    print("\n".join(run(args.customers, args.rows, args.rounds)))
    return 0


if __name__ == "__main__":
    sys.exit(main())
