"""Credit notes and their lines."""

from __future__ import annotations

from typing import TYPE_CHECKING

from billcli.core.pagination import PageRequest
from billcli.store.mapping import Mapper, Table
from billcli.store.pages import fetch_page

if TYPE_CHECKING:
    from billcli.core.records.credit_notes import CreditNote, CreditNoteLine

RECORDS = "billcli.core.records.credit_notes"
CREDIT_NOTES = Mapper["CreditNote"](RECORDS, "CreditNote", "credit_notes")
LINES = Mapper["CreditNoteLine"](RECORDS, "CreditNoteLine", "credit_note_lines")


CREDIT_NOTES = Mapper["CreditNote"](RECORDS, "CreditNote", "credit_notes")


LINES = Mapper["CreditNoteLine"](RECORDS, "CreditNoteLine", "credit_note_lines")


class CreditNotes(Table["CreditNote"]):
    owner = "customer"
    mapper = CREDIT_NOTES

    def of_invoice(self, invoice_id: str) -> list[CreditNote]:
        rows = self.conn.execute(
            f"{CREDIT_NOTES.select} WHERE invoice = ? ORDER BY created, seq", [invoice_id]
        )
        return [CREDIT_NOTES.record(r) for r in rows]

    def page(
        self, request: PageRequest, *, customer: str | None = None, invoice: str | None = None
    ) -> tuple[list[CreditNote], bool]:
        clauses, params = ["TRUE"], []
        for column, value in (("customer", customer), ("invoice", invoice)):
            if value is not None:
                clauses.append(f"{column} = ?")
                params.append(value)
        return fetch_page(
            self.conn,
            CREDIT_NOTES,
            kind="credit note",
            where=" AND ".join(clauses),
            params=params,
            request=request,
        )


class CreditNoteLines(Table["CreditNoteLine"]):
    mapper = LINES

    def page(self, credit_note: str, request: PageRequest) -> tuple[list[CreditNoteLine], bool]:
        return fetch_page(
            self.conn,
            LINES,
            kind="credit note line item",
            where="credit_note = ?",
            params=[credit_note],
            request=request,
            oldest_first=True,
        )

    def of(self, credit_note: str) -> list[CreditNoteLine]:
        rows = self.conn.execute(
            f"{LINES.select} WHERE credit_note = ? ORDER BY seq", [credit_note]
        )
        return [LINES.record(r) for r in rows]

    def of_invoice(self, invoice_id: str) -> list[CreditNoteLine]:
        """The lines of the invoice's credit notes that are not void."""
        rows = self.conn.execute(
            f"{LINES.select} WHERE credit_note IN (SELECT id FROM credit_notes WHERE "
            "invoice = ? AND status = 'issued') ORDER BY seq",
            [invoice_id],
        )
        return [LINES.record(r) for r in rows]
