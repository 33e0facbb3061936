"""The `billcli` command tree: one Typer sub-app per command group, built on demand.

Typer turns every command into a click command on each run; building only the group
a command line names keeps start-up (and every TAB press) from paying for all of them.
"""

import copy
import importlib
import os

import typer

from billcli import __version__

GROUPS = {
    "customers": "billcli.cli.customers",
    "balance": "billcli.cli.balance",
    "invoices": "billcli.cli.invoices",
    "products": "billcli.cli.products",
    "prices": "billcli.cli.prices",
    "plans": "billcli.cli.plans",
    "subscriptions": "billcli.cli.subscriptions",
    "meters": "billcli.cli.meters",
    "coupons": "billcli.cli.coupons",
    "tax-rates": "billcli.cli.tax_rates",
    "promotion-codes": "billcli.cli.promotion_codes",
    "credit-notes": "billcli.cli.credit_notes",
    "payment-methods": "billcli.cli.payment_methods",
    "setup-intents": "billcli.cli.setup_intents",
    "payment-intents": "billcli.cli.payment_intents",
    "charges": "billcli.cli.charges",
    "refunds": "billcli.cli.refunds",
    "reports": "billcli.cli.reports",
    "api": "billcli.cli.api",
    "events": "billcli.cli.events",
    "portal": "billcli.cli.portal",
    "checkout": "billcli.cli.checkout",
    "subscription-schedules": "billcli.cli.subscription_schedules",
    "webhooks": "billcli.cli.webhooks",
    "clocks": "billcli.cli.clocks",
    "ledger": "billcli.cli.ledger",
}
COMMANDS = {"demo": ("billcli.cli.demo", "demo")}


def _version(value: bool) -> None:
    if value:
        typer.echo(f"billcli {__version__}")
        raise typer.Exit()


def build(only: str | None = None, command: str | None = None) -> typer.Typer:
    """The app with every group, or with just the group `only` names (and within it,
    when `command` names one of its commands or subgroups, just that one)."""
    app = typer.Typer(
        name="billcli",
        help="Stripe-style billing on a local SQLite ledger: customers, credit balances, "
        "invoices, the customer portal.",
        no_args_is_help=True,
        pretty_exceptions_enable=False,
        # Help is click's plain layout: option names are never cut (a long one takes a
        # line of its own), and paragraphs are wrapped whole to the terminal; rich's
        # option tables truncated names at 80 columns.
        rich_markup_mode=None,
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
            app.add_typer(_narrowed(importlib.import_module(module).app, command), name=name)
    for name, (module, function) in COMMANDS.items():
        if only in (None, name):
            app.command(name)(getattr(importlib.import_module(module), function))
    return app


def _narrowed(group: typer.Typer, command: str | None) -> typer.Typer:
    """A copy of `group` holding only `command`, when it names one of its own.

    Typer builds a click command, options and all, for every command of a group on
    each run; a command line needs just the one it names.
    """
    if command is None:
        return group
    commands = [c for c in group.registered_commands if _command_name(c) == command]
    groups = [g for g in group.registered_groups if g.name == command]
    if not commands and not groups:
        return group
    narrowed = copy.copy(group)
    narrowed.registered_commands = commands
    narrowed.registered_groups = groups
    return narrowed


def _command_name(info: typer.models.CommandInfo) -> str:
    if info.name:
        return info.name
    callback = info.callback
    return getattr(callback, "__name__", "").replace("_", "-")


def named(args: list[str]) -> tuple[str | None, str | None]:
    """The group (or top-level command) a command line names, and the command within it.

    For a shell completing a line, only words already typed in full count.
    """
    words = args
    if "_BILLCLI_COMPLETE" in os.environ:
        bash = os.environ["_BILLCLI_COMPLETE"] == "complete_bash"
        line = os.environ.get("COMP_WORDS" if bash else "_TYPER_COMPLETE_ARGS", "")
        words = line.split()[1:]
        if not line.endswith(" "):
            words = words[:-1]
    plain = [w for w in words if not w.startswith("-")]
    group = plain[0] if plain and (plain[0] in GROUPS or plain[0] in COMMANDS) else None
    command = plain[1] if group in GROUPS and len(plain) > 1 else None
    return group, command
