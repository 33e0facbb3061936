"""`billcli products`: what is sold; `billcli prices` says for how much."""

from typing import Annotated

import typer

from billcli.cli import completers
from billcli.cli.bodies import products as body
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
    declare_search,
)

app = typer.Typer(
    help="Products: what is sold (its prices say for how much).", no_args_is_help=True
)

ProductId = Annotated[
    str,
    typer.Argument(
        help="Product id (prod_… or your own).",
        show_default=False,
        autocompletion=completers.products,
    ),
]
Description = Annotated[
    str | None, typer.Option("--description", help="Shown to customers; '' clears it.")
]
Active = Annotated[
    bool | None,
    typer.Option(
        "--active/--inactive", help="Archived (inactive) products take no new subscriptions."
    ),
]
UnitLabel = Annotated[
    str | None, typer.Option("--unit-label", help="What a unit is called, e.g. seat (12 chars).")
]
StatementDescriptor = Annotated[
    str | None,
    typer.Option("--statement-descriptor", help="On card statements (22 characters)."),
]
Url = Annotated[str | None, typer.Option("--url", help="A public web page of the product.")]
Images = Annotated[
    list[str] | None,
    typer.Option(
        "--image",
        help="An image URL (at most 8); repeat it; replaces the list ('' clears it).",
    ),
]
Features = Annotated[
    list[str] | None,
    typer.Option(
        "--marketing-feature",
        help="A feature shown with it (at most 15); repeat it; replaces the list ('' clears it).",
    ),
]


@app.command(
    "create",
    epilog="Example: billcli products create --name 'Pro plan' --id pro --unit-label seat",
)
def create(
    name: Annotated[str, typer.Option("--name", help="Shown on invoices.", show_default=False)],
    id: Annotated[
        str | None, typer.Option("--id", help="Your own id (letters, digits, _ and -).")
    ] = None,
    description: Description = None,
    active: Active = None,
    unit_label: UnitLabel = None,
    statement_descriptor: StatementDescriptor = None,
    url: Url = None,
    type: Annotated[
        str | None,
        typer.Option(
            "--type",
            help="The older API's kind: service (the default) or good.",
            autocompletion=completers.one_of(("service", "good")),
        ),
    ] = None,
    image: Images = None,
    marketing_feature: Features = None,
    metadata: Metadata = None,
    idempotency_key: IdempotencyKey = None,
    ledger: LedgerPath = None,
    as_json: Json = False,
) -> None:
    """Create a product; give it prices with `billcli prices create --product`."""
    body.create(**locals())


@app.command("list")
def list_(
    active: Annotated[
        bool | None, typer.Option("--active/--inactive", help="Only active, or only archived.")
    ] = None,
    limit: Limit = 10,
    starting_after: StartingAfter = None,
    ending_before: EndingBefore = None,
    all_: All = False,
    ledger: LedgerPath = None,
    as_json: Json = False,
    as_csv: Csv = False,
) -> None:
    """List products, newest first (deleted ones are left out)."""
    body.list_(**locals())


@app.command("show")
def show(product: ProductId, ledger: LedgerPath = None, as_json: Json = False) -> None:
    """Show a product."""
    body.show(**locals())


@app.command("update")
def update(
    product: ProductId,
    name: Annotated[str | None, typer.Option("--name", help="New name.")] = None,
    description: Description = None,
    active: Active = None,
    unit_label: UnitLabel = None,
    statement_descriptor: StatementDescriptor = None,
    url: Url = None,
    image: Images = None,
    marketing_feature: Features = None,
    default_price: Annotated[
        str | None,
        typer.Option(
            "--default-price",
            help="Its default price (one of its active prices); '' clears it.",
            autocompletion=completers.prices,
        ),
    ] = None,
    metadata: Metadata = None,
    ledger: LedgerPath = None,
    as_json: Json = False,
) -> None:
    """Change a product; --inactive archives it (its subscriptions go on renewing)."""
    body.update(**locals())


@app.command("delete")
def delete(product: ProductId, ledger: LedgerPath = None, as_json: Json = False) -> None:
    """Delete a product that has no prices (archive one that has: --inactive)."""
    body.delete(**locals())


declare_search(app, __name__, "product", "name~'plan' AND active:'true'")
