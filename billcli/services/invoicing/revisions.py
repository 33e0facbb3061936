"""Invoice revisions (`from_invoice[action]=revision`): a finalized invoice is changed by
drafting its replacement, as Stripe does.

The revision is a new draft of the same customer and currency with a copy of every line
and of what the original says (its terms, description, metadata, custom fields, footer,
shipping details…); pending items are not swept in and credit notes are not copied.
Finalizing it voids the original (`lifecycle.finalize_in`), which then names it as its
`latest_revision`. Only an `open` or `uncollectible` invoice of no subscription can be
revised (Stripe's rules).
"""

from __future__ import annotations

from dataclasses import replace
from typing import Any

from billcli.core import limits
from billcli.core.ids import new_id
from billcli.core.records.invoices import Invoice
from billcli.errors import InvalidRequest
from billcli.services.invoicing.objects import find_invoice
from billcli.store.ledger import Tx

REVISABLE = ("open", "uncollectible")
# What a revision takes from its original (beside the customer, currency and lines).
COPIED = (
    "collection_method",
    "auto_advance",
    "days_until_due",
    "description",
    "metadata",
    "custom_fields",
    "footer",
    "rendering",
    "shipping_details",
    "statement_descriptor",
    "default_payment_method",
    "payment_settings",
    "effective_at",
)


def original(tx: Tx, given: Any) -> Invoice:
    """The invoice `from_invoice` names, when it may be revised."""
    limits.only_keys(limits.hash_of(given, "from_invoice"), ("action", "invoice"), "from_invoice")
    for key in ("action", "invoice"):
        if not given.get(key):
            raise InvalidRequest.missing(f"from_invoice[{key}]")
    limits.choice(given["action"], limits.ENUMS["revision_action"], "from_invoice[action]")
    found = find_invoice(tx, str(given["invoice"]), param="from_invoice[invoice]")
    if found.status not in REVISABLE:
        raise InvalidRequest(
            f"Invalid from_invoice[invoice]: {found.id} is {found.status}; only open or "
            "uncollectible invoices can be revised",
            param="from_invoice[invoice]",
        )
    if found.subscription is not None:
        raise InvalidRequest(
            f"Invalid from_invoice[invoice]: {found.id} is an invoice of {found.subscription}; "
            "subscription invoices cannot be revised",
            param="from_invoice[invoice]",
        )
    return found


def draft_of(tx: Tx, source: Invoice) -> Invoice:
    """The revision's draft: the original's terms, a fresh id, nothing collected yet."""
    due = source.due_date if source.days_until_due is None else None
    return Invoice(
        id=new_id("invoice"),
        customer=source.customer,
        created=tx.now,
        currency=source.currency,
        due_date=due,
        from_invoice=source.id,
        **{name: getattr(source, name) for name in COPIED},
    )


def copy_lines(tx: Tx, source: Invoice, draft: Invoice) -> None:
    """A copy of each of the original's lines on the revision, in order (the original
    keeps its own: they are what it was)."""
    for item in tx.invoice_items.on_invoice(source.id):
        tx.invoice_items.add(
            replace(
                item,
                id=new_id("invoiceitem"),
                created=tx.now,
                invoice=draft.id,
                line_id=new_id("line_item"),
                discount_amount=0,
            )
        )


def number_of(tx: Tx, revision: Invoice) -> str | None:
    """A revision is numbered after the first invoice of its chain (`ABC-0001-1`, `-2`
    for the next, a revision of a revision too)."""
    source = tx.invoices.get(str(revision.from_invoice))
    while source is not None and source.from_invoice is not None:
        source = tx.invoices.get(source.from_invoice)
    if source is None or source.number is None:
        return None
    count = 1
    while tx.invoices.by_number(f"{source.number}-{count}") is not None:
        count += 1
    return f"{source.number}-{count}"
