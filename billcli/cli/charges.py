"""`billcli charges`: every attempt that reached a card, succeeded or failed."""

from typing import Annotated

import typer

from billcli.cli import completers
from billcli.cli.bodies import charges as body
from billcli.cli.options import (
    All,
    Csv,
    CustomerFilter,
    EndingBefore,
    Json,
    LedgerPath,
    Limit,
    StartingAfter,
    declare_search,
)

app = typer.Typer(
    help="Charges: each attempt at a card, with its outcome and refunds.", no_args_is_help=True
)


@app.command("list")
def list_(
    customer: CustomerFilter = None,
    payment_intent: Annotated[
        str | None,
        typer.Option(
            "--payment-intent",
            help="Only this intent's charges.",
            autocompletion=completers.payment_intents(),
        ),
    ] = None,
    limit: Limit = 10,
    starting_after: StartingAfter = None,
    ending_before: EndingBefore = None,
    all_: All = False,
    ledger: LedgerPath = None,
    as_json: Json = False,
    as_csv: Csv = False,
) -> None:
    """List charges, newest first."""
    body.list_(**locals())


@app.command("show")
def show(
    charge: Annotated[
        str,
        typer.Argument(
            help="Charge id (ch_…).", show_default=False, autocompletion=completers.charges
        ),
    ],
    ledger: LedgerPath = None,
    as_json: Json = False,
) -> None:
    """Show a charge: its card, outcome, failure and refunds."""
    body.show(**locals())


declare_search(app, __name__, "charge", "status:'failed'", "refunded:'true' AND currency:'usd'")
