"""The invoice as a PDF document (fpdf2), for `invoices pdf` and the `invoice_pdf` URL.

Text is drawn in DejaVu Sans, with the system's fonts for scripts it lacks
(`render.pdf_fonts`); a character no font has prints as U+FFFD and is reported.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from fpdf import FPDF
from fpdf.enums import XPos, YPos

from billcli.core.dates import utc_date
from billcli.render import pdf_fonts, text
from billcli.services.hosted_invoices import InvoiceDocument

_INK = (33, 37, 41)
_MUTED = (108, 117, 125)
_HEADING = ("Description", "Qty", "Unit", "Amount")


@dataclass(frozen=True)
class Pdf:
    """A rendered document, and what could not be printed in it (None: everything)."""

    data: bytes
    warning: str | None


def _facts(o: dict[str, Any]) -> list[tuple[str, str]]:
    facts = [
        ("Bill to", " ".join(filter(None, [o.get("customer_name"), o.get("customer_email")]))),
        ("Customer", o["customer"]),
        ("Issued", utc_date(o["status_transitions"]["finalized_at"] or o["created"])),
        ("Due", utc_date(o["due_date"]) if o.get("due_date") else "charged automatically"),
    ]
    if o["status_transitions"]["paid_at"]:
        facts.append(("Paid", utc_date(o["status_transitions"]["paid_at"])))
    if o.get("description"):
        facts.append(("Memo", o["description"]))
    return facts


def invoice_pdf(document: InvoiceDocument) -> Pdf:
    """One invoice: header, bill-to, every line, the totals, the status."""
    o = document.invoice
    title = f"Invoice {o.get('number') or o['id']}"
    status = f"Status: {o['status']}   ·   {o['id']}"
    facts = _facts(o)
    rows = [_HEADING, *text.invoice_lines(document.lines, o["currency"])]
    totals = text.invoice_totals(o)
    pay = f"Pay online: {o['hosted_invoice_url']}" if o.get("hosted_invoice_url") else None
    fonts = pdf_fonts.plan(
        [title, status, pay or "", *(v for pair in facts + totals for v in pair)]
        + [cell for row in rows for cell in row]
    )
    shown = fonts.printable

    pdf = FPDF(format="A4")
    fonts.install(pdf)
    pdf.set_auto_page_break(auto=True, margin=18)
    pdf.set_title(shown(title))
    pdf.set_creator("billcli")
    pdf.set_creation_date(datetime.fromtimestamp(o["created"], UTC))
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
        for row in rows:
            cells = table.row()
            for value in row:
                cells.cell(shown(value))
    pdf.ln(4)

    for label, value in totals:
        strong = label in ("Total", "Amount due", "Remaining")
        pdf.set_font(pdf_fonts.FAMILY, "B" if strong else "", 10)
        pdf.cell(140, 6, shown(label), align="R")
        pdf.cell(0, 6, shown(value), align="R", new_x=XPos.LMARGIN, new_y=YPos.NEXT)

    if pay and o["status"] == "open":
        pdf.ln(6)
        pdf.set_font(pdf_fonts.FAMILY, "", 9)
        pdf.set_text_color(*_MUTED)
        pdf.multi_cell(0, 5, shown(pay))
    return Pdf(bytes(pdf.output()), fonts.warning())
