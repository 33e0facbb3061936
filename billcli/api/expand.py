"""`expand[]`: ids in a response replaced by the objects they name, as Stripe does.

A path is a dotted list of fields (`customer`, `data.customer`, `lines.data.price`);
what it reaches must be an id of an object billcli keeps, else the request is refused
naming the path.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from billcli.errors import InvalidRequest
from billcli.services.catalog import prices, products
from billcli.services.customers import customers
from billcli.services.invoicing import credit_notes, invoices
from billcli.services.invoicing import items as invoice_items
from billcli.services.payments import charges, methods, payment_intents, refunds, setup_intents
from billcli.services.subscriptions import creation as subscriptions
from billcli.services.taxes import rates
from billcli.store.ledger import Ledger

MAX_EXPANSIONS = 20


def _resolvers() -> dict[str, Callable[[Ledger, str], dict[str, Any]]]:
    return {
        "cus_": customers.show,
        "in_": invoices.show,
        "ii_": invoice_items.show,
        "sub_": subscriptions.show,
        "price_": prices.show,
        "prod_": products.show,
        "cn_": credit_notes.show,
        "pm_": methods.show,
        "pi_": payment_intents.show,
        "ch_": charges.show,
        "re_": refunds.show,
        "seti_": setup_intents.show,
        "txr_": rates.show,
    }


def expand(ledger: Ledger, found: Any, paths: list[str]) -> Any:
    if not paths:
        return found
    if len(paths) > MAX_EXPANSIONS:
        raise InvalidRequest(f"Invalid expand: at most {MAX_EXPANSIONS} paths", param="expand")
    resolvers = _resolvers()
    for path in paths:
        found = _expand(ledger, found, path.split("."), path, resolvers)
    return found


def _expand(
    ledger: Ledger,
    value: Any,
    parts: list[str],
    path: str,
    resolvers: dict[str, Callable[[Ledger, str], dict[str, Any]]],
) -> Any:
    if isinstance(value, list):
        return [_expand(ledger, item, parts, path, resolvers) for item in value]
    if not isinstance(value, dict) or parts[0] not in value:
        raise InvalidRequest(f"This property cannot be expanded ({path}).", param="expand")
    head, rest = parts[0], parts[1:]
    copied = dict(value)
    if rest:
        copied[head] = _expand(ledger, value[head], rest, path, resolvers)
        return copied
    held = value[head]
    if held is None or isinstance(held, dict):
        return copied
    resolver = next(
        (r for prefix, r in resolvers.items() if isinstance(held, str) and held.startswith(prefix)),
        None,
    )
    if resolver is None:
        raise InvalidRequest(f"This property cannot be expanded ({path}).", param="expand")
    copied[head] = resolver(ledger, held)
    return copied
