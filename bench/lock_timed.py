"""Run one billcli command with its write transactions timed (the two-clock benchmark).

    python bench/lock_timed.py OUT.json billcli-arguments...

Every connection billcli opens is made by a `sqlite3.Connection` subclass that times
`BEGIN IMMEDIATE` from its first try to the one that takes the lock (how long the
process waited for SQLite's write lock, held by another process) and what follows it
until `COMMIT` or `ROLLBACK` (how long it held the lock: one write). At exit OUT.json
gets the count of writes, the longest wait and the longest hold, in seconds: whether
one process ever waited longer than the other's longest write.
Nothing of billcli is changed; only the connection class it is handed (a subclass of
its own).
"""

from __future__ import annotations

import json
import sqlite3
import sys
import time
from pathlib import Path
from typing import Any

from billcli.store.sqlite_dialect import SqliteConnection

waits: list[float] = []
holds: list[float] = []


class TimedConnection(SqliteConnection):
    """billcli's connection, noting how long each write transaction waited and held."""

    held_since: float | None = None
    asked_since: float | None = None  # the first try of a `BEGIN IMMEDIATE` not yet taken

    def execute(self, sql: str, *args: Any) -> sqlite3.Cursor:  # type: ignore[override]
        if sql == "BEGIN IMMEDIATE":
            if self.asked_since is None:
                self.asked_since = time.perf_counter()
            cursor = super().execute(sql, *args)  # raises while busy: tried again
            self.held_since = time.perf_counter()
            waits.append(self.held_since - self.asked_since)
            self.asked_since = None
            return cursor
        cursor = super().execute(sql, *args)
        if self.held_since is not None and sql in ("COMMIT", "ROLLBACK"):
            holds.append(time.perf_counter() - self.held_since)
            self.held_since = None
        return cursor


def main() -> None:
    out, args = Path(sys.argv[1]), sys.argv[2:]
    connect = sqlite3.connect

    def timed_connect(*given: Any, **options: Any) -> sqlite3.Connection:
        return connect(*given, **{**options, "factory": TimedConnection})

    sqlite3.connect = timed_connect  # type: ignore[assignment]

    def report() -> None:
        out.write_text(
            json.dumps(
                {
                    "writes": len(holds),
                    "longest_wait": max(waits, default=0.0),
                    "longest_hold": max(holds, default=0.0),
                }
            )
        )

    from billcli.cli.main import run

    try:
        code = run(args)
    finally:
        report()
    sys.exit(code)


if __name__ == "__main__":
    main()
