"""The append-only customer balance transaction ledger."""

from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING

from billcli.core.pagination import PageRequest
from billcli.store.codec import compact
from billcli.store.dialect import Connection
from billcli.store.mapping import Mapper, Owned
from billcli.store.pages import fetch_page

if TYPE_CHECKING:
    from billcli.core.records import BalanceTransaction

RECORDS = "billcli.core.records"
TRANSACTIONS = Mapper["BalanceTransaction"](RECORDS, "BalanceTransaction", "balance_transactions")


class BalanceTransactions(Owned):
    owner = "customer"

    def __init__(self, conn: Connection):
        self.conn = conn

    def add(self, t: BalanceTransaction) -> None:
        TRANSACTIONS.add_many(self.conn, [t])
        self.claim([t])

    def add_many(self, txns: list[BalanceTransaction]) -> None:
        """Append transactions in one statement batch (the bulk import path)."""
        TRANSACTIONS.add_many(self.conn, txns)
        self.claim(txns)

    def get(self, customer_id: str, txn_id: str) -> BalanceTransaction | None:
        row = self.conn.execute(
            f"{TRANSACTIONS.select} WHERE id = ? AND customer = ?", [txn_id, customer_id]
        ).fetchone()
        return TRANSACTIONS.record(row) if row else None

    def annotate(self, txn_id: str, description: str | None, metadata: dict[str, str]) -> None:
        """Change the only two fields a transaction allows to change."""
        self.conn.execute(
            "UPDATE balance_transactions SET description = ?, metadata = ? WHERE id = ?",
            [description, compact(metadata), txn_id],
        )

    def page(
        self, customer_id: str, request: PageRequest, *, invoice: str | None = None
    ) -> tuple[list[BalanceTransaction], bool]:
        return fetch_page(
            self.conn,
            TRANSACTIONS,
            kind="customer balance transaction",
            where="customer = ?" + (" AND invoice = ?" if invoice is not None else ""),
            params=[customer_id] + ([invoice] if invoice is not None else []),
            request=request,
        )

    def of_invoice(self, invoice_id: str) -> list[BalanceTransaction]:
        rows = self.conn.execute(
            f"{TRANSACTIONS.select} WHERE invoice = ? ORDER BY seq", [invoice_id]
        )
        return [TRANSACTIONS.record(r) for r in rows]

    def sums_by_invoice(self) -> dict[str, dict[str, int]]:
        """For each invoice, its linked transactions summed by type."""
        sums: dict[str, dict[str, int]] = {}
        rows = self.conn.execute(
            "SELECT invoice, type, sum(amount) FROM balance_transactions "
            "WHERE invoice IS NOT NULL GROUP BY invoice, type"
        )
        for invoice, type_, total in rows:
            sums.setdefault(invoice, {})[type_] = total
        return sums

    def in_write_order(self) -> Iterator[BalanceTransaction]:
        for row in self.conn.execute(f"{TRANSACTIONS.select} ORDER BY seq"):
            yield TRANSACTIONS.record(row)

    def count(self) -> int:
        return int(self.conn.execute("SELECT count(*) FROM balance_transactions").fetchone()[0])
