"""`billcli ledger`: the ledger file itself: create, inspect, verify, its clock, settings."""

from typing import Annotated

import typer

from billcli.cli.bodies import ledger as body
from billcli.cli.options import Json, LedgerPath

app = typer.Typer(
    help="Create, inspect and verify the ledger; its clock and settings.", no_args_is_help=True
)


@app.command("init")
def init(
    path: Annotated[
        str | None, typer.Argument(help="Where to create it: a file, or postgresql://…")
    ] = None,
    ledger: LedgerPath = None,
    as_json: Json = False,
) -> None:
    """Create a ledger (or confirm an existing one) and show it."""
    body.init(**locals())


@app.command("info")
def info(ledger: LedgerPath = None, as_json: Json = False) -> None:
    """Path, schema version, clock and row counts."""
    body.info(**locals())


@app.command("check")
def check(ledger: LedgerPath = None, as_json: Json = False) -> None:
    """Verify every invariant; exit 1 listing each violation."""
    body.check(**locals())


@app.command("copy")
def copy(
    src: Annotated[str, typer.Argument(help="The ledger to copy: a file, or postgresql://…")],
    dst: Annotated[
        str,
        typer.Argument(help="Where the copy goes: a new file, or an empty postgresql://… database"),
    ],
    as_json: Json = False,
) -> None:
    """Copy a whole ledger to another engine or file, and prove the copy (row counts and
    a content digest read back from both sides)."""
    body.copy(**locals())


@app.command("clock")
def clock(
    system: Annotated[
        bool, typer.Option("--system", help="Return to system time (never backwards).")
    ] = False,
    ledger: LedgerPath = None,
    as_json: Json = False,
) -> None:
    """Show the ledger clock (moved forward by `invoices tick`)."""
    body.clock(**locals())


@app.command("config")
def config(
    key: Annotated[str | None, typer.Argument(help="Setting to show or change.")] = None,
    value: Annotated[str | None, typer.Argument(help="New value.")] = None,
    ledger: LedgerPath = None,
    as_json: Json = False,
) -> None:
    """Show all settings, one setting, or change one."""
    body.config(**locals())
