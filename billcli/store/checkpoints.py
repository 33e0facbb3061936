"""Who checkpoints a ledger's write-ahead log: SQLite's defaults, or Litestream alone.

Litestream replicates a ledger by reading its WAL before the pages are copied back into
the main file, so it must own checkpointing: it holds a read transaction between its
own (PASSIVE) checkpoints, and a checkpoint that another process completes in the gap
makes it lose its place in the WAL and replicate a full snapshot again. Its "Tips &
Caveats" (litestream.io/tips, "Disable autocheckpoints for high write load servers")
ask the application for `PRAGMA wal_autocheckpoint = 0`.

billcli itself never asks for a checkpoint (no `wal_checkpoint` of any mode); the only
checkpoints it can cause are SQLite's automatic ones: a PASSIVE one after a commit that
leaves 1,000 pages in the WAL, and the one the last connection to close makes. So:
- a ledger Litestream replicates (its metadata folder `.<file>-litestream` stands
  beside the file, Litestream's default place) opens with automatic checkpoints off;
- any other ledger keeps SQLite's default, so that a WAL nobody else checkpoints stays
  small.
The last connection's checkpoint needs no rule: while Litestream runs it holds a
connection, so a billcli process closing is never the last one.
"""

from __future__ import annotations

import sqlite3
from pathlib import Path

SIDECAR_SUFFIX = "-litestream"


def litestream_folders(path: Path) -> set[Path]:
    """Where Litestream keeps its metadata for a database at `path`: beside the path as
    given and beside the file it resolves to (a ledger reached through a symlink)."""
    return {place.parent / f".{place.name}{SIDECAR_SUFFIX}" for place in (path, path.resolve())}


def replicated(path: Path) -> bool:
    """Whether Litestream replicates the ledger at `path` (or has done, and may again)."""
    return any(folder.is_dir() for folder in litestream_folders(path))


def leave_checkpoints(conn: sqlite3.Connection, path: Path) -> None:
    """Switch this connection's automatic checkpoints off when Litestream owns them."""
    if replicated(path):
        conn.execute("PRAGMA wal_autocheckpoint = 0")
