"""A parsed search query as one parameterized SQL statement over its resource's table.

Substrings (`~`) come from the resource's FTS5 trigram index, metadata from the
`search_metadata` pairs, both kept by triggers; exact text matches use a NOCASE index
where one exists, else the trigram index narrows the rows first. Values are always
bound parameters, never SQL text. Results are newest first, paged by (created, seq).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from billcli.core.search import MIN_SUBSTRING, Clause, Kind, Query
from billcli.store.catalog import PRICES, PRODUCTS
from billcli.store.customers import CUSTOMERS
from billcli.store.dialect import Connection
from billcli.store.invoices import INVOICES
from billcli.store.mapping import Mapper
from billcli.store.payments import CHARGES, PAYMENT_INTENTS
from billcli.store.subscriptions import SUBSCRIPTIONS


@dataclass(frozen=True)
class Source:
    """Where a resource's search reads: its table, its live rows, its columns."""

    mapper: Mapper[Any]
    live: str
    columns: dict[str, str]  # field -> SQL expression over `t` ("NULL": never set)
    indexed_text: frozenset[str] = frozenset()  # text fields with a NOCASE index
    fts: frozenset[str] = frozenset()  # text fields in the trigram index


SOURCES = {
    "customer": Source(
        CUSTOMERS,
        "t.deleted = 0",
        {"created": "t.created", "email": "t.email", "name": "t.name", "phone": "t.phone"},
        indexed_text=frozenset({"email", "name"}),
        fts=frozenset({"email", "name", "phone"}),
    ),
    "invoice": Source(
        INVOICES,
        "TRUE",
        {
            "created": "t.created",
            "currency": "t.currency",
            "customer": "t.customer",
            "last_finalization_error_code": "NULL",
            "last_finalization_error_type": "NULL",
            "number": "t.number",
            "receipt_number": "NULL",
            "status": "t.status",
            "subscription": "t.subscription",
            "total": "t.total",
        },
        fts=frozenset({"number"}),
    ),
    "subscription": Source(
        SUBSCRIPTIONS,
        "TRUE",
        {"canceled_at": "t.canceled_at", "created": "t.created", "status": "t.status"},
    ),
    "price": Source(
        PRICES,
        "TRUE",
        {
            "active": "t.active",
            "currency": "t.currency",
            "lookup_key": "t.lookup_key",
            "product": "t.product",
            "type": "t.type",
        },
        fts=frozenset({"lookup_key"}),
    ),
    "charge": Source(
        CHARGES,
        "TRUE",
        {
            "amount": "t.amount",
            "created": "t.created",
            "currency": "t.currency",
            "customer": "t.customer",
            "disputed": "0",
            "refunded": "(t.amount_refunded = t.amount)",
            "status": "t.status",
        },
    ),
    "payment_intent": Source(
        PAYMENT_INTENTS,
        "TRUE",
        {
            "amount": "t.amount",
            "created": "t.created",
            "currency": "t.currency",
            "customer": "t.customer",
            "status": "t.status",
        },
    ),
    "product": Source(
        PRODUCTS,
        "t.deleted = 0",
        {
            "active": "t.active",
            "description": "t.description",
            "name": "t.name",
            "shippable": "t.shippable",
            "url": "t.url",
        },
        fts=frozenset({"description", "name", "url"}),
    ),
}


FEW = 1000  # matches of one clause that are cheaper to fetch than to test row by row


def _rows_matching(conn: Connection, found: str, params: list[Any], *, rowid: str = "row") -> str:
    """`t` among the rows `found` selects. A few are read first and the rows looked up
    by seq; many are tested one by one as the newest rows are read in order, which
    stops as soon as a page is full (reading 100,000 matches first would not)."""
    probe = conn.execute(f"SELECT count(*) FROM ({found} LIMIT {FEW}) AS f", params).fetchone()[0]
    if probe < FEW:
        return f"t.seq IN ({found})"
    return f"EXISTS ({found} AND {rowid} = t.seq)"


def _clause(
    conn: Connection, resource: str, source: Source, clause: Clause
) -> tuple[str, list[Any]]:
    table = source.mapper.table
    if clause.kind is Kind.METADATA:
        if clause.value is None:
            sql = "t.seq NOT IN (SELECT row FROM search_metadata WHERE kind = ? AND key = ?)"
            return _negated(sql, clause), [resource, clause.key]
        pairs = "SELECT row FROM search_metadata WHERE kind = ? AND key = ? AND value = ?"
        held = [resource, clause.key, clause.value]
        return _negated(_rows_matching(conn, pairs, held), clause), held
    column = source.columns[clause.field]
    params: list[Any] = []
    if clause.value is None:
        sql = f"({column} IS NULL OR {column} = '')" if clause.kind is Kind.TEXT else (
            f"{column} IS NULL")  # fmt: skip
    elif clause.kind is Kind.TEXT and clause.operator == "~":
        if clause.field in source.fts:
            found, params = conn.dialect.substring(table, clause.field, str(clause.value))
            sql = _rows_matching(conn, found, params, rowid="rowid")
        else:
            sql, params = f"instr(lower({column}), lower(?)) > 0", [clause.value]
    elif clause.kind is Kind.TEXT:
        sql, params = f"{column} = ? COLLATE NOCASE", [clause.value]
        narrow = clause.field in source.fts and clause.field not in source.indexed_text
        if narrow and len(str(clause.value)) >= MIN_SUBSTRING:
            found, more = conn.dialect.substring(table, clause.field, str(clause.value))
            sql += f" AND t.seq IN ({found})"
            params += more
    elif clause.kind is Kind.NUMBER:
        operator = "=" if clause.operator == ":" else clause.operator
        sql, params = f"{column} {operator} ?", [clause.value]
    elif clause.kind is Kind.BOOLEAN:
        sql, params = f"{column} = ?", [int(bool(clause.value))]
    else:
        sql, params = f"{column} = ?", [clause.value]
    return _negated(sql, clause), params


def _negated(sql: str, clause: Clause) -> str:
    """A negated clause also matches objects without the field (SQL's NULL)."""
    return f"NOT coalesce(({sql}), FALSE)" if clause.negated else f"({sql})"


def search(
    conn: Connection,
    resource: str,
    query: Query,
    limit: int,
    after: tuple[int, int] | None,
) -> tuple[list[Any], bool, tuple[int, int] | None]:
    """One page of matches, newest first: the records, whether more follow, and the
    (created, seq) of the last one (where the next page starts)."""
    source = SOURCES[resource]
    parts, params = [], []
    for clause in query.clauses:
        sql, values = _clause(conn, resource, source, clause)
        parts.append(sql)
        params += values
    where = f"{source.live} AND ({f' {query.joiner} '.join(parts)})"
    if after is not None:
        where += " AND (t.created < ? OR (t.created = ? AND t.seq < ?))"
        params += [after[0], after[0], after[1]]
    mapper = source.mapper
    rows = conn.execute(
        f"{mapper.select} AS t WHERE {where} ORDER BY t.created DESC, t.seq DESC LIMIT ?",
        [*params, limit + 1],
    ).fetchall()
    edge = None
    if len(rows) > limit:
        rows = rows[:limit]
        last = mapper.record(rows[-1])
        seq = conn.execute(f"SELECT seq FROM {mapper.table} WHERE id = ?", [last.id]).fetchone()
        edge = (int(last.created), int(seq[0]))
    return [mapper.record(r) for r in rows], edge is not None, edge


# The columns of each table's trigram index (migration 8 names them the same).
INDEXED = {
    "customers": ("name", "email", "phone"),
    "invoices": ("number",),
    "products": ("name", "description", "url"),
    "prices": ("lookup_key",),
}


def defer_indexing(conn: Connection, table: str) -> int:
    """Stop the triggers indexing rows of `table` from the next seq on: FTS5 writes its
    pending terms at every savepoint, and a bulk job takes one per row. Returns that
    seq, for `index_deferred`, to be called in the same transaction."""
    start = conn.execute(f"SELECT coalesce(max(seq), 0) + 1 FROM {table}").fetchone()[0]
    conn.execute(
        "INSERT INTO meta (key, value) VALUES (?, ?)", [f"search.deferred.{table}", str(start)]
    )
    return int(start)


def index_deferred(conn: Connection, table: str, kind: str, start: int) -> None:
    """Index the rows `defer_indexing` left out (their text and their metadata, one
    statement each), and resume the triggers."""
    if table in INDEXED:
        conn.dialect.index_text(conn, table, INDEXED[table], start)
    conn.execute(
        "INSERT INTO search_metadata (kind, key, value, row) SELECT ?, j.key, j.value, t.seq "
        f"FROM {table} AS t, json_each(t.metadata) AS j WHERE t.seq >= ?",
        [kind, start],
    )
    conn.execute("DELETE FROM meta WHERE key = ?", [f"search.deferred.{table}"])
