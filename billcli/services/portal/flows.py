"""Deep links into the portal (`flow_data`): one flow, and where it leads afterwards.

Facts §7: `payment_method_update`, `subscription_cancel`, `subscription_update` or
`subscription_update_confirm` (one item, a price the configuration lists), each for a
subscription of the session's own customer; after completion the portal's homepage, a
redirect, or a hosted confirmation. The flow hides the rest of the portal.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from billcli.core.invoicing import check_choice
from billcli.core.portal import AFTER_COMPLETION, FLOWS, check_url
from billcli.core.records import Customer
from billcli.core.records.portal import PortalConfiguration
from billcli.core.subscriptions import ENDED
from billcli.errors import InvalidRequest
from billcli.services.portal.rules import allowed_price, single_item
from billcli.services.subscriptions.creation import parse_item
from billcli.store.ledger import Tx

MAX_MESSAGE = 500
# The portal feature each flow needs.
FEATURE = {
    "payment_method_update": "payment_method_update",
    "subscription_cancel": "subscription_cancel",
    "subscription_update": "subscription_update",
    "subscription_update_confirm": "subscription_update",
}


@dataclass(frozen=True)
class FlowInput:
    """`portal sessions create --flow …` as typed."""

    type: str
    subscription: str | None = None
    price: str | None = None  # PRICE[:QUANTITY], for subscription_update_confirm
    after_completion: str | None = None
    after_completion_url: str | None = None
    after_completion_message: str | None = None

    def checked(self) -> FlowInput:
        check_choice(self.type, FLOWS, "flow_data[type]")
        after = check_choice(
            self.after_completion or "portal_homepage",
            AFTER_COMPLETION,
            "flow_data[after_completion][type]",
        )
        if after == "redirect" and not self.after_completion_url:
            raise InvalidRequest(
                "Missing after_completion_url: a redirect needs --after-completion-url",
                param="flow_data[after_completion][redirect][return_url]",
            )
        check_url(self.after_completion_url, "flow_data[after_completion][redirect][return_url]")
        if self.after_completion_message and len(self.after_completion_message) > MAX_MESSAGE:
            raise InvalidRequest(
                f"Invalid after_completion_message: at most {MAX_MESSAGE} characters",
                param="flow_data[after_completion][hosted_confirmation][custom_message]",
            )
        return self


def flow(
    tx: Tx, customer: Customer, configuration: PortalConfiguration, data: FlowInput
) -> dict[str, Any]:
    """The session's `flow`, checked against the ledger and the configuration."""
    data.checked()
    kind = data.type
    if not configuration.features[FEATURE[kind]]["enabled"]:
        raise InvalidRequest(
            f"Invalid flow_data[type]: {configuration.id} does not enable "
            f"{FEATURE[kind]}, which the {kind} flow needs",
            param="flow_data[type]",
        )
    shown: dict[str, Any] = {
        "after_completion": _after_completion(data),
        "subscription_cancel": None,
        "subscription_update": None,
        "subscription_update_confirm": None,
        "type": kind,
    }
    if kind == "payment_method_update":
        return shown
    param = f"flow_data[{kind}][subscription]"
    if data.subscription is None:
        raise InvalidRequest(f"Missing {param}: the {kind} flow names a subscription", param=param)
    sub = tx.subscriptions.get(data.subscription)
    if sub is None or sub.customer != customer.id or sub.status in ENDED:
        raise InvalidRequest(
            f"Invalid {param}: {data.subscription} is not a current subscription of {customer.id}",
            param=param,
        )
    if kind == "subscription_cancel":
        shown[kind] = {"retention": None, "subscription": sub.id}
    elif kind == "subscription_update":
        shown[kind] = {"subscription": sub.id}
    else:
        shown[kind] = _confirm(tx, configuration, sub.id, data.price)
    return shown


def _after_completion(data: FlowInput) -> dict[str, Any]:
    after = data.after_completion or "portal_homepage"
    return {
        "hosted_confirmation": {"custom_message": data.after_completion_message}
        if after == "hosted_confirmation"
        else None,
        "redirect": {"return_url": data.after_completion_url} if after == "redirect" else None,
        "type": after,
    }


def _confirm(
    tx: Tx, configuration: PortalConfiguration, subscription_id: str, spec: str | None
) -> dict[str, Any]:
    """One item, and a price the configuration lets customers switch to (facts §7)."""

    param = "flow_data[subscription_update_confirm][items]"
    if spec is None:
        raise InvalidRequest(f"Missing {param}: give --flow-price PRICE[:QUANTITY]", param=param)
    price, quantity = parse_item(spec, param)
    item = single_item(tx, subscription_id, param=param)
    allowed_price(configuration, price, param=f"{param}[0][price]")
    return {
        "discounts": [],
        "items": [{"id": item.id, "price": price, "quantity": 1 if quantity is None else quantity}],
        "subscription": subscription_id,
    }
