"""Invoices and credit notes as PDF documents (fpdf2): `invoices pdf`, `credit-notes pdf`
and the `invoice_pdf` and credit note `pdf` URLs.

Text is drawn in the fonts billcli ships, shaped by HarfBuzz (`render.pdf_fonts`); a
character no font has prints as U+FFFD and is reported.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any

from fpdf import FPDF
from fpdf.enums import XPos, YPos

from billcli.core.dates import utc_date
from billcli.render import invoice_print, pdf_fonts, text

if TYPE_CHECKING:
    from billcli.services.invoicing.credit_notes import CreditNoteDocument
    from billcli.services.invoicing.hosted import InvoiceDocument

_INK = (33, 37, 41)
_MUTED = (108, 117, 125)
_HEADING = ("Description", "Qty", "Unit", "Amount")


@dataclass(frozen=True)
class Pdf:
    """A rendered document, and what could not be printed in it (None: everything)."""

    data: bytes
    warning: str | None


def _facts(o: dict[str, Any]) -> list[tuple[str, str]]:
    printed = invoice_print.details(o)
    facts = [
        printed[0],
        ("Customer", o["customer"]),
        ("Issued", invoice_print.issued(o)),
        ("Due", utc_date(o["due_date"]) if o.get("due_date") else "charged automatically"),
        *printed[1:],
    ]
    if o["status_transitions"]["paid_at"]:
        facts.append(("Paid", utc_date(o["status_transitions"]["paid_at"])))
    if o.get("description"):
        facts.append(("Memo", o["description"]))
    return facts


def invoice_pdf(document: InvoiceDocument) -> Pdf:
    """One invoice: header, bill-to, every line, the totals, its credit notes, the status."""
    o = document.invoice
    pay = f"Pay online: {o['hosted_invoice_url']}" if o.get("hosted_invoice_url") else None
    credits = [
        (f"Credit note {cn['number']} ({cn['status']})", text.money(-cn["total"], cn["currency"]))
        for cn in document.credit_notes
    ]
    foot = [*invoice_print.notes(o), *([pay] if pay and o["status"] == "open" else [])]
    return _document(
        title=f"Invoice {o.get('number') or o['id']}",
        status=f"Status: {o['status']}   ·   {o['id']}",
        facts=_facts(o),
        rows=text.invoice_lines(document.lines, o["currency"]),
        totals=text.invoice_totals(o) + credits,
        footer="\n".join(foot) or None,
        created=o["created"],
        page_size=((o.get("rendering") or {}).get("pdf") or {}).get("page_size"),
    )


def credit_note_pdf(document: CreditNoteDocument) -> Pdf:
    """One credit note, in its invoice's style: what it credits and where the money went."""
    cn, invoice = document.credit_note, document.invoice
    facts = [
        (
            "Credited to",
            " ".join(filter(None, [invoice.get("customer_name"), invoice.get("customer_email")])),
        ),
        ("Customer", cn["customer"]),
        ("Invoice", f"{invoice.get('number')} ({invoice['id']})"),
        ("Issued", utc_date(cn["created"])),
    ]
    if cn.get("effective_at") not in (None, cn["created"]):
        facts[3] = ("Issued", utc_date(cn["effective_at"]))
    if cn.get("reason"):
        facts.append(("Reason", cn["reason"].replace("_", " ")))
    if cn.get("memo"):
        facts.append(("Memo", cn["memo"]))
    if cn.get("voided_at"):
        facts.append(("Voided", utc_date(cn["voided_at"])))
    return _document(
        title=f"Credit note {cn['number']}",
        status=f"Status: {cn['status']}   ·   {cn['id']}",
        facts=facts,
        rows=text.credit_note_lines(document.lines, cn["currency"]),
        totals=text.credit_note_totals(cn, document.refunded),
        footer=None,
        created=cn["created"],
    )


def _document(
    *,
    title: str,
    status: str,
    facts: list[tuple[str, str]],
    rows: list[tuple[str, str, str, str]],
    totals: list[tuple[str, str]],
    footer: str | None,
    created: int,
    page_size: str | None = None,
) -> Pdf:
    """The page every billcli document shares: a title, facts, a table of lines, totals
    (on US letter paper when the invoice asks for it, A4 otherwise)."""
    table_rows = [_HEADING, *rows]
    fonts = pdf_fonts.plan(
        [title, status, footer or "", *(v for pair in facts + totals for v in pair)]
        + [cell for row in table_rows for cell in row]
    )
    shown = fonts.printable

    pdf = FPDF(format="Letter" if page_size == "letter" else "A4")
    fonts.install(pdf)
    pdf.set_auto_page_break(auto=True, margin=18)
    pdf.set_title(shown(title))
    pdf.set_creator("billcli")
    pdf.set_creation_date(datetime.fromtimestamp(created, UTC))
    pdf.add_page()
    pdf.set_text_color(*_INK)
    pdf.set_font(pdf_fonts.FAMILY, "B", 20)
    pdf.cell(0, 10, shown(title), new_x=XPos.LMARGIN, new_y=YPos.NEXT)
    pdf.set_font(pdf_fonts.FAMILY, "", 10)
    pdf.set_text_color(*_MUTED)
    pdf.cell(0, 6, shown(status), new_x=XPos.LMARGIN, new_y=YPos.NEXT)
    pdf.ln(4)

    pdf.set_text_color(*_INK)
    for label, value in facts:
        pdf.set_font(pdf_fonts.FAMILY, "B", 10)
        pdf.cell(30, 6, shown(label))
        pdf.set_font(pdf_fonts.FAMILY, "", 10)
        pdf.multi_cell(0, 6, shown(value), new_x=XPos.LMARGIN, new_y=YPos.NEXT)
    pdf.ln(4)

    pdf.set_font(pdf_fonts.FAMILY, "", 10)
    with pdf.table(
        col_widths=(100, 20, 35, 35),
        text_align=("LEFT", "RIGHT", "RIGHT", "RIGHT"),
        first_row_as_headings=True,
        line_height=7,
    ) as table:
        for row in table_rows:
            cells = table.row()
            for value in row:
                cells.cell(shown(value))
    pdf.ln(4)

    for label, value in totals:
        strong = label in ("Total", "Amount due", "Remaining")
        pdf.set_font(pdf_fonts.FAMILY, "B" if strong else "", 10)
        pdf.cell(140, 6, shown(label), align="R")
        pdf.cell(0, 6, shown(value), align="R", new_x=XPos.LMARGIN, new_y=YPos.NEXT)

    if footer:
        pdf.ln(6)
        pdf.set_font(pdf_fonts.FAMILY, "", 9)
        pdf.set_text_color(*_MUTED)
        pdf.multi_cell(0, 5, shown(footer))
    return Pdf(bytes(pdf.output()), fonts.warning())
