"""`billcli invoices items`: charges waiting for an invoice, or lines of a draft."""

from typing import Annotated

import typer

from billcli.cli import completers
from billcli.cli.bodies import invoice_items as body
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
    help="Invoice items: pending charges, or lines of a draft invoice.", no_args_is_help=True
)

ItemId = Annotated[
    str,
    typer.Argument(
        help="Invoice item id (ii_…).", show_default=False, autocompletion=completers.invoice_items
    ),
]
Amount = Annotated[
    str | None, typer.Option("--amount", help=amount_help("The total (negative allowed)."))
]
UnitAmount = Annotated[
    str | None, typer.Option("--unit-amount", help=amount_help("The price of one unit."))
]
Quantity = Annotated[
    int | None, typer.Option("--quantity", help="Units (with --unit-amount or --price).")
]
Description = Annotated[str | None, typer.Option("--description", help="Shown on the invoice.")]
PeriodStart = Annotated[
    str | None, typer.Option("--period-start", help="What it bills for starts (with --period-end).")
]
PeriodEnd = Annotated[str | None, typer.Option("--period-end", help="…and ends at this time.")]
Discountable = Annotated[
    bool | None,
    typer.Option(
        "--discountable/--no-discountable",
        help="Whether discounts apply to it (default: yes, but for credits).",
        show_default=False,
    ),
]
ItemCoupons = Annotated[
    list[str] | None,
    typer.Option(
        "--coupon",
        help="A discount of its own (it alone is discounted); repeat it; '' removes them.",
        autocompletion=completers.coupons,
    ),
]


@app.command(
    "create",
    epilog=(
        "Example: billcli invoices items create --customer cus_… --unit-amount "
        "4000 --quantity 3 --description 'Engine rental'"
    ),
)
def create(
    customer: Annotated[
        str,
        typer.Option(
            "--customer",
            help="Customer id (cus_…).",
            show_default=False,
            shell_complete=completers.customers,
        ),
    ],
    amount: Amount = None,
    unit_amount: UnitAmount = None,
    quantity: Quantity = None,
    currency: Annotated[
        str | None,
        typer.Option(
            "--currency", help="Must be the customer's.", autocompletion=completers.currencies
        ),
    ] = None,
    description: Description = None,
    invoice: Annotated[
        str | None,
        typer.Option(
            "--invoice",
            help="Add to this draft invoice.",
            autocompletion=completers.invoices("draft"),
        ),
    ] = None,
    price: Annotated[
        str | None,
        typer.Option(
            "--price",
            help="A one-time price (with --quantity) instead of an amount.",
            autocompletion=completers.one_time_prices,
        ),
    ] = None,
    period_start: PeriodStart = None,
    period_end: PeriodEnd = None,
    discountable: Discountable = None,
    coupon: ItemCoupons = None,
    subscription: Annotated[
        str | None,
        typer.Option(
            "--subscription",
            help="Bill it on this subscription's next invoice.",
            autocompletion=completers.subscriptions,
        ),
    ] = None,
    metadata: Metadata = None,
    idempotency_key: IdempotencyKey = None,
    ledger: LedgerPath = None,
    as_json: Json = False,
) -> None:
    """Create an invoice item: pending for the next invoice, or on a draft."""
    body.create(**locals())


@app.command("list")
def list_(
    customer: CustomerFilter = None,
    invoice: InvoiceFilter = None,
    pending: Annotated[bool, typer.Option("--pending", help="Only items on no invoice.")] = False,
    limit: Limit = 10,
    starting_after: StartingAfter = None,
    ending_before: EndingBefore = None,
    all_: All = False,
    ledger: LedgerPath = None,
    as_json: Json = False,
    as_csv: Csv = False,
) -> None:
    """List invoice items, newest first."""
    body.list_(**locals())


@app.command("show")
def show(item: ItemId, ledger: LedgerPath = None, as_json: Json = False) -> None:
    """Show one invoice item."""
    body.show(**locals())


@app.command("update")
def update(
    item: ItemId,
    amount: Amount = None,
    unit_amount: UnitAmount = None,
    quantity: Quantity = None,
    description: Description = None,
    period_start: PeriodStart = None,
    period_end: PeriodEnd = None,
    discountable: Discountable = None,
    coupon: ItemCoupons = None,
    metadata: Metadata = None,
    ledger: LedgerPath = None,
    as_json: Json = False,
) -> None:
    """Change a pending item or an item on a draft."""
    body.update(**locals())


@app.command("delete")
def delete(item: ItemId, ledger: LedgerPath = None, as_json: Json = False) -> None:
    """Delete a pending item or an item on a draft."""
    body.delete(**locals())
