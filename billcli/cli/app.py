"""The `billcli` command tree: one Typer sub-app per command group, built on demand.

Typer turns every command into a click command on each run; building only the group
a command line names keeps start-up (and every TAB press) from paying for all of them.
"""

import importlib
import os

import typer

from billcli import __version__

GROUPS = {
    "customers": "billcli.cli.customers",
    "balance": "billcli.cli.balance",
    "invoices": "billcli.cli.invoices",
    "events": "billcli.cli.events",
    "portal": "billcli.cli.portal",
    "webhooks": "billcli.cli.webhooks",
    "ledger": "billcli.cli.ledger",
}
COMMANDS = {"demo": ("billcli.cli.demo", "demo")}


def _version(value: bool) -> None:
    if value:
        typer.echo(f"billcli {__version__}")
        raise typer.Exit()


def build(only: str | None = None) -> typer.Typer:
    """The app with every group, or with just the group `only` names."""
    app = typer.Typer(
        name="billcli",
        help="Stripe-style billing on a local SQLite ledger: customers, credit balances, "
        "invoices, the customer portal.",
        no_args_is_help=True,
        pretty_exceptions_enable=False,
        context_settings={"help_option_names": ["-h", "--help"]},
    )

    @app.callback()
    def root(
        version: bool = typer.Option(
            False,
            "--version",
            callback=_version,
            is_eager=True,
            help="Show the version and exit.",
        ),
    ) -> None:
        """Stripe-style billing on a local SQLite ledger."""

    for name, module in GROUPS.items():
        if only in (None, name):
            app.add_typer(importlib.import_module(module).app, name=name)
    for name, (module, function) in COMMANDS.items():
        if only in (None, name):
            app.command(name)(getattr(importlib.import_module(module), function))
    return app


def group_named(args: list[str]) -> str | None:
    """The group or command a command line (or a shell completing one) names, if any."""
    words = args
    if "_BILLCLI_COMPLETE" in os.environ:
        line = os.environ.get("COMP_WORDS") or os.environ.get("_TYPER_COMPLETE_ARGS", "")
        words = line.split()[1:]
        complete_first = len(words) <= 1 and not line.endswith(" ")
        if complete_first:
            return None
    first = next((w for w in words if not w.startswith("-")), None)
    return first if first in GROUPS or first in COMMANDS else None
