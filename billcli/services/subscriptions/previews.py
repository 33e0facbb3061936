"""Previewing a change: make it, show the invoice it brings, undo it.

Facts §4 and §9.17: a preview and the update made with the same proration date must
agree to the cent, for every change (an interval switch, a new anchor, a trial ended,
`always_invoice`…). So a preview is no second computation: inside a savepoint that is
always rolled back, the change is applied by the very code `subscriptions update` runs,
without charging; the invoice it made at once, or else the next invoice with the
prorations it left pending, is shown as Stripe's upcoming invoice.
"""

from __future__ import annotations

from typing import Any

from billcli.core.records.subscriptions import Subscription
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
) -> dict[str, Any]:
    """`invoices upcoming`: the next invoice, with a change made if one is given."""
    if change is not None:
        change.checked()
    with ledger.write() as tx:
        found = subscription_for(tx, customer_id, subscription, changing=change is not None)
        return previewed(tx, found, change)


def previewed(tx: Tx, sub: Subscription, change: ChangeInput | None) -> dict[str, Any]:
    """The invoice `change` would bring (none given: the next one); nothing stays written."""
    with tx.scratch():
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
