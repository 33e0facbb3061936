"""Previewing a change: make it, show the invoice it brings, undo it.

Facts §4 and §9.17: a preview and the update made with the same proration date must
agree to the cent, for every change (an interval switch, a new anchor, a trial ended,
`always_invoice`…). So a preview is no second computation: inside a savepoint that is
always rolled back, the change is applied by the very code `subscriptions update` runs,
without charging; the invoice it made at once, or else the next invoice with the
prorations it left pending, is shown as Stripe's upcoming invoice.
"""

from __future__ import annotations

from dataclasses import replace
from typing import Any

from billcli.core.money import normalize_currency
from billcli.core.records.subscriptions import Subscription
from billcli.errors import InvalidRequest
from billcli.services.invoicing import items as items_service
from billcli.services.invoicing.items import ItemInput
from billcli.services.subscriptions.changes import apply
from billcli.services.subscriptions.clock import caught_up
from billcli.services.subscriptions.proposals import ChangeInput, propose
from billcli.services.subscriptions.upcoming import made_now, preview, subscription_for
from billcli.store.ledger import Ledger, Tx


def upcoming(
    ledger: Ledger,
    customer_id: str,
    *,
    subscription: str | None = None,
    change: ChangeInput | None = None,
    currency: str | None = None,
    invoice_items: tuple[tuple[str | None, ItemInput], ...] = (),
) -> dict[str, Any]:
    """`invoices upcoming`: the next invoice, with a change made if one is given, and
    `invoice_items` (new pending items, or changes of pending ones: `(item id, input)`)."""
    if change is not None:
        change.checked()
    with ledger.write() as tx:
        found = subscription_for(tx, customer_id, subscription, changing=change is not None)
        if currency is not None and normalize_currency(currency) != found.currency:
            raise InvalidRequest(
                f"Invalid currency: {found.id} bills in {found.currency}", param="currency"
            )
        return previewed(tx, found, change, invoice_items)


def previewed(
    tx: Tx,
    sub: Subscription,
    change: ChangeInput | None,
    invoice_items: tuple[tuple[str | None, ItemInput], ...] = (),
) -> dict[str, Any]:
    """The invoice `change` would bring (none given: the next one), with `invoice_items`
    made first; nothing stays written."""
    with tx.scratch():
        for item_id, item in invoice_items:
            if item_id is None:
                items_service.create_in(tx, replace(item, customer=sub.customer))
            else:
                items_service.update_in(tx, item_id, item)
        sub = caught_up(tx, sub)
        if change is None:
            return preview(tx, sub)
        proposal = propose(tx, sub, change)
        after = apply(tx, proposal, change, collect=False)
        if proposal.invoice_now:
            invoice = tx.invoices.get(str(after.latest_invoice))
            assert invoice is not None, after.latest_invoice
            shown = made_now(tx, after, invoice)
        else:
            shown = preview(tx, after)
        if proposal.prorations:
            shown["subscription_proration_date"] = proposal.at
        return shown
