"""The options of a subscription change, declared once: `subscriptions update` makes the
change and `invoices upcoming` previews it, so each option reads the same in both."""

from typing import Annotated

import typer

from billcli.cli import completers
from billcli.services.subscriptions.creation import PRORATION_BEHAVIORS

AddPrices = Annotated[
    list[str] | None,
    typer.Option(
        "--price",
        help="Add an item: PRICE[:QUANTITY]; repeat it.",
        metavar="PRICE[:QTY]",
        autocompletion=completers.recurring_prices,
    ),
]
ChangeItems = Annotated[
    list[str] | None,
    typer.Option(
        "--item",
        help="Change an item: SI=PRICE[:QUANTITY] or SI=:QUANTITY; repeat it.",
        metavar="SI=PRICE[:QTY]",
    ),
]
RemoveItems = Annotated[
    list[str] | None, typer.Option("--remove-item", help="Remove an item (si_…); repeat it.")
]
Quantity = Annotated[
    int | None, typer.Option("--quantity", help="New quantity of a single-item subscription.")
]
ProrationBehavior = Annotated[
    str | None,
    typer.Option(
        "--proration-behavior",
        help="create_prorations (default), always_invoice or none.",
        autocompletion=completers.one_of(PRORATION_BEHAVIORS),
    ),
]
ProrationDate = Annotated[
    str | None,
    typer.Option(
        "--proration-date",
        help="Prorate as of this time, inside the period (the preview's and the update's "
        "agree when they are given the same one).",
    ),
]
