"""`billcli reports`: revenue, MRR, receivables aging, customer balances, tax and usage."""

from typing import Annotated

import typer

from billcli.cli import completers
from billcli.cli.bodies import reports as body
from billcli.cli.options import Csv, Json, LedgerPath

app = typer.Typer(
    help="Reports: revenue, recurring revenue, what customers owe and are owed, tax, usage.",
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


Currency = Annotated[
    str | None,
    typer.Option("--currency", help="Only this currency.", autocompletion=completers.currencies),
]


def _per_currency(name: str, summary: str, example: str) -> None:
    """Declares `reports NAME` (its body is `bodies.reports.NAME`): revenue and tax take
    the same options, so they are declared once."""

    def report(
        by: By = None,
        from_: From = None,
        to: To = None,
        currency: Currency = None,
        ledger: LedgerPath = None,
        as_json: Json = False,
        as_csv: Csv = False,
    ) -> None:
        options = {"by": by, "from_": from_, "to": to, "currency": currency, "ledger": ledger}
        getattr(body, name)(**options, as_json=as_json, as_csv=as_csv)

    report.__name__ = report.__qualname__ = name
    report.__doc__ = summary
    app.command(name, epilog=f"Example: {example}")(report)


_per_currency(
    "revenue",
    "Invoiced, collected, credit applied, credit notes, voided, written off and net, per "
    "period and currency, net of tax; and the tax collected beside them.",
    "billcli reports revenue --by week --from 2027-01-01",
)
_per_currency(
    "tax",
    "Tax per rate, jurisdiction and period: invoiced, credited, voided and net, with the "
    "taxable amount it was computed on.",
    "billcli reports tax --by month --from 2027-01-01",
)


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
