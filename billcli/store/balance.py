"""The append-only customer balance transaction ledger."""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Iterator

from billcli.core.pagination import PageRequest
from billcli.core.records import BalanceTransaction
from billcli.store.codec import compact
from billcli.store.pages import fetch_page

_COLUMNS = (
    "id",
    "customer",
    "created",
    "amount",
    "currency",
    "ending_balance",
    "type",
    "description",
    "invoice",
    "credit_note",
    "metadata",
)
_SELECT = f"SELECT {', '.join(_COLUMNS)} FROM balance_transactions"
_INSERT = (
    f"INSERT INTO balance_transactions ({', '.join(_COLUMNS)}) "
    f"VALUES ({', '.join('?' * len(_COLUMNS))})"
)


def _transaction(row: sqlite3.Row | tuple[object, ...]) -> BalanceTransaction:
    values = list(row)
    values[-1] = json.loads(str(values[-1]))
    return BalanceTransaction(*values)


class BalanceTransactions:
    def __init__(self, conn: sqlite3.Connection):
        self.conn = conn

    def add(self, t: BalanceTransaction) -> None:
        self.add_many([t])

    def add_many(self, txns: list[BalanceTransaction]) -> None:
        """Append transactions in one statement batch (the bulk import path)."""
        self.conn.executemany(
            _INSERT,
            [
                (
                    t.id,
                    t.customer,
                    t.created,
                    t.amount,
                    t.currency,
                    t.ending_balance,
                    t.type,
                    t.description,
                    t.invoice,
                    t.credit_note,
                    compact(t.metadata) if t.metadata else "{}",
                )
                for t in txns
            ],
        )

    def get(self, customer_id: str, txn_id: str) -> BalanceTransaction | None:
        row = self.conn.execute(
            f"{_SELECT} WHERE id = ? AND customer = ?", [txn_id, customer_id]
        ).fetchone()
        return _transaction(row) if row else None

    def annotate(self, txn_id: str, description: str | None, metadata: dict[str, str]) -> None:
        """Change the only two fields a transaction allows to change."""
        self.conn.execute(
            "UPDATE balance_transactions SET description = ?, metadata = ? WHERE id = ?",
            [description, compact(metadata), txn_id],
        )

    def page(self, customer_id: str, request: PageRequest) -> tuple[list[BalanceTransaction], bool]:
        rows, has_more = fetch_page(
            self.conn,
            table="balance_transactions",
            kind="customer balance transaction",
            where="customer = ?",
            params=[customer_id],
            request=request,
        )
        return [_transaction(tuple(r[c] for c in _COLUMNS)) for r in rows], has_more

    def in_write_order(self) -> Iterator[BalanceTransaction]:
        for row in self.conn.execute(f"{_SELECT} ORDER BY seq"):
            yield _transaction(row)

    def count(self) -> int:
        return int(self.conn.execute("SELECT count(*) FROM balance_transactions").fetchone()[0])
