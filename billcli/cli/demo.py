"""`billcli demo`: fill a demo ledger with a short story and show each scene."""

from typing import Annotated

import typer

from billcli.cli.bodies import demo as body
from billcli.cli.options import Json, LedgerPath


def demo(
    ledger: LedgerPath = None,
    force: Annotated[bool, typer.Option("--force", help="Write into a non-empty ledger.")] = False,
    as_json: Json = False,
) -> None:
    """Run a short billing story on a demo ledger (never your default ledger).

    Without --ledger it uses its own file, demo.db in billcli's data folder, and starts
    it afresh each time.
    """
    body.demo(**locals())
