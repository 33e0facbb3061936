"""`billcli reports`: revenue, MRR, receivables aging, customer balances and usage."""

from typing import Annotated

import typer

from billcli.cli import completers
from billcli.cli.bodies import reports as body
from billcli.cli.options import Csv, Json, LedgerPath

app = typer.Typer(
    help="Reports: revenue, recurring revenue, what customers owe, what is owed to them, usage.",
    no_args_is_help=True,
)

By = Annotated[
    str | None,
    typer.Option(
        "--by",
        help="day, week or month (default).",
        autocompletion=completers.one_of(("day", "week", "month")),
    ),
]
From = Annotated[
    str | None,
    typer.Option("--from", help="Start (ISO 8601 or unix) [default: 12 periods back]."),
]
To = Annotated[
    str | None, typer.Option("--to", help="End (ISO 8601 or unix) [default: the ledger clock].")
]


@app.command("revenue", epilog="Example: billcli reports revenue --by week --from 2027-01-01")
def revenue(
    by: By = None,
    from_: From = None,
    to: To = None,
    currency: Annotated[
        str | None,
        typer.Option(
            "--currency", help="Only this currency.", autocompletion=completers.currencies
        ),
    ] = None,
    ledger: LedgerPath = None,
    as_json: Json = False,
    as_csv: Csv = False,
) -> None:
    """Invoiced, collected, credit applied, credit notes, voided, written off and net,
    per period and currency."""
    body.revenue(**locals())


@app.command("mrr", epilog="Example: billcli reports mrr --from 2027-01-01")
def mrr(
    by: By = None,
    from_: From = None,
    to: To = None,
    ledger: LedgerPath = None,
    as_json: Json = False,
    as_csv: Csv = False,
) -> None:
    """Monthly recurring revenue and ARR per currency, with new, expansion, contraction,
    churned and reactivated MRR, paying subscriptions and customers, and net revenue
    retention."""
    body.mrr(**locals())


@app.command("aging", epilog="Example: billcli reports aging --as-of 2027-06-30")
def aging(
    as_of: Annotated[
        str | None,
        typer.Option("--as-of", help="When (ISO 8601 or unix) [default: the ledger clock]."),
    ] = None,
    ledger: LedgerPath = None,
    as_json: Json = False,
    as_csv: Csv = False,
) -> None:
    """What customers owe, by days past due (current, 1-30, 31-60, 61-90, 90+): due date
    for send_invoice, finalization for charge_automatically."""
    body.aging(**locals())


@app.command("balances")
def balances(
    from_: From = None,
    to: To = None,
    ledger: LedgerPath = None,
    as_json: Json = False,
    as_csv: Csv = False,
) -> None:
    """Customer credit (a liability) and debit per currency, the largest balances, and
    how the total moved over the period."""
    body.balances(**locals())


@app.command("usage", epilog="Example: billcli reports usage --meter mtr_… --by day")
def usage(
    meter: Annotated[
        str | None,
        typer.Option("--meter", help="Only this meter (mtr_…).", autocompletion=completers.meters),
    ] = None,
    by: By = None,
    from_: From = None,
    to: To = None,
    ledger: LedgerPath = None,
    as_json: Json = False,
    as_csv: Csv = False,
) -> None:
    """Usage per meter and period over all customers, and how many customers had any."""
    body.usage(**locals())
