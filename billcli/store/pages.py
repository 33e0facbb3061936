"""Cursor pagination over any table with `id`, `created` and `seq` columns.

Lists are newest first, ordered by (created, seq) so that objects created in the
same second keep a stable order; the row-value comparison uses each table's
(scope…, created, seq) index, so a page costs the same on any size of ledger.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Sequence
from typing import Any

from billcli.core.pagination import PageRequest
from billcli.errors import NotFound


def fetch_page(
    conn: sqlite3.Connection,
    *,
    table: str,
    kind: str,
    where: str,
    params: Sequence[Any],
    request: PageRequest,
) -> tuple[list[sqlite3.Row], bool]:
    """The rows of one page and whether more lie beyond it in the paging direction."""
    clauses, args = [where], list(params)
    if request.cursor:
        found = conn.execute(
            f"SELECT created, seq FROM {table} WHERE id = ? AND {where}",
            [request.cursor, *params],
        ).fetchone()
        if found is None:
            raise NotFound(kind, request.cursor, param=request.cursor_param)
        clauses.append(
            "(created, seq) > (?, ?)" if request.backwards else "(created, seq) < (?, ?)"
        )
        args += [found[0], found[1]]
    order = "ASC" if request.backwards else "DESC"
    rows = conn.execute(
        f"SELECT * FROM {table} WHERE {' AND '.join(clauses)} "
        f"ORDER BY created {order}, seq {order} LIMIT ?",
        [*args, request.limit + 1],
    ).fetchall()
    has_more = len(rows) > request.limit
    rows = rows[: request.limit]
    if request.backwards:
        rows.reverse()
    return rows, has_more
