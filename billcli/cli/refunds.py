"""`billcli refunds`: money given back on a charge."""

from typing import Annotated

import typer

from billcli.cli import completers
from billcli.cli.bodies import refunds as body
from billcli.cli.options import (
    All,
    Csv,
    EndingBefore,
    IdempotencyKey,
    Json,
    LedgerPath,
    Limit,
    Metadata,
    StartingAfter,
    amount_help,
)

app = typer.Typer(
    help="Refunds: give back all or part of a succeeded charge.", no_args_is_help=True
)

Charge = Annotated[
    str | None,
    typer.Option("--charge", help="The charge (ch_…).", autocompletion=completers.charges),
]
PaymentIntent = Annotated[
    str | None,
    typer.Option(
        "--payment-intent",
        help="The payment intent whose charge to refund (pi_…).",
        autocompletion=completers.payment_intents("succeeded"),
    ),
]


@app.command(
    "create",
    epilog="Example: billcli refunds create --charge ch_… --amount 5.00 --reason duplicate",
)
def create(
    charge: Charge = None,
    payment_intent: PaymentIntent = None,
    amount: Annotated[
        str | None,
        typer.Option(
            "--amount", help=amount_help("How much to refund; all that is left by default.")
        ),
    ] = None,
    reason: Annotated[
        str | None,
        typer.Option(
            "--reason",
            help="duplicate, fraudulent or requested_by_customer.",
            autocompletion=completers.one_of(("duplicate", "fraudulent", "requested_by_customer")),
        ),
    ] = None,
    metadata: Metadata = None,
    idempotency_key: IdempotencyKey = None,
    ledger: LedgerPath = None,
    as_json: Json = False,
) -> None:
    """Refund a charge (or a payment intent's charge): never more than it has left."""
    body.create(**locals())


@app.command("list")
def list_(
    charge: Charge = None,
    payment_intent: PaymentIntent = None,
    limit: Limit = 10,
    starting_after: StartingAfter = None,
    ending_before: EndingBefore = None,
    all_: All = False,
    ledger: LedgerPath = None,
    as_json: Json = False,
    as_csv: Csv = False,
) -> None:
    """List refunds, newest first."""
    body.list_(**locals())


@app.command("show")
def show(
    refund: Annotated[
        str,
        typer.Argument(
            help="Refund id (re_…).", show_default=False, autocompletion=completers.refunds
        ),
    ],
    ledger: LedgerPath = None,
    as_json: Json = False,
) -> None:
    """Show a refund."""
    body.show(**locals())
