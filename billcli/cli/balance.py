"""`billcli balance`: the customer balance transaction ledger (credits and debits)."""

from pathlib import Path
from typing import Annotated

import typer

from billcli.cli import completers
from billcli.cli.bodies import balance as body
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
    help="Credit and debit customer balances; list and annotate transactions.", no_args_is_help=True
)

CustomerId = Annotated[
    str,
    typer.Argument(
        help="Customer id (cus_…); TAB completes ids, names and emails.",
        show_default=False,
        shell_complete=completers.customers,
    ),
]
TransactionId = Annotated[
    str,
    typer.Argument(
        help="Balance transaction id (cbtxn_…) of that customer.",
        show_default=False,
        autocompletion=completers.balance_transactions,
    ),
]
Description = Annotated[str | None, typer.Option("--description", help="What it is for.")]


@app.command(
    "create",
    epilog=(
        "Example: billcli balance create cus_… --amount -500 --description "
        "'Goodwill credit' (a $5.00 credit)"
    ),
)
def create(
    customer: CustomerId,
    amount: Annotated[
        str,
        typer.Option(
            "--amount",
            show_default=False,
            help=amount_help("Negative credits the customer, positive debits."),
        ),
    ],
    currency: Annotated[
        str | None,
        typer.Option(
            "--currency",
            help="Must be the customer's currency.",
            autocompletion=completers.currencies,
        ),
    ] = None,
    description: Description = None,
    metadata: Metadata = None,
    idempotency_key: IdempotencyKey = None,
    ledger: LedgerPath = None,
    as_json: Json = False,
) -> None:
    """Adjust a customer's balance with an `adjustment` transaction."""
    body.create(**locals())


@app.command("list")
def list_(
    customer: CustomerId,
    limit: Limit = 10,
    starting_after: StartingAfter = None,
    ending_before: EndingBefore = None,
    all_: All = False,
    ledger: LedgerPath = None,
    as_json: Json = False,
    as_csv: Csv = False,
) -> None:
    """List a customer's balance transactions, newest first."""
    body.list_(**locals())


@app.command("show")
def show(
    customer: CustomerId,
    transaction: TransactionId,
    ledger: LedgerPath = None,
    as_json: Json = False,
) -> None:
    """Show one balance transaction of a customer."""
    body.show(**locals())


@app.command("update")
def update(
    customer: CustomerId,
    transaction: TransactionId,
    description: Description = None,
    metadata: Metadata = None,
    ledger: LedgerPath = None,
    as_json: Json = False,
) -> None:
    """Change a transaction's description or metadata (nothing else can change)."""
    body.update(**locals())


ImportFile = Annotated[
    Path,
    typer.Argument(
        help="CSV with a header row, or JSON Lines.",
        show_default=False,
        exists=False,
        dir_okay=False,
    ),
]


@app.command(
    "import",
    epilog=(
        "Example: billcli balance import adjustments.csv (columns: "
        "customer,amount,description,idempotency_key)"
    ),
)
def import_(file: ImportFile, ledger: LedgerPath = None, as_json: Json = False) -> None:
    """Apply a file of adjustments in one transaction, or nothing (errors name the rows).

    Columns: customer, amount, currency, description, metadata (a JSON object) and
    idempotency_key. Rows whose key was already used are skipped, so re-running the
    same file applies nothing twice.
    """
    body.import_(**locals())
