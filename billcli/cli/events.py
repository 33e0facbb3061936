"""`billcli events`: the record of every state change, shaped as Stripe events."""

from typing import Annotated

import typer

from billcli.cli.options import (
    All,
    Csv,
    EndingBefore,
    Json,
    LedgerPath,
    Limit,
    StartingAfter,
    open_ledger,
    print_list,
)
from billcli.render.output import emit_object
from billcli.services import events as service

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
    with open_ledger(ledger) as book:
        print_list(
            lambda request: service.list_events(book, request, type_=type_),
            "event",
            limit=limit,
            starting_after=starting_after,
            ending_before=ending_before,
            all_=all_,
            as_json=as_json,
            as_csv=as_csv,
        )


@app.command("show")
def show(
    event: Annotated[str, typer.Argument(help="Event id (evt_…).", show_default=False)],
    ledger: LedgerPath = None,
    as_json: Json = False,
) -> None:
    """Show one event with the object it carries."""
    with open_ledger(ledger) as book:
        emit_object(service.show_event(book, event), as_json=as_json, title="Event")
