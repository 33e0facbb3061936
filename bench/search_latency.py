"""`customers search` latency on a big and a small ledger, against a floor.

    python bench/search_latency.py [--customers 1000000]

Both ledgers are built by `customers import` (names like "Customer 123456", one in
10,000 an "Ada Lovelace", one in ten on the `pro` plan). Each query's first page is
timed as a whole process, median of 10 runs after 2 warm-ups, beside its floor: a
minimal `sqlite3` script running the same indexed query and printing the rows as JSON.
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

from measured import timed

QUERIES = {
    "name~'lovel'": (
        "SELECT * FROM customers WHERE deleted = 0 AND seq IN (SELECT rowid FROM customers_fts "
        "WHERE customers_fts MATCH 'name : \"lovel\"') ORDER BY created DESC, seq DESC LIMIT 11"
    ),
    "email:'c{middle}@example.com'": (
        "SELECT * FROM customers WHERE deleted = 0 AND email = 'c{middle}@example.com' COLLATE "
        "NOCASE ORDER BY created DESC, seq DESC LIMIT 11"
    ),
    "metadata['plan']:'pro'": (
        "SELECT * FROM customers AS t WHERE deleted = 0 AND EXISTS (SELECT 1 FROM "
        "search_metadata WHERE kind = 'customer' AND key = 'plan' AND value = 'pro' AND "
        "row = t.seq) ORDER BY created DESC, seq DESC LIMIT 11"
    ),
}
FLOOR = (
    "import json,sqlite3,sys\nc=sqlite3.connect(sys.argv[1])\nc.row_factory=sqlite3.Row\n"
    "print(json.dumps({{'object':'search_result','data':[dict(r) for r in "
    "c.execute({sql!r}).fetchall()[:10]]}}))"
)


def build(folder: Path, count: int) -> tuple[Path, float]:
    """A ledger of `count` customers made by `customers import`; the import's seconds."""
    path = folder / f"search-{count}.db"
    source = folder / f"customers-{count}.csv"
    with source.open("w") as out:
        out.write("name,email,currency,metadata\n")
        for i in range(count):
            name = f"Ada Lovelace {i}" if i % 10_000 == 7 else f"Customer {i}"
            plan = "pro" if i % 10 == 3 else "free"
            out.write(f'{name},c{i}@example.com,usd,"{{""plan"": ""{plan}""}}"\n')
    env = {**os.environ, "BILLCLI_LEDGER": str(path)}
    seconds, _, _ = timed(
        [sys.executable, "-m", "billcli", "customers", "import", str(source)], env
    )
    source.unlink()
    return path, seconds


def medians(commands: list[tuple[list[str], dict[str, str]]], runs: int) -> list[float]:
    times: list[list[float]] = [[] for _ in commands]
    for run in range(runs + 2):
        for (command, env), taken in zip(commands, times, strict=True):
            seconds, _, _ = timed(command, env)
            if run >= 2:
                taken.append(seconds)
    return [statistics.median(t) * 1000 for t in times]


def run(count: int, small: int = 1000, runs: int = 10) -> list[str]:
    with tempfile.TemporaryDirectory() as folder_name:
        folder = Path(folder_name)
        big, import_s = build(folder, count)
        little, _ = build(folder, small)
        env = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
        rows = []
        for shape, sql in QUERIES.items():
            query = shape.format(middle=count // 2)
            small_query = shape.format(middle=small // 2)
            mine = [sys.executable, "-m", "billcli", "customers", "search", query, "--json"]
            floor = [
                sys.executable,
                "-c",
                FLOOR.format(sql=sql.format(middle=count // 2)),
                str(big),
            ]
            small_mine = [*mine[:-2], small_query, "--json"]
            found = subprocess.run(
                mine,
                env={**env, "BILLCLI_LEDGER": str(big)},
                capture_output=True,
                text=True,
                check=True,
            ).stdout
            assert '"object": "search_result"' in found and '"id": "cus_' in found, query
            ms = medians(
                [
                    (mine, {**env, "BILLCLI_LEDGER": str(big)}),
                    (floor, env),
                    (small_mine, {**env, "BILLCLI_LEDGER": str(little)}),
                ],
                runs,
            )
            rows.append((query, *ms))
    lines = [
        f"`customers search` on {count:,} customers (built by `customers import` in "
        f"{import_s:.0f} s, {count / import_s:,.0f} rows/s, with the search index in "
        f"place) and on {small:,}; medians of {runs} whole-process runs in turns:",
        "",
        "| query | big ledger | floor | ratio | small ledger | big vs small |",
        "|---|---|---|---|---|---|",
    ]
    for query, mine_ms, floor_ms, small_ms in rows:
        lines.append(
            f"| `{query}` | {mine_ms:.0f} ms | {floor_ms:.0f} ms | {mine_ms / floor_ms:.1f}× | "
            f"{small_ms:.0f} ms | {mine_ms / small_ms:.2f}× |"
        )
    return [*lines, ""]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--customers", type=int, default=1_000_000)
    args = parser.parse_args()
    print("\n".join(run(args.customers)))
    return 0


if __name__ == "__main__":
    sys.exit(main())
