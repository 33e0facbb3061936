"""`billcli plans`: the older shape of recurring prices, for catalogs made with it."""

from typing import Annotated

import typer

from billcli.cli import completers
from billcli.cli.bodies import plans as body
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
)
from billcli.core.periods import INTERVALS

app = typer.Typer(
    help="Plans: recurring prices in the older API's shape (every recurring price is one).",
    no_args_is_help=True,
)

PlanId = Annotated[
    str,
    typer.Argument(
        help="Plan id (a recurring price's id).",
        show_default=False,
        autocompletion=completers.recurring_prices,
    ),
]
ProductOption = Annotated[
    str | None,
    typer.Option("--product", help="The product it bills for.", autocompletion=completers.products),
]
ActiveFilter = Annotated[
    bool | None, typer.Option("--active/--inactive", help="Only active, or only archived, ones.")
]


@app.command(
    "create",
    epilog=(
        "Examples: billcli plans create --id gold-monthly --product-name Gold --currency usd "
        "--amount 2000 --interval month · billcli plans create --product pro --currency eur "
        "--amount 19000 --interval year --trial-period-days 14"
    ),
)
def create(
    currency: Currency,
    amount: Annotated[
        str,
        typer.Option("--amount", help=amount_help("Per unit, each period."), show_default=False),
    ],
    interval: Annotated[
        str,
        typer.Option(
            "--interval",
            help="day, week, month or year.",
            show_default=False,
            autocompletion=completers.one_of(INTERVALS),
        ),
    ],
    interval_count: IntervalCount = None,
    product: ProductOption = None,
    product_name: Annotated[
        str | None, typer.Option("--product-name", help="Make a product of this name with it.")
    ] = None,
    id: Annotated[
        str | None, typer.Option("--id", help="Its id (letters, digits, _ and -).")
    ] = None,
    nickname: Nickname = None,
    trial_period_days: TrialPeriodDays = None,
    metadata: Metadata = None,
    idempotency_key: IdempotencyKey = None,
    ledger: LedgerPath = None,
    as_json: Json = False,
) -> None:
    """Create a plan: a recurring price of a product (or of a new one, --product-name)."""
    body.create(**locals())


@app.command("list")
def list_(
    product: ProductOption = None,
    active: ActiveFilter = None,
    limit: Limit = 10,
    starting_after: StartingAfter = None,
    ending_before: EndingBefore = None,
    all_: All = False,
    ledger: LedgerPath = None,
    as_json: Json = False,
    as_csv: Csv = False,
) -> None:
    """List plans (every recurring price, seen as a plan), newest first."""
    body.list_(**locals())


@app.command("show")
def show(plan: PlanId, ledger: LedgerPath = None, as_json: Json = False) -> None:
    """Show a plan: a recurring price in the older shape."""
    body.show(**locals())
