"""`billcli prices`: how much a product costs, once or every period."""

from typing import Annotated

import typer

from billcli.cli import completers
from billcli.cli.bodies import prices as body
from billcli.cli.options import (
    All,
    Csv,
    Currency,
    EndingBefore,
    IdempotencyKey,
    IntervalCount,
    Json,
    LedgerPath,
    Limit,
    Metadata,
    Nickname,
    StartingAfter,
    TrialPeriodDays,
    amount_help,
    declare_search,
)
from billcli.core.catalog import BILLING_SCHEMES, PRICE_TYPES, TIERS_MODES
from billcli.core.periods import INTERVALS
from billcli.core.tax import TAX_BEHAVIORS

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
TaxBehavior = Annotated[
    str | None,
    typer.Option(
        "--tax-behavior",
        help="exclusive, inclusive or unspecified: Stripe Tax's setting, kept and shown (a "
        "manual tax rate's own --inclusive decides its tax); fixed once not unspecified.",
        autocompletion=completers.one_of(TAX_BEHAVIORS),
    ),
]
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
        "--recurring-interval month · billcli prices create --product api --currency usd "
        "--unit-amount 2 --recurring-interval month --usage-type metered --meter mtr_…"
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
    currency: Currency,
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
    interval_count: IntervalCount = None,
    usage_type: Annotated[
        str | None,
        typer.Option(
            "--usage-type",
            help="licensed (default: a quantity, billed in advance) or metered (the usage its "
            "meter counts, billed at the period's end).",
            autocompletion=completers.one_of(("licensed", "metered")),
        ),
    ] = None,
    meter: Annotated[
        str | None,
        typer.Option(
            "--meter", help="A metered price's meter (mtr_…).", autocompletion=completers.meters
        ),
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
    trial_period_days: TrialPeriodDays = None,
    tax_behavior: TaxBehavior = None,
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
    tax_behavior: TaxBehavior = None,
    metadata: Metadata = None,
    ledger: LedgerPath = None,
    as_json: Json = False,
) -> None:
    """Archive, rename or re-key a price, or set its amount in another currency; its own
    amounts never change (make a new price)."""
    body.update(**locals())


declare_search(app, __name__, "price", "product:'pro' AND currency:'usd'", "lookup_key~'monthly'")
