"""`billcli prices`: how much a product costs, once or every period."""

from typing import Annotated

import typer

from billcli.cli import completers
from billcli.cli.bodies import prices as body
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
    declare_search,
)
from billcli.core.catalog import BILLING_SCHEMES, PRICE_TYPES, TIERS_MODES
from billcli.core.periods import INTERVALS

app = typer.Typer(
    help="Prices: one-time or recurring, per unit or tiered; amounts never change.",
    no_args_is_help=True,
)

PriceId = Annotated[
    str,
    typer.Argument(
        help="Price id (price_…).", show_default=False, autocompletion=completers.prices
    ),
]
LookupKey = Annotated[
    str | None,
    typer.Option("--lookup-key", help="A unique name to find the price by (200 characters)."),
]
TransferLookupKey = Annotated[
    bool,
    typer.Option("--transfer-lookup-key", help="Take the lookup key from the price holding it."),
]
Nickname = Annotated[str | None, typer.Option("--nickname", help="A name for you, not shown.")]
Active = Annotated[
    bool | None,
    typer.Option("--active/--inactive", help="Inactive prices take no new purchases."),
]


CurrencyOptions = Annotated[
    list[str] | None,
    typer.Option(
        "--currency-option",
        help="CURRENCY:UNIT_AMOUNT: its amount in another currency (a customer billed in "
        "it pays that); repeat it.",
        metavar="CUR:AMOUNT",
    ),
]


@app.command(
    "create",
    epilog=(
        "Examples: billcli prices create --product pro --currency usd --unit-amount 2000 "
        "--recurring-interval month · billcli prices create --product seats --currency usd "
        "--billing-scheme tiered --tiers-mode graduated --tier 5:1000 --tier inf:800 "
        "--recurring-interval month"
    ),
)
def create(
    product: Annotated[
        str,
        typer.Option(
            "--product",
            help="The product priced.",
            show_default=False,
            autocompletion=completers.products,
        ),
    ],
    currency: Annotated[
        str,
        typer.Option(
            "--currency",
            help="ISO code.",
            show_default=False,
            autocompletion=completers.currencies,
        ),
    ],
    unit_amount: Annotated[
        str | None,
        typer.Option("--unit-amount", help=amount_help("The price of one unit.")),
    ] = None,
    billing_scheme: Annotated[
        str | None,
        typer.Option(
            "--billing-scheme",
            help="per_unit (default) or tiered.",
            autocompletion=completers.one_of(BILLING_SCHEMES),
        ),
    ] = None,
    tiers_mode: Annotated[
        str | None,
        typer.Option(
            "--tiers-mode",
            help="Tiered: graduated or volume.",
            autocompletion=completers.one_of(TIERS_MODES),
        ),
    ] = None,
    tiers: Annotated[
        list[str] | None,
        typer.Option(
            "--tier",
            help=amount_help(
                "UP_TO:UNIT_AMOUNT[:FLAT_AMOUNT]; repeat in order; the last UP_TO is inf."
            ),
            metavar="UP_TO:UNIT[:FLAT]",
        ),
    ] = None,
    recurring_interval: Annotated[
        str | None,
        typer.Option(
            "--recurring-interval",
            help="day, week, month or year (none: a one-time price).",
            autocompletion=completers.one_of(INTERVALS),
        ),
    ] = None,
    interval_count: Annotated[
        int | None, typer.Option("--interval-count", help="Intervals per period (3 years max).")
    ] = None,
    lookup_key: LookupKey = None,
    transfer_lookup_key: TransferLookupKey = False,
    nickname: Nickname = None,
    active: Active = None,
    currency_option: CurrencyOptions = None,
    divide_by: Annotated[
        int | None,
        typer.Option(
            "--divide-by",
            help="Bill the quantity divided by this (packs of N), rounded --round.",
        ),
    ] = None,
    round_: Annotated[
        str | None,
        typer.Option(
            "--round",
            help="up or down: how a divided quantity is rounded (with --divide-by).",
            autocompletion=completers.one_of(("up", "down")),
        ),
    ] = None,
    trial_period_days: Annotated[
        int | None,
        typer.Option(
            "--trial-period-days",
            help="The trial a subscription takes with --trial-from-plan (recurring only).",
        ),
    ] = None,
    metadata: Metadata = None,
    idempotency_key: IdempotencyKey = None,
    ledger: LedgerPath = None,
    as_json: Json = False,
) -> None:
    """Create a price of a product."""
    body.create(**locals())


@app.command("list")
def list_(
    product: Annotated[
        str | None,
        typer.Option("--product", help="Only this product.", autocompletion=completers.products),
    ] = None,
    active: Annotated[
        bool | None, typer.Option("--active/--inactive", help="Only active, or only inactive.")
    ] = None,
    type_: Annotated[
        str | None,
        typer.Option(
            "--type", help="one_time or recurring.", autocompletion=completers.one_of(PRICE_TYPES)
        ),
    ] = None,
    lookup_key: Annotated[
        list[str] | None, typer.Option("--lookup-key", help="Only these lookup keys; repeat it.")
    ] = None,
    currency: Annotated[
        str | None,
        typer.Option("--currency", help="Only prices in this currency (their own, not an option)."),
    ] = None,
    limit: Limit = 10,
    starting_after: StartingAfter = None,
    ending_before: EndingBefore = None,
    all_: All = False,
    ledger: LedgerPath = None,
    as_json: Json = False,
    as_csv: Csv = False,
) -> None:
    """List prices, newest first."""
    body.list_(**locals())


@app.command("show")
def show(price: PriceId, ledger: LedgerPath = None, as_json: Json = False) -> None:
    """Show a price (its tiers too)."""
    body.show(**locals())


@app.command("update")
def update(
    price: PriceId,
    active: Active = None,
    nickname: Nickname = None,
    lookup_key: LookupKey = None,
    transfer_lookup_key: TransferLookupKey = False,
    currency_option: CurrencyOptions = None,
    metadata: Metadata = None,
    ledger: LedgerPath = None,
    as_json: Json = False,
) -> None:
    """Archive, rename or re-key a price, or set its amount in another currency; its own
    amounts never change (make a new price)."""
    body.update(**locals())


declare_search(app, __name__, "price", "product:'pro' AND currency:'usd'", "lookup_key~'monthly'")
