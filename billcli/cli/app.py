"""The `billcli` command tree: one Typer sub-app per command group."""

from __future__ import annotations

import typer

from billcli import __version__
from billcli.cli import balance, customers, demo, events, invoices, ledger

app = typer.Typer(
    name="billcli",
    help="Stripe-style billing on a local SQLite ledger: customers, credit balances, "
    "invoices, the customer portal.",
    no_args_is_help=True,
    pretty_exceptions_enable=False,
    context_settings={"help_option_names": ["-h", "--help"]},
)
app.add_typer(customers.app, name="customers")
app.add_typer(balance.app, name="balance")
app.add_typer(invoices.app, name="invoices")
app.add_typer(events.app, name="events")
app.add_typer(ledger.app, name="ledger")
app.command("demo")(demo.demo)


def _version(value: bool) -> None:
    if value:
        typer.echo(f"billcli {__version__}")
        raise typer.Exit()


@app.callback()
def root(
    version: bool = typer.Option(
        False, "--version", callback=_version, is_eager=True, help="Show the version and exit."
    ),
) -> None:
    """Stripe-style billing on a local SQLite ledger."""
