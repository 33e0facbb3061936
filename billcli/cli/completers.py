"""Typer completion callbacks: they read the ledger named on the line being completed."""

import warnings
from collections.abc import Callable, Sequence
from pathlib import Path

import click
import typer
from click.shell_completion import CompletionItem

from billcli.core.invoicing import COLLECTION_METHODS, PENDING_ITEMS, STATUSES
from billcli.services import completion

Completer = Callable[[typer.Context, str], list[tuple[str, str]]]


# Typer (<0.26) warns that `shell_complete` is deprecated; it is the only way to offer
# candidates that do not start with the typed prefix.
warnings.filterwarnings("ignore", message="In Typer, only the parameter 'autocompletion'")


def _ledger(ctx: click.Context) -> Path | None:
    value = ctx.params.get("ledger")
    return Path(value) if value else None


def customers(ctx: click.Context, param: click.Parameter, incomplete: str) -> list[CompletionItem]:
    """Customer ids by id, name or email prefix.

    Handed to click directly (`shell_complete`), because Typer's `autocompletion` keeps
    only values that start with what was typed, and a name prefix is not an id prefix.
    """
    return [
        CompletionItem(value, help=help_)
        for value, help_ in completion.customers(_ledger(ctx), incomplete)
    ]


def invoices(*statuses: str) -> Completer:
    """Invoice ids in the given statuses (any status when none is given)."""

    def complete(ctx: typer.Context, incomplete: str) -> list[tuple[str, str]]:
        return completion.invoices(_ledger(ctx), incomplete, statuses)

    return complete


def balance_transactions(ctx: typer.Context, incomplete: str) -> list[tuple[str, str]]:
    return completion.balance_transactions(_ledger(ctx), ctx.params.get("customer"), incomplete)


def invoice_items(ctx: typer.Context, incomplete: str) -> list[tuple[str, str]]:
    return completion.invoice_items(_ledger(ctx), incomplete)


def portal_configurations(ctx: typer.Context, incomplete: str) -> list[tuple[str, str]]:
    return completion.portal_configurations(_ledger(ctx), incomplete)


def webhook_endpoints(ctx: typer.Context, incomplete: str) -> list[tuple[str, str]]:
    return completion.webhook_endpoints(_ledger(ctx), incomplete)


def comma_list(values: Sequence[str]) -> Completer:
    """Values of a comma-separated option: completes the part after the last comma."""

    def complete(ctx: typer.Context, incomplete: str) -> list[tuple[str, str]]:
        head, _, last = incomplete.rpartition(",")
        taken = set(head.split(",")) if head else set()
        lead = f"{head}," if head else ""
        return [
            (lead + value, help_)
            for value, help_ in completion.choices(values, last)
            if value not in taken
        ]

    return complete


def one_of(values: Sequence[str]) -> Completer:
    def complete(ctx: typer.Context, incomplete: str) -> list[tuple[str, str]]:
        return completion.choices(values, incomplete)

    return complete


def currencies(ctx: typer.Context, incomplete: str) -> list[tuple[str, str]]:
    return completion.currencies(incomplete)


def attachable_cards(ctx: typer.Context, incomplete: str) -> list[tuple[str, str]]:
    return completion.test_cards(incomplete, attachable_only=True)


def any_card(ctx: typer.Context, incomplete: str) -> list[tuple[str, str]]:
    return completion.test_cards(incomplete, attachable_only=False)


statuses = one_of(STATUSES)
collection_methods = one_of(COLLECTION_METHODS)
pending_items = one_of(PENDING_ITEMS)
