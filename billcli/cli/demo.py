"""`billcli demo`: fill a demo ledger with a short story and show each scene."""

from pathlib import Path
from typing import Annotated

import typer

from billcli.cli.options import Json, LedgerPath
from billcli.cli.running import open_ledger
from billcli.render.output import dump_json
from billcli.services import demo as service
from billcli.store.paths import data_dir


def demo(
    ledger: LedgerPath = None,
    force: Annotated[bool, typer.Option("--force", help="Write into a non-empty ledger.")] = False,
    as_json: Json = False,
) -> None:
    """Run a short billing story on a demo ledger (never your default ledger).

    Without --ledger it uses its own file, demo.db in billcli's data folder, and starts
    it afresh each time.
    """
    path = ledger or _fresh_demo_path()
    with open_ledger(path) as book:
        steps = service.run(book, force=force)
    if as_json:
        typer.echo(dump_json([obj for step in steps for obj in step.objects]))
        return
    from billcli.render.scenes import show_steps

    show_steps(steps, path)


def _fresh_demo_path() -> Path:
    path = data_dir() / "demo.db"
    for suffix in ("", "-wal", "-shm"):
        Path(f"{path}{suffix}").unlink(missing_ok=True)
    return path
