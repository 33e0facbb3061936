"""`billcli credit-notes`: money taken off a finalized invoice, before or after payment."""

from pathlib import Path
from typing import Annotated

import typer

from billcli.cli import completers
from billcli.cli.bodies import credit_notes as body
from billcli.cli.options import (
    All,
    Csv,
    CustomerFilter,
    EndingBefore,
    IdempotencyKey,
    InvoiceFilter,
    Json,
    LedgerPath,
    Limit,
    Metadata,
    StartingAfter,
    amount_help,
)

app = typer.Typer(
    help="Credit notes: lower what an unpaid invoice owes, or give back part of a paid one.",
    no_args_is_help=True,
)

CreditNoteId = Annotated[
    str,
    typer.Argument(
        help="Credit note id (cn_…).", show_default=False, autocompletion=completers.credit_notes
    ),
]
Invoice = Annotated[
    str,
    typer.Option(
        "--invoice",
        help="The invoice to credit (open, uncollectible or paid).",
        show_default=False,
        autocompletion=completers.invoices("open", "uncollectible", "paid"),
    ),
]
Amount = Annotated[
    str | None,
    typer.Option("--amount", help=amount_help("Credit this amount.")),
]
Lines = Annotated[
    list[str] | None,
    typer.Option(
        "--line",
        help=amount_help("Credit part of a line: LINE:AMOUNT or LINE:xQUANTITY (il_…); repeat it."),
        metavar="IL:AMOUNT|IL:xQTY",
    ),
]
CustomLines = Annotated[
    list[str] | None,
    typer.Option(
        "--custom-line",
        help=amount_help(
            "A line of the credit note's own (no invoice line): UNIT_AMOUNT[xQUANTITY]:"
            "DESCRIPTION; repeat it."
        ),
        metavar="AMOUNT[xQTY]:TEXT",
    ),
]
Reason = Annotated[
    str | None,
    typer.Option(
        "--reason",
        help="duplicate, fraudulent, order_change or product_unsatisfactory.",
        autocompletion=completers.one_of(
            ("duplicate", "fraudulent", "order_change", "product_unsatisfactory")
        ),
    ),
]
CreditAmount = Annotated[
    str | None,
    typer.Option(
        "--credit-amount", help=amount_help("Paid invoice: this much to the customer's balance.")
    ),
]
RefundAmount = Annotated[
    str | None,
    typer.Option("--refund-amount", help=amount_help("Paid invoice: this much back to the card.")),
]
OutOfBandAmount = Annotated[
    str | None,
    typer.Option(
        "--out-of-band-amount", help=amount_help("Paid invoice: this much given back elsewhere.")
    ),
]
Memo = Annotated[str | None, typer.Option("--memo", help="Shown on the credit note.")]


@app.command(
    "create",
    epilog=(
        "Examples: billcli credit-notes create --invoice in_… --amount 5.00 --reason "
        "order_change · billcli credit-notes create --invoice in_… --line il_…:x2 "
        "--refund-amount 4000"
    ),
)
def create(
    invoice: Invoice,
    amount: Amount = None,
    line: Lines = None,
    custom_line: CustomLines = None,
    reason: Reason = None,
    credit_amount: CreditAmount = None,
    refund_amount: RefundAmount = None,
    out_of_band_amount: OutOfBandAmount = None,
    memo: Memo = None,
    metadata: Metadata = None,
    idempotency_key: IdempotencyKey = None,
    ledger: LedgerPath = None,
    as_json: Json = False,
) -> None:
    """Issue a credit note on an invoice.

    On an open or uncollectible invoice it lowers what is due (paid once nothing
    remains). On a paid one its total goes to the customer's balance (the default), back
    to the card, or out of band: --credit-amount, --refund-amount and
    --out-of-band-amount must add up to it.
    """
    body.create(**locals())


@app.command("preview")
def preview(
    invoice: Invoice,
    amount: Amount = None,
    line: Lines = None,
    custom_line: CustomLines = None,
    reason: Reason = None,
    credit_amount: CreditAmount = None,
    refund_amount: RefundAmount = None,
    out_of_band_amount: OutOfBandAmount = None,
    memo: Memo = None,
    metadata: Metadata = None,
    ledger: LedgerPath = None,
    as_json: Json = False,
) -> None:
    """Show the credit note `create` would issue with these options; nothing is written."""
    body.preview(**locals())


@app.command("list")
def list_(
    customer: CustomerFilter = None,
    invoice: InvoiceFilter = None,
    limit: Limit = 10,
    starting_after: StartingAfter = None,
    ending_before: EndingBefore = None,
    all_: All = False,
    ledger: LedgerPath = None,
    as_json: Json = False,
    as_csv: Csv = False,
) -> None:
    """List credit notes, newest first."""
    body.list_(**locals())


@app.command("show")
def show(credit_note: CreditNoteId, ledger: LedgerPath = None, as_json: Json = False) -> None:
    """Show a credit note with its lines and where its money went."""
    body.show(**locals())


@app.command("lines")
def lines(
    credit_note: CreditNoteId,
    limit: Limit = 10,
    starting_after: StartingAfter = None,
    ending_before: EndingBefore = None,
    all_: All = False,
    ledger: LedgerPath = None,
    as_json: Json = False,
    as_csv: Csv = False,
) -> None:
    """List a credit note's lines, in order."""
    body.lines(**locals())


@app.command("update")
def update(
    credit_note: CreditNoteId,
    memo: Memo = None,
    metadata: Metadata = None,
    ledger: LedgerPath = None,
    as_json: Json = False,
) -> None:
    """Change a credit note's memo or metadata (nothing else changes)."""
    body.update(**locals())


@app.command("void")
def void(credit_note: CreditNoteId, ledger: LedgerPath = None, as_json: Json = False) -> None:
    """Void a credit note of an invoice still unpaid: what it took off is due again."""
    body.void(**locals())


@app.command("pdf")
def pdf(
    credit_note: CreditNoteId,
    output: Annotated[
        Path,
        typer.Option("--output", "-o", help="File to write; - writes to stdout.", dir_okay=False),
    ],
    ledger: LedgerPath = None,
) -> None:
    """Write the credit note as a PDF, in the style of its invoice's.

    Example: billcli credit-notes pdf cn_… -o credit-note.pdf
    """
    body.pdf(**locals())
