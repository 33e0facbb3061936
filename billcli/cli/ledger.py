"""`billcli ledger`: the ledger file itself: create, inspect, verify, its clock, settings."""

from pathlib import Path
from typing import Annotated, Any

import typer

from billcli.cli.options import Json, LedgerPath
from billcli.cli.running import open_ledger
from billcli.render.output import emit_object
from billcli.services import ledger as service
from billcli.services import settings

app = typer.Typer(
    help="Create, inspect and verify the ledger; its clock and settings.", no_args_is_help=True
)


@app.command("init")
def init(
    path: Annotated[Path | None, typer.Argument(help="Where to create it.", dir_okay=False)] = None,
    ledger: LedgerPath = None,
    as_json: Json = False,
) -> None:
    """Create a ledger (or confirm an existing one) and show it."""
    with open_ledger(path or ledger) as book:
        emit_object(service.info(book), as_json=as_json, title="Ledger ready")


@app.command("info")
def info(ledger: LedgerPath = None, as_json: Json = False) -> None:
    """Path, schema version, clock and row counts."""
    with open_ledger(ledger) as book:
        emit_object(service.info(book), as_json=as_json, title="Ledger")


@app.command("check")
def check(ledger: LedgerPath = None, as_json: Json = False) -> None:
    """Verify every invariant; exit 1 listing each violation."""
    with open_ledger(ledger) as book:
        problems = service.check(book)
        counts = service.info(book)["counts"]
    checked = (
        f"{counts['customers'] + counts['deleted_customers']:,} customers, "
        f"{counts['balance_transactions']:,} balance transactions, "
        f"{counts['invoices']:,} invoices"
    )
    report: dict[str, Any] = {
        "object": "ledger_check",
        "ok": not problems,
        "checked": checked,
        "problems": [{"object": p.object_id, "message": p.message} for p in problems],
    }
    emit_object(report, as_json=as_json, title="Ledger check")
    if problems:
        raise typer.Exit(1)


@app.command("clock")
def clock(
    system: Annotated[
        bool, typer.Option("--system", help="Return to system time (never backwards).")
    ] = False,
    ledger: LedgerPath = None,
    as_json: Json = False,
) -> None:
    """Show the ledger clock (moved forward by `invoices tick`)."""
    with open_ledger(ledger) as book:
        state = service.clock_to_system(book) if system else service.clock(book)
    emit_object(state.to_dict(), as_json=as_json, title="Ledger clock")


@app.command("config")
def config(
    key: Annotated[str | None, typer.Argument(help="Setting to show or change.")] = None,
    value: Annotated[str | None, typer.Argument(help="New value.")] = None,
    ledger: LedgerPath = None,
    as_json: Json = False,
) -> None:
    """Show all settings, one setting, or change one."""
    with open_ledger(ledger) as book:
        if key is None:
            values = settings.all_values(book)
        elif value is None:
            values = settings.get(book, key)
        else:
            values = settings.set_value(book, key, value)
    emit_object(
        {"object": "ledger_config", "settings": values}, as_json=as_json, title="Ledger settings"
    )
