"""Candidates for shell completion, read from the ledger a command line names.

Every function answers with (value, help) pairs, and answers nothing at all when the
ledger is missing, foreign or busy: completion must never print into a shell.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from billcli.core.dates import utc_text
from billcli.core.money import CURRENCIES, format_amount
from billcli.store import completion as store
from billcli.store.paths import resolve

Candidates = list[tuple[str, str]]


def customers(path: str | None, prefix: str) -> Candidates:
    rows = store.lookup(resolve(path), store.customers, prefix)
    return [
        (cid, " ".join(filter(None, [name, f"<{email}>" if email else None])))
        for cid, name, email in rows
    ]


def invoices(path: str | None, prefix: str, statuses: Sequence[str] = ()) -> Candidates:
    rows = store.lookup(resolve(path), store.invoices, prefix, statuses)
    return [
        (iid, f"{number or 'draft'} {status} {format_amount(due, currency)}")
        for iid, number, status, due, currency in rows
    ]


def balance_transactions(path: str | None, customer: str | None, prefix: str) -> Candidates:
    if not customer:
        return []
    rows = store.lookup(resolve(path), store.balance_transactions, customer, prefix)
    return [
        (tid, f"{kind} {format_amount(amount, currency)}") for tid, kind, amount, currency in rows
    ]


def tax_ids(path: str | None, customer: str | None, prefix: str) -> Candidates:
    """The tax IDs of the customer on the line, with their type and value."""
    if not customer:
        return []
    rows = store.lookup(resolve(path), store.tax_ids, customer, prefix)
    return [(tid, f"{type_} {value}") for tid, type_, value in rows]


def invoice_items(path: str | None, prefix: str) -> Candidates:
    rows = store.lookup(resolve(path), store.invoice_items, prefix)
    return [
        (
            iid,
            f"{description or ''} {format_amount(amount, currency)} {invoice or 'pending'}".strip(),
        )
        for iid, description, amount, currency, invoice in rows
    ]


def portal_configurations(path: str | None, prefix: str) -> Candidates:
    rows = store.lookup(resolve(path), store.portal_configurations, prefix)
    return [
        (
            cid,
            " ".join(
                filter(None, ["default" if default else None, "active" if active else "inactive"])
            )
            + (f": {headline}" if headline else ""),
        )
        for cid, default, active, headline in rows
    ]


def webhook_endpoints(path: str | None, prefix: str) -> Candidates:
    rows = store.lookup(resolve(path), store.webhook_endpoints, prefix)
    return [(wid, f"{url} ({status})") for wid, url, status in rows]


def products(path: str | None, prefix: str) -> Candidates:
    rows = store.lookup(resolve(path), store.products, prefix)
    return [(pid, name + ("" if active else " (archived)")) for pid, name, active in rows]


def prices(path: str | None, prefix: str, kind: str | None) -> Candidates:
    rows = store.lookup(resolve(path), store.prices, prefix, kind)
    offered = []
    for pid, nickname, unit, currency, interval, count, scheme in rows:
        amount = f"tiered {currency}" if scheme == "tiered" else format_amount(unit or 0, currency)
        every = (
            "" if interval is None else f" / {interval if count == 1 else f'{count} {interval}s'}"
        )
        offered.append((pid, " ".join(filter(None, [nickname, f"{amount}{every}"]))))
    return offered


def subscriptions(path: str | None, prefix: str) -> Candidates:
    rows = store.lookup(resolve(path), store.subscriptions, prefix)
    return [(sid, f"{status} {customer}") for sid, status, customer in rows]


def coupons(path: str | None, prefix: str) -> Candidates:
    rows = store.lookup(resolve(path), store.coupons, prefix)
    offered = []
    for cid, name, percent, amount, currency in rows:
        off = (
            f"{percent:g}% off"
            if percent is not None
            else f"{format_amount(amount or 0, currency)} off"
        )
        offered.append((cid, " ".join(filter(None, [name, off]))))
    return offered


def promotion_codes(path: str | None, prefix: str) -> Candidates:
    rows = store.lookup(resolve(path), store.promotion_codes, prefix)
    return [(pid, f"{code} ({coupon})") for pid, code, coupon in rows]


def credit_notes(path: str | None, prefix: str) -> Candidates:
    rows = store.lookup(resolve(path), store.credit_notes, prefix)
    return [
        (cid, f"{number} {format_amount(total, currency)} {status}")
        for cid, number, status, total, currency in rows
    ]


def payment_methods(path: str | None, prefix: str, customer: str | None, kind: str) -> Candidates:
    """Saved cards (the customer's, when one is on the line) by id, then test tokens:
    every token (`any`), only those that can be saved (`attachable`), or only those and
    no saved card (`new`)."""
    saved: Candidates = []
    if kind != "new":
        rows = store.lookup(resolve(path), store.payment_methods, prefix, customer)
        saved = [
            (pid, f"{brand} •••• {last4}" + (f" {owner}" if owner else ""))
            for pid, brand, last4, owner in rows
        ]
    return saved + test_cards(prefix, attachable_only=kind != "any")


def money_objects(path: str | None, table: str, prefix: str, statuses: Sequence[str]
                  ) -> Candidates:  # fmt: skip
    """Payment intents, charges or refunds with their status and amount."""
    rows = store.lookup(resolve(path), store.money_objects, table, prefix, statuses)
    return [(oid, f"{status} {format_amount(amount, cur)}") for oid, status, amount, cur in rows]


def with_status(path: str | None, table: str, prefix: str) -> Candidates:
    """Setup intents, Checkout Sessions or schedules with their status and customer."""
    rows = store.lookup(resolve(path), store.with_status, table, prefix)
    return [(sid, " ".join(filter(None, [status, customer]))) for sid, status, customer in rows]


def test_clocks(path: str | None, prefix: str) -> Candidates:
    rows = store.lookup(resolve(path), store.test_clocks, prefix)
    return [
        (cid, " ".join(filter(None, [name, f"{status} at {utc_text(frozen, short=True)}"])))
        for cid, name, status, frozen in rows
    ]


def tax_rates(path: str | None, incomplete: str, *, after_item: bool, archived: bool) -> Candidates:
    """Active tax rates (with `archived`, every one) as they read on an invoice (`VAT 20%
    (inclusive)`); with `after_item`, the rate of an `ITEM=TXR` value, once its item is
    typed."""
    # startup: completion loads only the candidates it is asked for
    from billcli.core.tax import label

    lead, prefix = "", incomplete
    if after_item:
        item, equals, prefix = incomplete.partition("=")
        if not equals:
            return []
        lead = f"{item}="
    rows = store.lookup(resolve(path), store.tax_rates, prefix, archived)
    return [
        (lead + rid, " ".join(filter(None, [label(name, pct, bool(inc)), where])))
        for rid, name, pct, inc, where in rows
    ]


def meters(path: str | None, prefix: str, by_name: bool) -> Candidates:
    """Meter ids with their event and display names; or, `by_name`, event names."""
    rows = store.lookup(resolve(path), store.meters, prefix, by_name)
    return [
        (event_name, f"{mid} {display} ({status})")
        if by_name
        else (mid, f"{event_name}: {display} ({status})")
        for mid, event_name, display, status in rows
    ]


def search_fields(resource: str, incomplete: str) -> Candidates:
    """Field names for the clause being typed at the end of a search query."""
    # startup: completion loads only the candidates it is asked for
    from billcli.core.search import FIELDS

    head, space, last = incomplete.rpartition(" ")
    sign = "-" if last.startswith("-") else ""
    lead = head + space + sign
    return [
        (lead + name + ("['" if name == "metadata" else ":"), kind.value)
        for name, kind in sorted(FIELDS[resource].items())
        if name.startswith(last.removeprefix("-"))
    ]


def choices(values: Sequence[str], prefix: str) -> Candidates:
    return [(v, "") for v in values if v.startswith(prefix)]


def currencies(prefix: str) -> Candidates:
    return choices(sorted(CURRENCIES), prefix.lower())


def test_cards(prefix: str, *, attachable_only: bool) -> Candidates:
    # startup: completion loads only the candidates it is asked for
    from billcli.core.payments import TEST_CARDS

    cards = [c for c in TEST_CARDS.values() if c.attachable or not attachable_only]
    return [
        (
            c.name,
            f"{c.brand} •••• {c.last4}"
            + (f", declines: {c.decline_code or c.code}" if c.declines else ""),
        )
        for c in cards
        if c.name.startswith(prefix)
    ]


def comma_list(values: Sequence[str], incomplete: str) -> Candidates:
    """Values of a comma-separated option: completes the part after the last comma."""
    head, _, last = incomplete.rpartition(",")
    taken = set(head.split(",")) if head else set()
    lead = f"{head}," if head else ""
    return [(lead + value, help_) for value, help_ in choices(values, last) if value not in taken]


def candidates(
    spec: Sequence[str], path: str | None, params: Mapping[str, Any], incomplete: str
) -> Candidates:
    """The candidates a completer's spec names, for the value being typed.

    A spec is a kind and its arguments (`("invoices", "draft")`, `("one_of", *values)`),
    plain data, so that the command table of `cli.fastpath` can carry it and complete
    without Typer; the Typer completers call this too.
    """
    kind, *args = spec
    if kind == "customers":
        return customers(path, incomplete)
    if kind == "invoices":
        return invoices(path, incomplete, args)
    if kind == "balance_transactions":
        return balance_transactions(path, params.get("customer"), incomplete)
    if kind == "invoice_items":
        return invoice_items(path, incomplete)
    if kind == "tax_ids":
        return tax_ids(path, params.get("customer"), incomplete)
    if kind == "portal_configurations":
        return portal_configurations(path, incomplete)
    if kind == "webhook_endpoints":
        return webhook_endpoints(path, incomplete)
    if kind == "products":
        return products(path, incomplete)
    if kind == "prices":
        return prices(path, incomplete, args[0] if args else None)
    if kind == "subscriptions":
        return subscriptions(path, incomplete)
    if kind == "search_fields":
        return search_fields(args[0], incomplete)
    if kind == "coupons":
        return coupons(path, incomplete)
    if kind == "meters":
        return meters(path, incomplete, bool(args))
    if kind == "credit_notes":
        return credit_notes(path, incomplete)
    if kind == "promotion_codes":
        return promotion_codes(path, incomplete)
    if kind == "one_of":
        return choices(args, incomplete)
    if kind == "comma_list":
        return comma_list(args, incomplete)
    if kind == "currencies":
        return currencies(incomplete)
    if kind == "payment_methods":
        return payment_methods(path, incomplete, params.get("customer"), *(args or ["any"]))
    if kind in ("payment_intents", "charges", "refunds"):
        return money_objects(path, kind, incomplete, args)
    if kind in store.WITH_STATUS:
        return with_status(path, kind, incomplete)
    if kind == "test_clocks":
        return test_clocks(path, incomplete)
    if kind == "tax_rates":
        return tax_rates(path, incomplete, after_item="items" in args, archived="all" in args)
    raise ValueError(f"unknown completer {kind!r}")
