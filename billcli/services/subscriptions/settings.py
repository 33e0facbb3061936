"""What a subscription create or update sets beside its items, periods and trial: trial
settings, the pending-items interval, payment settings, whether its payments are made
off session, the anchor's configuration, and the one-time items its next invoice adds
(`add_invoice_items`). One reading for both, the CLI and the API.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import Any

from billcli.core import subscription_settings
from billcli.core.periods import boundary
from billcli.core.records.subscriptions import Subscription
from billcli.errors import InvalidRequest
from billcli.services.invoicing import items as invoice_items
from billcli.services.invoicing.items import ItemInput
from billcli.store.ledger import Tx

MAX_ADDED_ITEMS = 20


@dataclass(frozen=True)
class SubscriptionSettings:
    """None (or nothing) means "not given"; "" clears the interval or payment settings."""

    trial_settings: Any = None
    pending_invoice_item_interval: Any = None
    payment_settings: Any = None
    off_session: bool | None = None
    billing_cycle_anchor_config: Any = None
    add_invoice_items: tuple[ItemInput, ...] = ()

    def checked(self) -> SubscriptionSettings:
        if self.trial_settings is not None:
            subscription_settings.missing_payment_method(self.trial_settings)
        subscription_settings.pending_interval(self.pending_invoice_item_interval)
        subscription_settings.payment_settings(self.payment_settings)
        if len(self.add_invoice_items) > MAX_ADDED_ITEMS:
            raise InvalidRequest(
                f"Invalid add_invoice_items: at most {MAX_ADDED_ITEMS} items",
                param="add_invoice_items",
            )
        for n, item in enumerate(self.add_invoice_items):
            if item.price is None and item.price_data is None:
                raise InvalidRequest.missing(f"add_invoice_items[{n}][price]")
        return self

    def fields(self, now: int) -> dict[str, Any]:
        """The subscription fields these settings give (the interval's first invoice is
        one interval from `now`)."""
        found: dict[str, Any] = {}
        if self.trial_settings is not None:
            found["trial_missing_payment_method"] = subscription_settings.missing_payment_method(
                self.trial_settings
            )
        if self.pending_invoice_item_interval is not None:
            interval = subscription_settings.pending_interval(self.pending_invoice_item_interval)
            found["pending_invoice_item_interval"] = interval
            found["next_pending_invoice_item_invoice"] = (
                None
                if interval is None
                else boundary(now, interval["interval"], interval["interval_count"], 1)
            )
        if self.payment_settings is not None:
            found["payment_settings"] = subscription_settings.payment_settings(
                self.payment_settings
            )
        if self.off_session is not None:
            found["off_session"] = self.off_session
        return found

    def anchor(self, base: int, interval: str) -> int | None:
        """The anchor `billing_cycle_anchor_config` names, after `base` (None: not given)."""
        if self.billing_cycle_anchor_config is None:
            return None
        return subscription_settings.anchor_from_config(
            self.billing_cycle_anchor_config, base, interval
        )

    def add_items(self, tx: Tx, sub: Subscription) -> None:
        """`add_invoice_items`: one-time items of the subscription, which its next
        invoice takes (its first, when it is being created)."""
        for n, item in enumerate(self.add_invoice_items):
            try:
                invoice_items.create_in(
                    tx, replace(item, customer=sub.customer, subscription=sub.id)
                )
            except InvalidRequest as error:  # named as the request spelled it
                error.respelled(f"add_invoice_items[{n}][{error.param or 'price'}]")
                raise
