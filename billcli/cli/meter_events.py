"""`billcli meters events`: usage events, sent one at a time or imported from a file."""

from pathlib import Path
from typing import Annotated

import typer

from billcli.cli import completers
from billcli.cli.bodies import meter_events as body
from billcli.cli.options import Json, LedgerPath

app = typer.Typer(
    help="Meter events: usage, sent one at a time, imported from a file, or canceled.",
    no_args_is_help=True,
)

EventName = Annotated[
    str,
    typer.Option(
        "--event-name",
        help="The event name of the meter that counts it.",
        show_default=False,
        autocompletion=completers.event_names,
    ),
]


@app.command(
    "send",
    epilog="Example: billcli meters events send --event-name api_calls --customer cus_… --value 25",
)
def send(
    event_name: EventName,
    customer: Annotated[
        str,
        typer.Option(
            "--customer",
            help="Customer id (cus_…).",
            show_default=False,
            shell_complete=completers.customers,
        ),
    ],
    value: Annotated[
        str | None,
        typer.Option("--value", help="The usage: a whole number (a count meter needs none)."),
    ] = None,
    identifier: Annotated[
        str | None,
        typer.Option("--identifier", help="A unique identifier (one is made when not given)."),
    ] = None,
    timestamp: Annotated[
        str | None,
        typer.Option(
            "--timestamp",
            help="When the usage happened (ISO 8601 or unix), within the past 35 days "
            "of the customer's clock [default: its now].",
        ),
    ] = None,
    ledger: LedgerPath = None,
    as_json: Json = False,
) -> None:
    """Record one usage event."""
    body.send(**locals())


@app.command(
    "import",
    epilog=(
        'NDJSON: one object a line, {"event_name": …, "payload": {"stripe_customer_id": …, '
        '"value": …}, "identifier": …, "timestamp": …}. CSV: columns event_name, '
        "identifier, timestamp and payload.KEY (payload.stripe_customer_id, payload.value)."
    ),
)
def import_(
    file: Annotated[
        Path,
        typer.Argument(
            help="NDJSON or CSV file of events; - reads standard input.",
            show_default=False,
            allow_dash=True,
        ),
    ],
    ledger: LedgerPath = None,
    as_json: Json = False,
) -> None:
    """Import usage events from a file, all or none: a bad line is named by its number and
    nothing of the file is written; identifiers already recorded are skipped."""
    body.import_(**locals())


@app.command(
    "cancel",
    epilog="Example: billcli meters events cancel --event-name api_calls --identifier req_42",
)
def cancel(
    identifier_argument: Annotated[
        str | None,
        typer.Argument(metavar="[IDENTIFIER]", help="The event's identifier.", show_default=False),
    ] = None,
    identifier: Annotated[
        str | None, typer.Option("--identifier", help="The event's identifier.")
    ] = None,
    event_name: Annotated[
        str | None,
        typer.Option(
            "--event-name",
            help="Its meter's event name [default: the event's own].",
            autocompletion=completers.event_names,
        ),
    ] = None,
    ledger: LedgerPath = None,
    as_json: Json = False,
) -> None:
    """Cancel an event received in the last 24 hours: it no longer counts."""
    body.cancel(**locals())
