"""What the portal lets a customer change on a subscription, as its configuration says:
single-item subscriptions only, and only to the prices it offers (billcli-decisions)."""

from __future__ import annotations

from billcli.core.records.portal import PortalConfiguration
from billcli.core.records.subscriptions import SubscriptionItem
from billcli.errors import InvalidRequest
from billcli.store.ledger import Tx


def single_item(tx: Tx, subscription_id: str, *, param: str) -> SubscriptionItem:
    """The one item of a subscription the portal can change (billcli-decisions)."""
    items = tx.subscription_items.of(subscription_id)
    if len(items) != 1:
        raise InvalidRequest(
            f"Invalid {param}: {subscription_id} has {len(items)} items; the portal changes "
            "single-item subscriptions only",
            param=param,
        )
    return items[0]


def allowed_price(configuration: PortalConfiguration, price_id: str, *, param: str) -> str:
    """A price the configuration lets customers switch to."""
    products = configuration.features["subscription_update"]["products"]
    if not any(price_id in entry["prices"] for entry in products):
        raise InvalidRequest(
            f"Invalid {param}: {price_id} is not offered here", param=param, code="not_allowed"
        )
    return price_id
