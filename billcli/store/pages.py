"""Cursor pagination over any table with `id`, `created` and `seq` columns.

Lists are newest first, ordered by (created, seq) so that objects created in the
same second keep a stable order; the row-value comparison uses each table's
(scope…, created, seq) index, so a page costs the same on any size of ledger. An
invoice's lines read oldest first, in the order they were added.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any, TypeVar

from billcli.core.pagination import CREATED_BOUNDS, PageRequest
from billcli.errors import NotFound
from billcli.store.dialect import Connection
from billcli.store.mapping import Mapper

T = TypeVar("T")


def fetch_page(
    conn: Connection,
    mapper: Mapper[T],
    *,
    kind: str,
    where: str,
    params: Sequence[Any],
    request: PageRequest,
    oldest_first: bool = False,
    cursor_column: str = "id",
) -> tuple[list[T], bool]:
    """The records of one page and whether more lie beyond it in the paging direction.

    The request's `created` bounds narrow `where`; a request with a tally is also told
    how many rows match over every page (one count, only when asked for)."""
    table = mapper.table
    for bound, instant in request.created:
        where = f"({where}) AND created {CREATED_BOUNDS[bound]} ?"
        params = [*params, instant]
    if request.tally is not None:
        request.tally.count = int(
            conn.execute(f"SELECT count(*) FROM {table} WHERE {where}", params).fetchone()[0]
        )
    # Walking towards the list's end goes to older rows, unless the list is oldest first.
    towards_older = request.backwards == oldest_first
    order = "DESC" if towards_older else "ASC"
    beyond = "<" if towards_older else ">"
    wanted = request.limit + 1
    if not request.cursor:
        rows = conn.execute(
            f"{mapper.select} WHERE {where} ORDER BY created {order}, seq {order} LIMIT ?",
            [*params, wanted],
        ).fetchall()
    else:
        found = conn.execute(
            f"SELECT created, seq FROM {table} WHERE {cursor_column} = ? AND {where}",
            [request.cursor, *params],
        ).fetchone()
        if found is None:
            raise NotFound(kind, request.cursor, param=request.cursor_param)
        created, seq = found
        # Two index seeks, not one row-value range: SQLite would use `(created, seq) < …`
        # only as `created <= …` and rescan every row of the cursor's second, which makes
        # walking a bulk import (one second, a million rows) quadratic.
        rows = conn.execute(
            f"{mapper.select} WHERE {where} AND created = ? AND seq {beyond} ? "
            f"ORDER BY seq {order} LIMIT ?",
            [*params, created, seq, wanted],
        ).fetchall()
        if len(rows) < wanted:
            rows += conn.execute(
                f"{mapper.select} WHERE {where} AND created {beyond} ? "
                f"ORDER BY created {order}, seq {order} LIMIT ?",
                [*params, created, wanted - len(rows)],
            ).fetchall()
    has_more = len(rows) > request.limit
    records = [mapper.record(r) for r in rows[: request.limit]]
    if request.backwards:
        records.reverse()
    return records, has_more
