"""`billcli events`: the record of every state change, shaped as Stripe events."""

from typing import Annotated

import typer

from billcli.cli.bodies import events as body
from billcli.cli.options import (
    All,
    Csv,
    EndingBefore,
    Json,
    LedgerPath,
    Limit,
    StartingAfter,
)

app = typer.Typer(help="List and show the events every state change records.", no_args_is_help=True)


@app.command("list")
def list_(
    type_: Annotated[
        str | None, typer.Option("--type", help="Only this type, e.g. customer.created.")
    ] = None,
    limit: Limit = 10,
    starting_after: StartingAfter = None,
    ending_before: EndingBefore = None,
    all_: All = False,
    ledger: LedgerPath = None,
    as_json: Json = False,
    as_csv: Csv = False,
) -> None:
    """List events, newest first."""
    body.list_(**locals())


@app.command("show")
def show(
    event: Annotated[str, typer.Argument(help="Event id (evt_…).", show_default=False)],
    ledger: LedgerPath = None,
    as_json: Json = False,
) -> None:
    """Show one event with the object it carries."""
    body.show(**locals())


@app.command("deliver")
def deliver(
    timeout: Annotated[
        float | None,
        typer.Option(
            "--timeout",
            help="Seconds an endpoint has to answer [default: ledger config webhooks.timeout].",
            min=0.1,
            max=60,
        ),
    ] = None,
    ledger: LedgerPath = None,
    as_json: Json = False,
) -> None:
    """Send the webhooks due now: first tries and scheduled retries (run it from cron).

    `invoices tick` delivers too, each at its own instant; this command is for a ledger
    whose clock follows the system's. Example crontab line:

    \b
    * * * * * billcli events deliver --json >> deliveries.log
    """
    body.deliver(**locals())


@app.command("deliveries")
def deliveries(
    event: Annotated[str, typer.Argument(help="Event id (evt_…).", show_default=False)],
    ledger: LedgerPath = None,
    as_json: Json = False,
    as_csv: Csv = False,
) -> None:
    """Every attempt to deliver an event: when, where, status code, duration, error."""
    body.deliveries(**locals())
