"""`billcli webhooks`: endpoints that receive the ledger's events, signed."""

from typing import Annotated

import typer

from billcli.cli import completers
from billcli.cli.bodies import webhooks as body
from billcli.cli.options import (
    All,
    Csv,
    EndingBefore,
    Json,
    LedgerPath,
    Limit,
    Metadata,
    StartingAfter,
)
from billcli.core.webhooks import EVENT_TYPES

app = typer.Typer(
    help="Webhook endpoints: where events are POSTed, signed like Stripe's.",
    no_args_is_help=True,
)
TITLE = "Webhook endpoint"

EndpointId = Annotated[
    str,
    typer.Argument(
        help="Webhook endpoint id (we_…).",
        show_default=False,
        autocompletion=completers.webhook_endpoints,
    ),
]
Events = Annotated[
    str | None,
    typer.Option(
        "--events",
        help="Event types to send, comma-separated, or * for all, e.g. "
        "invoice.created,invoice.paid.",
        metavar="TYPE,...",
        autocompletion=completers.comma_list(EVENT_TYPES),
    ),
]
Description = Annotated[str | None, typer.Option("--description", help="A note for you.")]


@app.command("create")
def create(
    url: Annotated[str, typer.Option("--url", help="http:// or https:// URL to POST events to.")],
    events: Events = None,
    description: Description = None,
    api_version: Annotated[
        str | None,
        typer.Option(
            "--api-version",
            help="Send events in this API version's shape (e.g. 2025-03-31.basil); default "
            "2023-08-16.",
        ),
    ] = None,
    metadata: Metadata = None,
    ledger: LedgerPath = None,
    as_json: Json = False,
) -> None:
    """Create an endpoint; its whsec_ secret is shown now (and by show --reveal).

    Events are delivered by `invoices tick` and by `billcli events deliver` (for cron).
    Example:

    \b
    billcli webhooks create --url https://hooks.example/stripe \\
        --events invoice.created,invoice.paid
    """
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
    """List endpoints, newest first (secrets are never listed)."""
    body.list_(**locals())


@app.command("show")
def show(
    endpoint: EndpointId,
    reveal: Annotated[bool, typer.Option("--reveal", help="Include the signing secret.")] = False,
    ledger: LedgerPath = None,
    as_json: Json = False,
) -> None:
    """Show an endpoint."""
    body.show(**locals())


@app.command("update")
def update(
    endpoint: EndpointId,
    url: Annotated[str | None, typer.Option("--url", help="New URL.")] = None,
    events: Events = None,
    description: Description = None,
    enabled: Annotated[
        bool | None,
        typer.Option(
            "--enable/--disable",
            help="A disabled endpoint keeps its queue and gets it when enabled again.",
        ),
    ] = None,
    metadata: Metadata = None,
    ledger: LedgerPath = None,
    as_json: Json = False,
) -> None:
    """Change an endpoint's URL, events, description or status."""
    body.update(**locals())


@app.command("delete")
def delete(endpoint: EndpointId, ledger: LedgerPath = None, as_json: Json = False) -> None:
    """Delete an endpoint; deliveries it was still owed are given up."""
    body.delete(**locals())


@app.command("rotate-secret")
def rotate_secret(
    endpoint: EndpointId,
    keep_old_for: Annotated[
        str,
        typer.Option(
            "--keep-old-for",
            help="How long the old secret still signs too (a second v1), e.g. 24h; 0 ends it.",
        ),
    ] = "24h",
    ledger: LedgerPath = None,
    as_json: Json = False,
) -> None:
    """Give an endpoint a new signing secret, shown once."""
    body.rotate_secret(**locals())
