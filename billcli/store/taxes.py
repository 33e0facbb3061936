"""Tax rates, the tax that invoices and credit notes carry per rate, and customers'
tax IDs."""

from __future__ import annotations

import json
from typing import TYPE_CHECKING, Any

from billcli.core.pagination import PageRequest
from billcli.core.tax import TaxAmount
from billcli.store.dialect import Connection
from billcli.store.mapping import Mapper, Table
from billcli.store.pages import fetch_page

if TYPE_CHECKING:
    from billcli.core.records.taxes import TaxId, TaxRate

TAX_RATES = Mapper["TaxRate"]("billcli.core.records.taxes", "TaxRate", "tax_rates")
TAX_IDS = Mapper["TaxId"]("billcli.core.records.taxes", "TaxId", "tax_ids")


class TaxRates(Table["TaxRate"]):
    mapper = TAX_RATES

    def page(
        self,
        request: PageRequest,
        *,
        active: bool | None = None,
        inclusive: bool | None = None,
        created: dict[str, int] | None = None,
    ) -> tuple[list[TaxRate], bool]:
        clauses, params = ["TRUE"], []
        for column, value in (("active", active), ("inclusive", inclusive)):
            if value is not None:
                clauses.append(f"{column} = ?")
                params.append(int(value))
        operators = {"gt": ">", "gte": ">=", "lt": "<", "lte": "<="}
        for name, bound in (created or {}).items():
            clauses.append(f"created {operators[name]} ?")
            params.append(bound)
        return fetch_page(
            self.conn,
            TAX_RATES,
            kind="tax rate",
            where=" AND ".join(clauses),
            params=params,
            request=request,
        )


class TaxIds(Table["TaxId"]):
    mapper = TAX_IDS
    owner = "customer"

    def page(self, request: PageRequest, *, customer: str) -> tuple[list[TaxId], bool]:
        return fetch_page(
            self.conn,
            TAX_IDS,
            kind="tax ID",
            where="customer = ?",
            params=[customer],
            request=request,
        )

    def of_customer(self, customer: str) -> list[TaxId]:
        """The customer's tax IDs, oldest first (as an invoice lists them)."""
        rows = self.conn.execute(
            f"{TAX_IDS.select} WHERE customer = ? ORDER BY created, seq", [customer]
        )
        return [TAX_IDS.record(r) for r in rows]

    def count_of(self, customer: str) -> int:
        found = self.conn.execute("SELECT count(*) FROM tax_ids WHERE customer = ?", [customer])
        return int(found.fetchone()[0])

    def remove(self, tax_id: str) -> None:
        self.conn.execute("DELETE FROM tax_ids WHERE id = ?", [tax_id])


def taxed_lines(conn: Connection) -> list[tuple[str, str, int, Any, list[str]]]:
    """Every invoice line that carries tax or has rates to be taxed at: (invoice, line
    id, amount after its own and its invoice's discounts, its tax amounts, the rates that
    tax it), for `ledger check` to recompute."""
    rows = conn.execute(
        "SELECT i.invoice, coalesce(i.line_id, i.id), "
        "i.amount - i.item_discount_amount - i.discount_amount, "
        "i.tax_amounts, coalesce(i.tax_rates, v.default_tax_rates) "
        "FROM invoice_items AS i JOIN invoices AS v ON v.id = i.invoice "
        "WHERE i.tax_amounts <> '[]' OR coalesce(i.tax_rates, v.default_tax_rates) <> '[]' "
        "ORDER BY i.seq"
    )
    return [(a, b, c, json.loads(d), json.loads(e)) for a, b, c, d, e in rows]


def tax_by_invoice(conn: Connection) -> dict[str, list[TaxAmount]]:
    """Each invoice's lines' tax summed per rate, in SQL."""
    rows = conn.execute(
        "SELECT i.invoice, json_extract(j.value, '$.tax_rate'), "
        "sum(CAST(json_extract(j.value, '$.amount') AS INTEGER)), "
        "sum(CAST(json_extract(j.value, '$.taxable_amount') AS INTEGER)), "
        # A JSON true reads 1 in SQLite, 'true' in PostgreSQL.
        "max(CASE WHEN CAST(json_extract(j.value, '$.inclusive') AS TEXT) IN ('1', 'true') "
        "THEN 1 ELSE 0 END) "
        "FROM invoice_items AS i, json_each(i.tax_amounts) AS j "
        "WHERE i.invoice IS NOT NULL GROUP BY 1, 2"
    )
    found: dict[str, list[TaxAmount]] = {}
    for invoice, rate, amount, taxable, inclusive in rows:
        found.setdefault(invoice, []).append(TaxAmount(rate, amount, taxable, bool(inclusive)))
    return found
