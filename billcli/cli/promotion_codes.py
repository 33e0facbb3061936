"""`billcli promotion-codes`: codes customers type to redeem a coupon."""

from typing import Annotated

import typer

from billcli.cli import completers
from billcli.cli.bodies import promotion_codes as body
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
    help="Promotion codes: the codes customers type to redeem a coupon, with restrictions.",
    no_args_is_help=True,
)

PromotionCodeId = Annotated[
    str,
    typer.Argument(
        help="Promotion code id (promo_…).",
        show_default=False,
        autocompletion=completers.promotion_codes,
    ),
]
ActiveFlag = Annotated[
    bool | None,
    typer.Option("--active/--no-active", help="Whether customers may redeem it."),
]
CouponFilter = Annotated[
    str | None,
    typer.Option("--coupon", help="Only this coupon's.", autocompletion=completers.coupons),
]


@app.command(
    "create",
    epilog=(
        "Examples: billcli promotion-codes create --coupon WELCOME25 --code SPRING "
        "--max-redemptions 100 · billcli promotion-codes create --coupon TENOFF "
        "--first-time-transaction --minimum-amount 50.00 --minimum-amount-currency usd"
    ),
)
def create(
    coupon: Annotated[
        str,
        typer.Option(
            "--coupon",
            help="The coupon it redeems.",
            show_default=False,
            autocompletion=completers.coupons,
        ),
    ],
    code: Annotated[
        str | None,
        typer.Option(
            "--code", help="What customers type (letters and digits); made up when not given."
        ),
    ] = None,
    customer: Annotated[
        str | None,
        typer.Option(
            "--customer",
            help="Only this customer may redeem it.",
            shell_complete=completers.customers,
        ),
    ] = None,
    max_redemptions: MaxRedemptions = None,
    expires_at: Annotated[
        str | None,
        typer.Option("--expires-at", help="Last time it can be redeemed (ISO 8601 or unix)."),
    ] = None,
    first_time_transaction: Annotated[
        bool,
        typer.Option(
            "--first-time-transaction",
            help="Only for customers with no payment and no paid invoice yet.",
        ),
    ] = False,
    minimum_amount: Annotated[
        str | None,
        typer.Option(
            "--minimum-amount",
            help=amount_help("Only on purchases of at least this much (with its currency)."),
        ),
    ] = None,
    minimum_amount_currency: Annotated[
        str | None,
        typer.Option(
            "--minimum-amount-currency",
            help="The currency of --minimum-amount.",
            autocompletion=completers.currencies,
        ),
    ] = None,
    metadata: Metadata = None,
    idempotency_key: IdempotencyKey = None,
    ledger: LedgerPath = None,
    as_json: Json = False,
) -> None:
    """Create a promotion code of a coupon; redeem it with --promotion-code on customers,
    subscriptions and invoices, or in the portal."""
    body.create(**locals())


@app.command("update")
def update(
    promotion_code: PromotionCodeId,
    active: ActiveFlag = None,
    metadata: Metadata = None,
    ledger: LedgerPath = None,
    as_json: Json = False,
) -> None:
    """Turn a promotion code on or off, or change its metadata (its terms never change)."""
    body.update(**locals())


@app.command("list")
def list_(
    code: Annotated[
        str | None, typer.Option("--code", help="Only those written so, whatever the case.")
    ] = None,
    coupon: CouponFilter = None,
    active: ActiveFlag = None,
    limit: Limit = 10,
    starting_after: StartingAfter = None,
    ending_before: EndingBefore = None,
    all_: All = False,
    ledger: LedgerPath = None,
    as_json: Json = False,
    as_csv: Csv = False,
) -> None:
    """List promotion codes, newest first."""
    body.list_(**locals())


@app.command("show")
def show(promotion_code: PromotionCodeId, ledger: LedgerPath = None, as_json: Json = False) -> None:
    """Show a promotion code: its coupon, restrictions and redemptions."""
    body.show(**locals())
