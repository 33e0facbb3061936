"""The hosted page's quantity field, on a line item with `adjustable_quantity` enabled:
the buyer sets the quantity within the line's bounds and the session is repriced; any
other quantity is refused with what the page shows, and the session stays as it was.

A promotion code already applied must still be redeemable at the new amount (its
minimum): a quantity that would take the purchase under it is refused.
"""

from __future__ import annotations

from dataclasses import replace

from billcli.core import checkout as rules
from billcli.errors import InvalidRequest
from billcli.services.catalog import prices
from billcli.services.checkout.completion import open_by_secret, reordered
from billcli.services.checkout.pricing import redeemable_here
from billcli.store.ledger import Ledger

PARAM = "quantity"


def adjust(ledger: Ledger, secret: str, line_item: str | None, typed: str | None) -> None:
    text = (typed or "").strip()
    if not (text.isascii() and text.isdigit()):
        raise InvalidRequest("Enter a whole number of items.", param=PARAM)
    quantity = int(text)
    with ledger.write() as tx:
        session = open_by_secret(tx, secret)
        items = [dict(item) for item in session.line_items]
        target = next((item for item in items if item["id"] == line_item), None)
        if target is None:
            raise InvalidRequest("This item is not part of the checkout.", param="line_item")
        after = [quantity if item is target else item["quantity"] for item in items]
        recurring_after = None
        if session.mode == "subscription":
            recurs = [prices.find(tx, item["price"]).type == "recurring" for item in items]
            recurring_after = [q for q, r in zip(after, recurs, strict=True) if r]
        rules.check_adjusted(target.get("adjustable_quantity"), quantity, after, recurring_after)
        target["quantity"] = quantity
        changed = replace(session, line_items=items)
        if changed.promotion_code is not None:
            redeemable_here(tx, changed, changed.promotion_code, param=PARAM)
        reordered(tx, changed)
