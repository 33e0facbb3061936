"""Typer completion callbacks: they read the ledger named on the line being completed.

Each carries its `spec` (see `services.completion.candidates`), which the command
table of `cli.fastpath` records so that completion in bash, zsh and fish can skip Typer.
"""

import warnings
from collections.abc import Callable, Sequence
from typing import Any

import click
import typer
from click.shell_completion import CompletionItem

from billcli.core.invoicing import COLLECTION_METHODS, PENDING_ITEMS, STATUSES
from billcli.core.tax_ids import TYPES
from billcli.services.queries import completion

Completer = Callable[[typer.Context, str], list[tuple[str, str]]]


# Typer (<0.26) warns that `shell_complete` is deprecated; it is the only way to offer
# candidates that do not start with the typed prefix.
warnings.filterwarnings("ignore", message="In Typer, only the parameter 'autocompletion'")


def _candidates(spec: tuple[str, ...], ctx: click.Context, incomplete: str) -> list[Any]:
    value = ctx.params.get("ledger")
    return completion.candidates(spec, str(value) if value else None, ctx.params, incomplete)


def _completer(*spec: str) -> Completer:
    """A Typer `autocompletion` (it keeps only values starting with what was typed)."""

    def complete(ctx: typer.Context, incomplete: str) -> list[tuple[str, str]]:
        return _candidates(spec, ctx, incomplete)

    complete.spec = spec  # type: ignore[attr-defined]
    return complete


def customers(ctx: click.Context, param: click.Parameter, incomplete: str) -> list[CompletionItem]:
    """Customer ids by id, name or email prefix.

    Handed to click directly (`shell_complete`), because Typer's `autocompletion` keeps
    only values that start with what was typed, and a name prefix is not an id prefix.
    """
    return [
        CompletionItem(value, help=help_)
        for value, help_ in _candidates(customers.spec, ctx, incomplete)  # type: ignore[attr-defined]
    ]


customers.spec = ("customers",)  # type: ignore[attr-defined]


def invoices(*statuses: str) -> Completer:
    """Invoice ids in the given statuses (any status when none is given)."""
    return _completer("invoices", *statuses)


def search_fields(resource: str) -> Completer:
    """The field names of a resource's search query, for the clause being typed."""
    return _completer("search_fields", resource)


def comma_list(values: Sequence[str]) -> Completer:
    """Values of a comma-separated option: completes the part after the last comma."""
    return _completer("comma_list", *values)


def one_of(values: Sequence[str]) -> Completer:
    return _completer("one_of", *values)


balance_transactions = _completer("balance_transactions")
tax_ids = _completer("tax_ids")  # the customer's on the line
invoice_items = _completer("invoice_items")
portal_configurations = _completer("portal_configurations")
webhook_endpoints = _completer("webhook_endpoints")
products = _completer("products")
recurring_prices = _completer("prices", "recurring")
one_time_prices = _completer("prices", "one_time")
prices = _completer("prices")
subscriptions = _completer("subscriptions")
coupons = _completer("coupons")
meters = _completer("meters")
event_names = _completer("meters", "event_name")
promotion_codes = _completer("promotion_codes")
credit_notes = _completer("credit_notes")
currencies = _completer("currencies")
payment_methods = _completer("payment_methods")  # saved ones and every test token
default_payment_methods = _completer("payment_methods", "attachable")
new_cards = _completer("payment_methods", "new")  # the test tokens that can be saved
charges = _completer("charges")
refunds = _completer("refunds")
setup_intents = _completer("setup_intents")
test_clocks = _completer("test_clocks")
tax_rates = _completer("tax_rates")  # the active ones: only those can be put on lines
every_tax_rate = _completer("tax_rates", "all")
item_tax_rates = _completer("tax_rates", "items")  # ITEM=TXR: the rate once ITEM= is typed
checkout_sessions = _completer("checkout_sessions")
subscription_schedules = _completer("subscription_schedules")


def payment_intents(*statuses: str) -> Completer:
    """Payment intent ids in the given statuses (any status when none is given)."""
    return _completer("payment_intents", *statuses)


tax_id_types = one_of(sorted(TYPES))
statuses = one_of(STATUSES)
collection_methods = one_of(COLLECTION_METHODS)
pending_items = one_of(PENDING_ITEMS)
