"""`billcli clocks`: test clocks, each the time of the customers created on it."""

from typing import Annotated

import typer

from billcli.cli import completers
from billcli.cli.bodies import clocks as body
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

app = typer.Typer(
    help="Test clocks: customers created on one live in its time, and advancing it runs "
    "their billing (renewals, trials, payments, dunning) and nobody else's.",
    no_args_is_help=True,
)

ClockId = Annotated[
    str,
    typer.Argument(
        help="Test clock id (clock_…).", show_default=False, autocompletion=completers.test_clocks
    ),
]


@app.command(
    "create",
    epilog="Example: billcli clocks create --frozen-time 2020-01-01 --name 'annual plan'",
)
def create(
    frozen_time: Annotated[
        str,
        typer.Option(
            "--frozen-time",
            help="Its time to start at, past or future (ISO 8601 or unix).",
            show_default=False,
        ),
    ],
    name: Annotated[str | None, typer.Option("--name", help="A name to know it by.")] = None,
    idempotency_key: IdempotencyKey = None,
    ledger: LedgerPath = None,
    as_json: Json = False,
) -> None:
    """Create a test clock; put customers on it with `customers create --clock`."""
    body.create(**locals())


@app.command(
    "advance",
    epilog="Examples: billcli clocks advance clock_… --by 4w · billcli clocks advance "
    "clock_… --to 2021-01-01",
)
def advance(
    clock: ClockId,
    to: Annotated[
        str | None, typer.Option("--to", help="Advance it to a time (ISO 8601 or unix).")
    ] = None,
    by: Annotated[
        str | None, typer.Option("--by", help="Advance it by 90s, 15m, 1h, 3d, 2w…")
    ] = None,
    ledger: LedgerPath = None,
    as_json: Json = False,
) -> None:
    """Advance a test clock and do what falls due for its customers, at its instants.

    Any distance at once, however many customers it has. Interrupted (Ctrl-C, a kill),
    the clock stays advancing and the next advance finishes it, each step exactly once.
    """
    body.advance(**locals())


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
    """List test clocks, newest first (deleted ones are left out)."""
    body.list_(**locals())


@app.command("show")
def show(clock: ClockId, ledger: LedgerPath = None, as_json: Json = False) -> None:
    """Show a test clock: its time, its status, when it is deleted by itself."""
    body.show(**locals())


@app.command("delete")
def delete(clock: ClockId, ledger: LedgerPath = None, as_json: Json = False) -> None:
    """Delete a test clock and its customers (as `customers delete` leaves each)."""
    body.delete(**locals())
