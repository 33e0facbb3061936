"""Options every command shares, declared once so that each means the same everywhere."""

from pathlib import Path
from typing import Annotated, Any

import typer

from billcli.cli import completers

LedgerPath = Annotated[
    Path | None,
    typer.Option(
        "--ledger",
        help="Ledger file \\[default: $BILLCLI_LEDGER, else the data dir].",
        show_default=False,
        dir_okay=False,
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
RemoveDiscount = Annotated[
    bool, typer.Option("--remove-discount", help="Remove the discount (coupon) it has.")
]
SearchPage = Annotated[
    str | None,
    typer.Option("--page", help="Continue with the next_page token the same query gave."),
]


def search_query(resource: str) -> Any:
    """The QUERY argument of `RESOURCE search`, completing the resource's fields."""
    return Annotated[
        str,
        typer.Argument(
            help="Stripe's search language, e.g. \"email:'ada@example.com'\", "
            "\"name~'love' AND created>1700000000\", \"metadata['plan']:'pro'\".",
            show_default=False,
            autocompletion=completers.search_fields(resource),
        ),
    ]
