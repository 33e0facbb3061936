"""`billcli coupons`: discounts to apply to customers, subscriptions and invoices."""

from typing import Annotated

import typer

from billcli.cli import completers
from billcli.cli.bodies import coupons as body
from billcli.cli.options import (
    All,
    Csv,
    EndingBefore,
    IdempotencyKey,
    Json,
    LedgerPath,
    Limit,
    MaxRedemptions,
    Metadata,
    StartingAfter,
    amount_help,
)

app = typer.Typer(
    help="Coupons: a percentage or an amount off, once, for some months, or forever.",
    no_args_is_help=True,
)

CouponId = Annotated[
    str,
    typer.Argument(
        help="Coupon id (its code).", show_default=False, autocompletion=completers.coupons
    ),
]
Name = Annotated[str | None, typer.Option("--name", help="Shown on invoices (40 characters).")]
CurrencyOptions = Annotated[
    list[str] | None,
    typer.Option(
        "--currency-option",
        help="CURRENCY:AMOUNT_OFF: an amount-off coupon's amount in another currency; repeat it.",
        metavar="CUR:AMOUNT",
    ),
]


@app.command(
    "create",
    epilog=(
        "Examples: billcli coupons create --id WELCOME25 --percent-off 25 --duration "
        "repeating --duration-in-months 3 · billcli coupons create --amount-off 5.00 "
        "--currency usd --max-redemptions 100"
    ),
)
def create(
    id: Annotated[
        str | None, typer.Option("--id", help="Its code (letters, digits, _ and -).")
    ] = None,
    percent_off: Annotated[
        str | None, typer.Option("--percent-off", help="Percent off, more than 0, up to 100.")
    ] = None,
    amount_off: Annotated[
        str | None,
        typer.Option("--amount-off", help=amount_help("Amount off, with --currency.")),
    ] = None,
    currency: Annotated[
        str | None,
        typer.Option(
            "--currency",
            help="The currency of --amount-off.",
            autocompletion=completers.currencies,
        ),
    ] = None,
    duration: Annotated[
        str | None,
        typer.Option(
            "--duration",
            help="once (default), repeating or forever.",
            autocompletion=completers.one_of(("once", "repeating", "forever")),
        ),
    ] = None,
    duration_in_months: Annotated[
        int | None,
        typer.Option("--duration-in-months", help="How long a repeating coupon lasts."),
    ] = None,
    max_redemptions: MaxRedemptions = None,
    redeem_by: Annotated[
        str | None,
        typer.Option("--redeem-by", help="Last time it can be applied (ISO 8601 or unix)."),
    ] = None,
    name: Name = None,
    applies_to: Annotated[
        list[str] | None,
        typer.Option(
            "--applies-to",
            help="Discount only the lines of this product; repeat it.",
            autocompletion=completers.products,
        ),
    ] = None,
    currency_option: CurrencyOptions = None,
    metadata: Metadata = None,
    idempotency_key: IdempotencyKey = None,
    ledger: LedgerPath = None,
    as_json: Json = False,
) -> None:
    """Create a coupon; apply it with --coupon on customers, subscriptions or invoices."""
    body.create(**locals())


@app.command("list")
def list_(
    limit: Limit = 10,
    starting_after: StartingAfter = None,
    ending_before: EndingBefore = None,
    all_: All = False,
    ledger: LedgerPath = None,
    as_json: Json = False,
    as_csv: Csv = False,
) -> None:
    """List coupons, newest first (deleted ones are left out)."""
    body.list_(**locals())


@app.command("show")
def show(coupon: CouponId, ledger: LedgerPath = None, as_json: Json = False) -> None:
    """Show a coupon: its terms, how often it was redeemed, whether it is still valid."""
    body.show(**locals())


@app.command("update")
def update(
    coupon: CouponId,
    name: Name = None,
    currency_option: CurrencyOptions = None,
    metadata: Metadata = None,
    ledger: LedgerPath = None,
    as_json: Json = False,
) -> None:
    """Rename a coupon, change its metadata or its amounts in other currencies (its terms
    never change)."""
    body.update(**locals())


@app.command("delete")
def delete(coupon: CouponId, ledger: LedgerPath = None, as_json: Json = False) -> None:
    """Delete a coupon: no new redemptions; discounts that apply it go on."""
    body.delete(**locals())
