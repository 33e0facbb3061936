"""`billcli tax-rates`: the tax rates invoices, their lines and subscriptions take."""

from typing import Annotated

import typer

from billcli.cli import completers
from billcli.cli.bodies import tax_rates as body
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
)
from billcli.core.tax import TAX_TYPES

app = typer.Typer(
    help="Tax rates: exclusive (added to a line) or inclusive (carved out of it).",
    no_args_is_help=True,
)

TaxRateId = Annotated[
    str,
    typer.Argument(
        help="Tax rate id (txr_…).", show_default=False, autocompletion=completers.every_tax_rate
    ),
]
DisplayName = Annotated[
    str | None,
    typer.Option("--display-name", help="Shown on invoices, e.g. VAT (50 characters)."),
]
Country = Annotated[
    str | None, typer.Option("--country", help="Two-letter country code, e.g. DE; '' clears it.")
]
State = Annotated[
    str | None,
    typer.Option("--state", help="ISO 3166-2 subdivision without the country, e.g. NY."),
]
Jurisdiction = Annotated[
    str | None,
    typer.Option("--jurisdiction", help="A label for tax reports, shown on invoices (50 chars)."),
]
TaxType = Annotated[
    str | None,
    typer.Option(
        "--tax-type",
        help=f"{', '.join(TAX_TYPES)}.",
        autocompletion=completers.one_of(TAX_TYPES),
    ),
]
Description = Annotated[
    str | None, typer.Option("--description", help="For you only, never shown to customers.")
]


@app.command(
    "create",
    epilog=(
        "Examples: billcli tax-rates create --display-name VAT --percentage 20 --inclusive "
        "--country GB --tax-type vat · billcli tax-rates create --display-name 'Sales tax' "
        "--percentage 8.875 --country US --state NY --jurisdiction 'New York'"
    ),
)
def create(
    display_name: DisplayName = None,
    percentage: Annotated[
        str | None,
        typer.Option(
            "--percentage", help="0 to 100, at most four decimals; it never changes afterwards."
        ),
    ] = None,
    inclusive: Annotated[
        bool,
        typer.Option(
            "--inclusive",
            help="Carved out of the amounts it applies to (they include it) instead of added.",
        ),
    ] = False,
    country: Country = None,
    state: State = None,
    jurisdiction: Jurisdiction = None,
    tax_type: TaxType = None,
    description: Description = None,
    metadata: Metadata = None,
    idempotency_key: IdempotencyKey = None,
    ledger: LedgerPath = None,
    as_json: Json = False,
) -> None:
    """Create a tax rate; put it on items (--tax-rate), invoices and subscriptions
    (--default-tax-rate) or subscription items (--item-tax-rate)."""
    body.create(**locals())


@app.command("list")
def list_(
    active: Annotated[
        bool | None, typer.Option("--active/--inactive", help="Only active, or only archived.")
    ] = None,
    inclusive: Annotated[
        bool | None,
        typer.Option("--inclusive/--exclusive", help="Only inclusive, or only exclusive rates."),
    ] = None,
    limit: Limit = 10,
    starting_after: StartingAfter = None,
    ending_before: EndingBefore = None,
    all_: All = False,
    ledger: LedgerPath = None,
    as_json: Json = False,
    as_csv: Csv = False,
) -> None:
    """List tax rates, newest first."""
    body.list_(**locals())


@app.command("show")
def show(tax_rate: TaxRateId, ledger: LedgerPath = None, as_json: Json = False) -> None:
    """Show a tax rate."""
    body.show(**locals())


@app.command("update", epilog="Example: billcli tax-rates update txr_… --no-active")
def update(
    tax_rate: TaxRateId,
    active: Annotated[
        bool | None,
        typer.Option(
            "--active/--no-active",
            help="Archived rates stay on what uses them; nothing new can take them.",
        ),
    ] = None,
    display_name: DisplayName = None,
    country: Country = None,
    state: State = None,
    jurisdiction: Jurisdiction = None,
    tax_type: TaxType = None,
    description: Description = None,
    percentage: Annotated[
        str | None,
        typer.Option(
            "--percentage", help="Refused: a rate's percentage never changes (create a new rate)."
        ),
    ] = None,
    metadata: Metadata = None,
    ledger: LedgerPath = None,
    as_json: Json = False,
) -> None:
    """Archive or restore a tax rate, or change how it reads; its percentage and whether
    it is inclusive never change, as in Stripe."""
    body.update(**locals())
