"""The invoice as a billing operator reads it: header, lines, totals."""

from __future__ import annotations

from typing import Any

from rich.console import Group
from rich.panel import Panel
from rich.table import Table
from rich.text import Text

from billcli.render import invoice_print, text
from billcli.render.columns import STATUS_STYLES
from billcli.render.tables import console


def _header(o: dict[str, Any], *, with_id: bool = False) -> Table:
    """What the panel's heading does not say: `with_id`, the id too (when the heading
    would be too wide to hold it whole)."""
    table = Table.grid(padding=(0, 2))
    table.add_column(style="bold cyan", no_wrap=True)
    table.add_column()
    who = " · ".join(filter(None, [o.get("customer_name"), o.get("customer_email")]))
    due = (
        text.when(o.get("due_date"))
        if o.get("due_date")
        else "charged automatically"
        if o["collection_method"] == "charge_automatically"
        else ""
    )
    transitions = o["status_transitions"]
    rows = [
        ("ID", o["id"] if with_id else ""),
        ("Customer", f"{o['customer']}  {who}".strip()),
        ("Collection", o["collection_method"].replace("_", " ")),
        ("Created", text.when(o["created"])),
        ("Finalizes", text.when(o.get("automatically_finalizes_at"))),
        ("Finalized", text.when(transitions["finalized_at"])),
        ("Due", due if o["status"] != "draft" or o.get("due_date") else ""),
        ("Paid", text.when(transitions["paid_at"])),
        ("Voided", text.when(transitions["voided_at"])),
        ("Uncollectible", text.when(transitions["marked_uncollectible_at"])),
        ("Attempts", str(o["attempt_count"]) if o["attempted"] else ""),
        ("Next attempt", text.when(o.get("next_payment_attempt"))),
        ("Payment intent", text.plain(o.get("payment_intent"))),
        ("Latest charge", text.plain(o.get("charge"))),
        ("Memo", text.plain(o.get("description"))),
        ("Tax IDs", " · ".join(invoice_print.tax_ids(o))),
        ("Ship to", " · ".join(invoice_print.shipped_to(o))),
        ("Revises", text.plain((o.get("from_invoice") or {}).get("invoice"))),
        ("Revised by", text.plain(o.get("latest_revision"))),
        *[(field["name"], field["value"]) for field in o.get("custom_fields") or []],
        ("Footer", " · ".join(invoice_print.notes(o))),
        ("Metadata", text.metadata(o.get("metadata"))),
    ]
    for label, value in rows:
        if value:
            table.add_row(label, Text(value))
    return table


def _lines(o: dict[str, Any]) -> Table:
    table = Table(box=None, header_style="bold", padding=(0, 1), expand=False)
    table.add_column("Description", overflow="fold", min_width=20)
    table.add_column("Qty", justify="right")
    table.add_column("Unit", justify="right")
    table.add_column("Amount", justify="right")
    for description, quantity, unit, amount in text.invoice_lines(
        o["lines"]["data"], o["currency"]
    ):
        table.add_row(Text(description), quantity, unit, amount)
    if o["lines"]["has_more"]:
        where = f"billcli invoices lines {o['id']}" if "id" in o else "--json"
        table.add_row(Text(f"… more lines: {where}", style="dim"))
    return table


def _totals(o: dict[str, Any]) -> Table:
    table = Table.grid(padding=(0, 2))
    table.add_column(justify="right", style="bold")
    table.add_column(justify="right")
    for label, value in text.invoice_totals(o):
        table.add_row(label, value)
    return table


def invoice_view(o: dict[str, Any], title: str | None) -> None:
    status = Text(o["status"].upper(), style=f"bold {STATUS_STYLES.get(o['status'], '')}")
    name = o.get("number") or o.get("id") or f"next for {o['customer']}"  # a preview has no id
    heading = Text.assemble((title + ": " if title else ""), (name, "bold"), "  ", status)
    out = console()
    # The id in the heading only when the panel's top border holds it whole ("╭─ " and
    # " ─╮" around it); else it is the header's first row: an id is never cut.
    in_heading = o.get("number") and heading.cell_len + len(f"  {o['id']}") + 6 <= out.width
    if in_heading:
        heading.append(f"  {o['id']}", style="dim")
    with_id = bool(o.get("number")) and not in_heading
    out.print(
        Panel(
            Group(_header(o, with_id=with_id), Text(""), _lines(o), Text(""), _totals(o)),
            title=heading,
            title_align="left",
            expand=False,
        )
    )
    if o.get("hosted_invoice_url"):
        # Outside the panel, on one line: a URL is printed whole, to be copied.
        link = Text.assemble(("Hosted page  ", "bold cyan"), o["hosted_invoice_url"])
        out.print(link, soft_wrap=True)
