"""Running a command as a benchmark measures it: wall time and peak memory. And the
bench's own look at a ledger, which must leave no handle behind."""

from __future__ import annotations

import sqlite3
import subprocess
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any


class Failed(RuntimeError):
    """A measured command failed: its exit status and what it said on stderr."""


def timed(args: list[str], env: dict[str, str]) -> tuple[float, str, float]:
    """Seconds, standard output and peak RSS (MiB, from GNU time) of a command.

    billcli runs with `BILLCLI_DEBUG=1`, and a failure raises with the command's stderr
    (its traceback): a bench that dies after fifteen minutes says why."""
    start = time.perf_counter()
    done = subprocess.run(
        ["/usr/bin/time", "-f", "%M", *args],
        env={**env, "BILLCLI_DEBUG": "1"},
        capture_output=True,
        text=True,
    )
    if done.returncode != 0:
        raise Failed(f"{' '.join(args)} exited {done.returncode}:\n{done.stderr[-4000:]}")
    return time.perf_counter() - start, done.stdout, int(done.stderr.splitlines()[-1]) / 1024


@contextmanager
def opened(path: Path, **options: Any) -> Iterator[sqlite3.Connection]:
    """A connection to a bench ledger, committed and closed when the block ends.

    sqlite3's own `with connect(...)` commits but leaves the connection open, and so
    does `connect(...).execute(...).close()` (it closes the cursor): a handle this
    process still holds reads the file stale once billcli, another process, wrote it
    ("database disk image is malformed")."""
    conn = sqlite3.connect(path, **options)
    try:
        with conn:
            yield conn
    finally:
        conn.close()


def checkpoint(path: Path) -> None:
    """The ledger's write-ahead log folded into its file (before copying the file)."""
    with opened(path) as conn:
        conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
