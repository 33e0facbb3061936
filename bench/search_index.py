"""What the search index costs imports, and why billcli keeps it with its own triggers.

    python bench/search_index.py [--customers 100000] [--rows 200000]

`customers import` and `balance import` run as a user runs them (subprocesses), on
ledgers that differ only in their search index, taking turns (medians of 3 rounds):
- without it: migration 8's triggers dropped and the earlier email and name indexes
  put back, i.e. billcli before search;
- billcli's: FTS5 trigram and metadata triggers that fire only when an indexed column
  changes, deferred during a bulk import and caught up in one statement;
- sqlite-utils': the customers' trigram index made by `enable_fts(tokenize="trigram",
  create_triggers=True)`, whose update trigger rewrites the index on any update
  (`customers import` is not run with it: billcli's import catches up its own index).
"""

from __future__ import annotations

import argparse
import os
import random
import shutil
import sqlite3
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

from measured import checkpoint, timed

BILLCLI = [sys.executable, "-m", "billcli"]


def _without_index(path: Path) -> None:
    conn = sqlite3.connect(path)
    triggers = conn.execute(
        "SELECT name FROM sqlite_master WHERE type = 'trigger' AND (name LIKE '%\\_fts\\_%' "
        "ESCAPE '\\' OR name LIKE '%\\_metadata\\_%' ESCAPE '\\')"
    ).fetchall()
    for (name,) in triggers:
        conn.execute(f"DROP TRIGGER {name}")
    conn.executescript(
        "DROP INDEX customers_by_email; DROP INDEX customers_by_name;"
        "CREATE INDEX customers_by_email ON customers (email, deleted, created, seq);"
        "CREATE INDEX customers_by_name ON customers (name COLLATE NOCASE);"
    )
    conn.close()


def _sqlite_utils_index(path: Path) -> None:
    """The customers' text index as sqlite-utils makes it, instead of billcli's."""
    import sqlite_utils

    conn = sqlite3.connect(path)
    for suffix in ("insert", "delete", "update"):
        conn.execute(f"DROP TRIGGER customers_fts_{suffix}")
    conn.execute("DROP TABLE customers_fts")
    conn.commit()
    conn.close()
    db = sqlite_utils.Database(path)
    db["customers"].enable_fts(  # type: ignore[union-attr]
        ["name", "email", "phone"], tokenize="trigram", create_triggers=True
    )
    db.close()


def _fresh(path: Path, variant: str) -> None:
    for suffix in ("", "-wal", "-shm"):
        Path(f"{path}{suffix}").unlink(missing_ok=True)
    subprocess.run(
        [*BILLCLI, "ledger", "init", "--ledger", str(path)], check=True, stdout=subprocess.DEVNULL
    )
    if variant == "without":
        _without_index(path)


def run(customer_count: int, row_count: int, rounds: int = 3) -> list[str]:
    rng = random.Random(20261130)
    variants = ("without", "billcli", "sqlite-utils")
    customers_s: dict[str, list[float]] = {v: [] for v in variants[:2]}
    balance_s: dict[str, list[float]] = {v: [] for v in variants}
    with tempfile.TemporaryDirectory() as folder_name:
        folder = Path(folder_name)
        people = folder / "customers.csv"
        with people.open("w") as out:
            out.write("name,email,currency,metadata\n")
            for i in range(customer_count):
                out.write(f'Customer {i},c{i}@example.com,usd,"{{""plan"": ""p{i % 7}""}}"\n')
        bases = {}
        for round_ in range(rounds):
            for variant in variants[:2]:
                path = folder / f"{variant}.db"
                _fresh(path, variant)
                env = {**os.environ, "BILLCLI_LEDGER": str(path)}
                seconds, out, _ = timed([*BILLCLI, "customers", "import", str(people)], env)
                customers_s[variant].append(seconds)
                if round_ == 0 and variant == "billcli":
                    bases[variant] = folder / "billcli-base.db"
                    checkpoint(path)
                    shutil.copy(path, bases[variant])
                    ids = out.split()
        # The balance rows name the customers of billcli's ledger: the other two
        # variants are made from a copy of it.
        for variant, change in (("without", _without_index), ("sqlite-utils", _sqlite_utils_index)):
            bases[variant] = folder / f"{variant}-base.db"
            shutil.copy(bases["billcli"], bases[variant])
            change(bases[variant])
        rows = folder / "balance.csv"
        with rows.open("w") as out:
            out.write("customer,amount,description\n")
            for i in range(row_count):
                out.write(f"{rng.choice(ids)},{rng.choice((-1, 1)) * rng.randint(1, 5000)},r{i}\n")
        for _ in range(rounds):
            for variant in variants:
                path = folder / f"run-{variant}.db"
                for suffix in ("-wal", "-shm"):
                    Path(f"{path}{suffix}").unlink(missing_ok=True)
                shutil.copy(bases[variant], path)
                env = {**os.environ, "BILLCLI_LEDGER": str(path)}
                balance_s[variant].append(timed([*BILLCLI, "balance", "import", str(rows)], env)[0])
    c = {v: statistics.median(t) for v, t in customers_s.items()}
    b = {v: statistics.median(t) for v, t in balance_s.items()}
    return [
        f"The search index and imports ({customer_count:,} customers, then {row_count:,} "
        f"balance rows over them; medians of {rounds} rounds taking turns):",
        "",
        "| search index | `customers import` | `balance import` |",
        "|---|---|---|",
        f"| none (billcli before search) | {customer_count / c['without']:,.0f} rows/s | "
        f"{row_count / b['without']:,.0f} rows/s |",
        f"| billcli's triggers | {customer_count / c['billcli']:,.0f} rows/s "
        f"({c['without'] / c['billcli']:.0%}) | {row_count / b['billcli']:,.0f} rows/s "
        f"({b['without'] / b['billcli']:.0%}) |",
        f"| sqlite-utils' triggers | | {row_count / b['sqlite-utils']:,.0f} rows/s "
        f"({b['without'] / b['sqlite-utils']:.0%}) |",
        "",
    ]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--customers", type=int, default=100_000)
    parser.add_argument("--rows", type=int, default=200_000)
    args = parser.parse_args()
    print("\n".join(run(args.customers, args.rows)))
    return 0


if __name__ == "__main__":
    sys.exit(main())
