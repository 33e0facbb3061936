"""`billcli ledger copy`: rows per second between engines, SQLite and PostgreSQL.

    python bench/ledger_copy.py [--rows 100000] [--customers 2000]

A SQLite ledger of about `--rows` rows is built as a user would fill one: customers by
`customers import`, a meter, and `meters events import` of the rest as usage events
(the bulk of a busy ledger). It is then copied as a user would (a subprocess, `--json`,
its summary read): SQLite → SQLite, SQLite → PostgreSQL (a throwaway server from the
system's binaries, `tests/pg_server.py`) and PostgreSQL → SQLite. Each copy reads the
whole source, writes it in one transaction, then reads the destination back to prove
it, so its rate counts every row three times over. The three digests must agree.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import tempfile
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
sys.path.insert(0, str(HERE.parent))

from measured import timed  # noqa: E402
from meter_import import build, write_events  # noqa: E402

from tests.pg_server import Server, binaries  # noqa: E402

BILLCLI = [sys.executable, "-m", "billcli"]


def copied(src: str, dst: str, env: dict[str, str]) -> tuple[dict[str, object], float]:
    """The command's summary and its peak MiB."""
    _, out, peak = timed([*BILLCLI, "ledger", "copy", src, dst, "--json"], env)
    return json.loads(out), peak


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=100_000)
    parser.add_argument("--customers", type=int, default=2_000)
    args = parser.parse_args()
    env = {**os.environ, "COLUMNS": "200"}
    with tempfile.TemporaryDirectory(prefix="billcli-copy-bench-") as scratch:
        folder = Path(scratch)
        base, customers = build(folder, args.customers)
        events = folder / "events.ndjson"
        write_events(events, customers, max(0, args.rows - 3 * args.customers), "ulid")
        timed([*BILLCLI, "meters", "events", "import", str(events), "--ledger", str(base)], env)
        legs = [(str(base), str(folder / "copy.db"), "SQLite -> SQLite")]
        server = Server() if binaries() else None
        try:
            if server is not None:
                server.admin("CREATE DATABASE copied")
                legs += [
                    (str(base), server.url("copied"), "SQLite -> PostgreSQL"),
                    (server.url("copied"), str(folder / "back.db"), "PostgreSQL -> SQLite"),
                ]
            digests = set()
            for src, dst, name in legs:
                summary, peak = copied(src, dst, env)
                digests.add(summary["digest"])
                print(
                    f"{name:22} {summary['rows']:>10,} rows  {summary['seconds']:>7.2f} s  "
                    f"{summary['rows_per_second']:>8,} rows/s  peak {peak:,.0f} MiB",
                    flush=True,
                )
            print(f"digests agree: {len(digests) == 1} ({next(iter(digests))[:16]}…)")
            if server is None:
                print("PostgreSQL legs skipped: no pg_ctl on PATH or in /usr/lib/postgresql")
        finally:
            if server is not None:
                server.stop()


if __name__ == "__main__":
    main()
