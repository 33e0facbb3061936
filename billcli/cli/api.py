"""`billcli api`: the ledger served as Stripe's HTTP API, and its key."""

from typing import Annotated

import typer

from billcli.cli import completers
from billcli.cli.bodies import api as body
from billcli.cli.options import Json, LedgerPath
from billcli.store.ledger import DURABILITIES

app = typer.Typer(
    help="A Stripe-compatible HTTP API over the ledger (Stripe's libraries run unchanged).",
    no_args_is_help=True,
)


@app.command(
    "serve",
    epilog="Example: billcli api serve --port 4243, then stripe.api_base = "
    "'http://127.0.0.1:4243' in stripe-python",
)
def serve(
    host: Annotated[
        str, typer.Option("--host", help="Address to listen on (loopback by default).")
    ] = "127.0.0.1",
    port: Annotated[int, typer.Option("--port", help="Port to listen on.")] = 4243,
    durability: Annotated[
        str,
        typer.Option(
            "--durability",
            help="When a write is answered: full (on disk: it survives a lost machine) or "
            "process (handed to the OS or database server: it survives this server "
            "crashing, and one client goes several times faster).",
            autocompletion=completers.one_of(DURABILITIES),
        ),
    ] = "full",
    ledger: LedgerPath = None,
) -> None:
    """Serve /v1/... for every resource the ledger keeps, until Ctrl-C."""
    body.serve(**locals())


@app.command("key")
def key(
    roll: Annotated[
        bool, typer.Option("--roll", help="Make a new key; the old one stops working.")
    ] = False,
    ledger: LedgerPath = None,
    as_json: Json = False,
) -> None:
    """Show the API key: in full when it is made (the first time, or with --roll), else
    its last four characters (the ledger keeps only a hash)."""
    body.key(**locals())
