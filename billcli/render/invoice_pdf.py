"""The invoice as a PDF document (fpdf2), for `invoices pdf` and the `invoice_pdf` URL.

The PDF uses the standard Helvetica font, which covers Latin-1; characters outside it
print as "?" rather than failing the document.
"""

from __future__ import annotations

from datetime import UTC, datetime

from fpdf import FPDF
from fpdf.enums import XPos, YPos

from billcli.core.dates import utc_date
from billcli.render import text
from billcli.services.hosted_invoices import InvoiceDocument

_INK = (33, 37, 41)
_MUTED = (108, 117, 125)


def _latin1(value: object) -> str:
    return str(value).encode("latin-1", "replace").decode("latin-1")


def invoice_pdf(document: InvoiceDocument) -> bytes:
    """The PDF bytes of one invoice: header, bill-to, every line, the totals, the status."""
    o = document.invoice
    pdf = FPDF(format="A4")
    pdf.set_auto_page_break(auto=True, margin=18)
    title = f"Invoice {o.get('number') or o['id']}"
    pdf.set_title(_latin1(title))
    pdf.set_creator("billcli")
    pdf.set_creation_date(datetime.fromtimestamp(o["created"], UTC))
    pdf.add_page()
    pdf.set_text_color(*_INK)

    pdf.set_font("Helvetica", "B", 20)
    pdf.cell(0, 10, _latin1(title), new_x=XPos.LMARGIN, new_y=YPos.NEXT)
    pdf.set_font("Helvetica", "", 10)
    pdf.set_text_color(*_MUTED)
    pdf.cell(
        0, 6, _latin1(f"Status: {o['status']}   ·   {o['id']}"), new_x=XPos.LMARGIN, new_y=YPos.NEXT
    )
    pdf.ln(4)

    pdf.set_text_color(*_INK)
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
    for label, value in facts:
        pdf.set_font("Helvetica", "B", 10)
        pdf.cell(30, 6, _latin1(label))
        pdf.set_font("Helvetica", "", 10)
        pdf.multi_cell(0, 6, _latin1(value), new_x=XPos.LMARGIN, new_y=YPos.NEXT)
    pdf.ln(4)

    pdf.set_font("Helvetica", "", 10)
    with pdf.table(
        col_widths=(100, 20, 35, 35),
        text_align=("LEFT", "RIGHT", "RIGHT", "RIGHT"),
        first_row_as_headings=True,
        line_height=7,
    ) as table:
        heading = ("Description", "Qty", "Unit", "Amount")
        for row in [heading, *text.invoice_lines(document.lines, o["currency"])]:
            cells = table.row()
            for value in row:
                cells.cell(_latin1(value))
    pdf.ln(4)

    for label, value in text.invoice_totals(o):
        strong = label in ("Total", "Amount due", "Remaining")
        pdf.set_font("Helvetica", "B" if strong else "", 10)
        pdf.cell(140, 6, _latin1(label), align="R")
        pdf.cell(0, 6, _latin1(value), align="R", new_x=XPos.LMARGIN, new_y=YPos.NEXT)

    if o.get("hosted_invoice_url") and o["status"] == "open":
        pdf.ln(6)
        pdf.set_font("Helvetica", "", 9)
        pdf.set_text_color(*_MUTED)
        pdf.multi_cell(0, 5, _latin1(f"Pay online: {o['hosted_invoice_url']}"))
    return bytes(pdf.output())
