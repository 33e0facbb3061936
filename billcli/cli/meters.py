"""`billcli meters`: what usage events count, their summaries, and (`events`) the events."""

from typing import Annotated

import typer

from billcli.cli import completers, meter_events
from billcli.cli.bodies import meters as body
from billcli.cli.options import (
    All,
    Csv,
    EndingBefore,
    IdempotencyKey,
    Json,
    LedgerPath,
    Limit,
    StartingAfter,
)
from billcli.core.meters import FORMULAS, STATUSES, TIME_WINDOWS

app = typer.Typer(
    help="Meters: what usage events count (sum, count or last), and their summaries.",
    no_args_is_help=True,
)
app.add_typer(meter_events.app, name="events")

MeterId = Annotated[
    str,
    typer.Argument(help="Meter id (mtr_…).", show_default=False, autocompletion=completers.meters),
]


@app.command(
    "create",
    epilog=(
        "Example: billcli meters create --event-name api_calls --display-name 'API calls' "
        "--aggregation sum"
    ),
)
def create(
    event_name: Annotated[
        str,
        typer.Option(
            "--event-name",
            help="The name events of this meter carry (one meter per name).",
            show_default=False,
        ),
    ],
    display_name: Annotated[
        str, typer.Option("--display-name", help="The meter's name.", show_default=False)
    ],
    aggregation: Annotated[
        str,
        typer.Option(
            "--aggregation",
            help="sum (the values), count (the events) or last (the latest value).",
            autocompletion=completers.one_of(FORMULAS),
        ),
    ] = "sum",
    customer_key: Annotated[
        str | None,
        typer.Option(
            "--customer-key",
            help="The payload key naming the customer [default: stripe_customer_id].",
        ),
    ] = None,
    value_key: Annotated[
        str | None,
        typer.Option("--value-key", help="The payload key holding the value [default: value]."),
    ] = None,
    event_time_window: Annotated[
        str | None,
        typer.Option(
            "--event-time-window",
            help="Pre-aggregated usage: only the latest event of each hour or day counts.",
            autocompletion=completers.one_of(TIME_WINDOWS),
        ),
    ] = None,
    idempotency_key: IdempotencyKey = None,
    ledger: LedgerPath = None,
    as_json: Json = False,
) -> None:
    """Create a meter."""
    body.create(**locals())


@app.command("update")
def update(
    meter: MeterId,
    display_name: Annotated[
        str | None, typer.Option("--display-name", help="A new name (nothing else changes).")
    ] = None,
    ledger: LedgerPath = None,
    as_json: Json = False,
) -> None:
    """Rename a meter; a meter's event name, aggregation and keys never change."""
    body.update(**locals())


@app.command("deactivate")
def deactivate(meter: MeterId, ledger: LedgerPath = None, as_json: Json = False) -> None:
    """Stop accepting events for a meter (its prices keep billing what it counted)."""
    body.deactivate(**locals())


@app.command("reactivate")
def reactivate(meter: MeterId, ledger: LedgerPath = None, as_json: Json = False) -> None:
    """Accept events for a deactivated meter again."""
    body.reactivate(**locals())


@app.command("list")
def list_(
    status: Annotated[
        str | None,
        typer.Option(
            "--status", help="active or inactive.", autocompletion=completers.one_of(STATUSES)
        ),
    ] = None,
    limit: Limit = 10,
    starting_after: StartingAfter = None,
    ending_before: EndingBefore = None,
    all_: All = False,
    ledger: LedgerPath = None,
    as_json: Json = False,
    as_csv: Csv = False,
) -> None:
    """List meters, newest first."""
    body.list_(**locals())


@app.command("show")
def show(meter: MeterId, ledger: LedgerPath = None, as_json: Json = False) -> None:
    """Show a meter."""
    body.show(**locals())


@app.command(
    "summaries",
    epilog=(
        "Example: billcli meters summaries mtr_… --customer cus_… --from 2027-01-01 "
        "--to 2027-02-01 --by day"
    ),
)
def summaries(
    meter: MeterId,
    customer: Annotated[
        str,
        typer.Option(
            "--customer",
            help="Customer id (cus_…).",
            show_default=False,
            shell_complete=completers.customers,
        ),
    ],
    from_: Annotated[
        str,
        typer.Option(
            "--from", help="Start, inclusive, on a minute (ISO 8601 or unix).", show_default=False
        ),
    ],
    to: Annotated[
        str,
        typer.Option(
            "--to", help="End, exclusive, on a minute (ISO 8601 or unix).", show_default=False
        ),
    ],
    by: Annotated[
        str | None,
        typer.Option(
            "--by",
            help="One summary per hour or UTC day (the bounds on its boundaries).",
            autocompletion=completers.one_of(("hour", "day")),
        ),
    ] = None,
    limit: Annotated[
        int | None, typer.Option("--limit", help="Summaries per page, 1 to 100 [default: all].")
    ] = None,
    starting_after: StartingAfter = None,
    ending_before: EndingBefore = None,
    ledger: LedgerPath = None,
    as_json: Json = False,
    as_csv: Csv = False,
) -> None:
    """What a meter counted for a customer over a time range, or per hour or day, with a
    sparkline."""
    body.summaries(**locals())
