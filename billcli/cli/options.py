"""Options every command shares, declared once so that each means the same everywhere."""

from typing import Annotated

import typer

from billcli.cli import completers

# The one rule of amounts (contract §3), ending the help of every option that takes one.
AMOUNT_RULE = (
    "A whole number is minor units (500 = $5.00, ¥500); with a decimal point, major units "
    "(5.00 = $5.00). Mixing both forms in one command is refused."
)


def amount_help(what: str) -> str:
    """An amount option's help: what it is, then the rule every amount follows."""
    return f"{what} {AMOUNT_RULE}"


LedgerPath = Annotated[
    str | None,
    typer.Option(
        "--ledger",
        help="Ledger file or postgresql://… [default: $BILLCLI_LEDGER, else the data dir].",
        show_default=False,
    ),
]
Json = Annotated[bool, typer.Option("--json", help="Print the Stripe object as JSON.")]
Csv = Annotated[bool, typer.Option("--csv", help="Print the list as CSV.")]
Limit = Annotated[int, typer.Option("--limit", help="Objects per page, 1 to 100.")]
StartingAfter = Annotated[
    str | None, typer.Option("--starting-after", help="List objects older than this id.")
]
EndingBefore = Annotated[
    str | None, typer.Option("--ending-before", help="List objects newer than this id.")
]
All = Annotated[bool, typer.Option("--all", help="Walk every page (streams).")]
Metadata = Annotated[
    list[str] | None,
    typer.Option(
        "--metadata", "-m", help="KEY=VALUE; repeat it; KEY= removes a key.", metavar="KEY=VALUE"
    ),
]
IdempotencyKey = Annotated[
    str | None,
    typer.Option(
        "--idempotency-key",
        help="Replaying the same key and parameters within 24 h writes nothing.",
    ),
]
Coupon = Annotated[
    str | None,
    typer.Option(
        "--coupon",
        help="Apply this coupon (its discount replaces any other).",
        autocompletion=completers.coupons,
    ),
]
PromotionCode = Annotated[
    str | None,
    typer.Option(
        "--promotion-code",
        help="Redeem this promotion code (its code as customers type it, or promo_…): its "
        "coupon's discount, if the code's restrictions allow.",
        autocompletion=completers.promotion_codes,
    ),
]
TaxRates = Annotated[
    list[str] | None,
    typer.Option(
        "--tax-rate",
        help="A tax rate (txr_…) of its own, instead of the invoice's defaults; repeat it "
        '(at most 5). On update "" removes them.',
        autocompletion=completers.tax_rates,
    ),
]
DefaultTaxRates = Annotated[
    list[str] | None,
    typer.Option(
        "--default-tax-rate",
        help="A tax rate (txr_…) for every line without rates of its own; repeat it (at "
        'most 5). On update it replaces them; "" removes them.',
        autocompletion=completers.tax_rates,
    ),
]
ItemTaxRates = Annotated[
    list[str] | None,
    typer.Option(
        "--item-tax-rate",
        help="ITEM=TXR: a tax rate of an item's own (ITEM its price, or its si_… id), "
        "instead of the defaults; repeat it; ITEM= removes them.",
        metavar="ITEM=TXR",
        autocompletion=completers.item_tax_rates,
    ),
]
TrialDays = Annotated[
    int | None, typer.Option("--trial-days", help="A free trial of this many days.")
]
TrialEnd = Annotated[
    str | None,
    typer.Option("--trial-end", help="A free trial until this time (not with --trial-days)."),
]
Currency = Annotated[
    str,
    typer.Option(
        "--currency",
        help="Three-letter ISO code.",
        show_default=False,
        autocompletion=completers.currencies,
    ),
]
Nickname = Annotated[str | None, typer.Option("--nickname", help="A name for you, not shown.")]
IntervalCount = Annotated[
    int | None,
    typer.Option("--interval-count", help="Bill every N intervals (3 years at most)."),
]
TrialPeriodDays = Annotated[
    int | None,
    typer.Option(
        "--trial-period-days",
        help="Its default trial, for subscriptions that ask (--trial-from-plan).",
    ),
]
MaxRedemptions = Annotated[
    int | None, typer.Option("--max-redemptions", help="How many times it can be redeemed.")
]
RemoveDiscount = Annotated[
    bool, typer.Option("--remove-discount", help="Remove the discount (coupon) it has.")
]
CustomerFilter = Annotated[
    str | None,
    typer.Option("--customer", help="Only this customer's.", shell_complete=completers.customers),
]
ClockFilter = Annotated[
    str | None,
    typer.Option(
        "--clock",
        help="This test clock's (without it, as in Stripe, those of no test clock).",
        autocompletion=completers.test_clocks,
    ),
]
InvoiceFilter = Annotated[
    str | None,
    typer.Option("--invoice", help="Only this invoice's.", autocompletion=completers.invoices()),
]
SearchPage = Annotated[
    str | None,
    typer.Option("--page", help="Continue with the next_page token the same query gave."),
]


def declare_search(app: typer.Typer, module: str, resource: str, *examples: str) -> None:
    """Declares `RESOURCE search` on `app` for the group module `module`, whose bodies
    module runs it: five groups search alike, so they are declared alike, and the
    fields the help names are the parser's own."""
    # startup: loaded only when a command's declaration is built
    from billcli.core.search import FIELDS

    group = f"{resource}s".replace("_", "-")
    query = Annotated[
        str,
        typer.Argument(
            help="Stripe's search language, e.g. \"email:'ada@example.com'\", "
            "\"name~'love' AND created>1700000000\", \"metadata['plan']:'pro'\".",
            show_default=False,
            autocompletion=completers.search_fields(resource),
        ),
    ]

    def search(
        query: query,
        limit: Limit = 10,
        page: SearchPage = None,
        all_: All = False,
        ledger: LedgerPath = None,
        as_json: Json = False,
        as_csv: Csv = False,
    ) -> None:
        # startup: loaded only when a command's declaration is built
        from importlib import import_module

        body = import_module(module.replace("billcli.cli.", "billcli.cli.bodies.", 1))
        body.search(
            query=query,
            limit=limit,
            page=page,
            all_=all_,
            ledger=ledger,
            as_json=as_json,
            as_csv=as_csv,
        )

    search.__module__ = module
    search.__doc__ = (
        f"Search {group} with Stripe's query language, newest first.\n\n"
        f"Fields: {', '.join(sorted(FIELDS[resource]))}. --json prints Stripe's "
        "search_result; its next_page goes to --page."
    )
    epilog = " · ".join(f'billcli {group} search "{example}"' for example in examples)
    app.command("search", epilog=f"Examples: {epilog}")(search)
