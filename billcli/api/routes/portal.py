"""Billing portal configurations and sessions."""

from __future__ import annotations

from typing import Any

from billcli.api.handlers import listed, paging, required, route
from billcli.api.params import Params, spelled_as
from billcli.errors import InvalidRequest
from billcli.services.portal import configurations as portal_configurations
from billcli.services.portal import sessions as portal_sessions
from billcli.services.portal.configurations import ConfigurationInput
from billcli.services.portal.flows import FlowInput
from billcli.store.ledger import Ledger


def _features(p: Params) -> dict[str, Any]:
    features = p.map("features") or {}
    if not all(isinstance(v, dict) for v in features.values()):
        raise InvalidRequest("Invalid features: expected objects", param="features")
    return features


def _configuration_input(p: Params, current: dict[str, Any] | None = None) -> Any:
    profile = p.map("business_profile") or {}
    features = _features(p)
    history = features.get("invoice_history", {})
    update = features.get("customer_update", {})
    method = features.get("payment_method_update", {})
    cancel = features.get("subscription_cancel", {})
    reasons = cancel.get("cancellation_reason") or {}
    change = features.get("subscription_update", {})
    pause = features.get("subscription_pause", {})
    products = [
        f"{entry.get('product')}=" + ",".join(entry.get("prices") or [])
        for entry in (change.get("products") or [])
        if isinstance(entry, dict)
    ]

    def flag(section: dict[str, Any]) -> bool | None:
        value = section.get("enabled")
        return None if value is None else value == "true"

    def joined(value: Any) -> str | None:
        return None if value is None else ",".join(value) if isinstance(value, list) else value

    return ConfigurationInput(
        headline=profile.get("headline"),
        privacy_policy_url=profile.get("privacy_policy_url"),
        terms_of_service_url=profile.get("terms_of_service_url"),
        default_return_url=p.text("default_return_url", clearable=True),
        invoice_history=flag(history),
        customer_update=joined(update.get("allowed_updates")),
        payment_method_update=flag(method),
        subscription_cancel=flag(cancel),
        cancellation_mode=cancel.get("mode"),
        cancellation_reasons=joined(reasons.get("options")) if flag(reasons) else None,
        cancellation_proration=cancel.get("proration_behavior"),
        subscription_pause=flag(pause),
        subscription_update=flag(change),
        subscription_update_allows=joined(change.get("default_allowed_updates")),
        subscription_proration=change.get("proration_behavior"),
        subscription_update_products=tuple(products),
        login_page=flag(p.map("login_page") or {}),
        active=p.boolean("active"),
        default=False,
        metadata=p.metadata(current["metadata"] if current else None),
        name=p.text("name"),
    )


# The services' option names (the CLI's) as the API spells them.
_SPELLED = {
    "headline": "business_profile[headline]",
    "privacy_policy_url": "business_profile[privacy_policy_url]",
    "terms_of_service_url": "business_profile[terms_of_service_url]",
    "customer_update": "features[customer_update][allowed_updates]",
    "cancellation_mode": "features[subscription_cancel][mode]",
    "cancellation_reasons": "features[subscription_cancel][cancellation_reason][options]",
    "cancellation_proration": "features[subscription_cancel][proration_behavior]",
    "subscription_update_allows": "features[subscription_update][default_allowed_updates]",
    "subscription_proration": "features[subscription_update][proration_behavior]",
    "subscription_update_product": "features[subscription_update][products]",
}


@route("POST", "/v1/billing_portal/configurations")
def create_configuration(ledger: Ledger, p: Params) -> Any:
    required(p.values.get("features"), "features")  # Stripe's one required parameter
    data = _configuration_input(p)
    p.unknown()
    with spelled_as(_SPELLED.get):
        return portal_configurations.create(ledger, data)


@route("GET", "/v1/billing_portal/configurations/{configuration}")
def retrieve_configuration(ledger: Ledger, p: Params, configuration: str) -> Any:
    p.unknown()
    return portal_configurations.show(ledger, configuration)


@route("POST", "/v1/billing_portal/configurations/{configuration}")
def update_configuration(ledger: Ledger, p: Params, configuration: str) -> Any:
    current = portal_configurations.show(ledger, configuration)
    data = _configuration_input(p, current)
    p.unknown()
    with spelled_as(_SPELLED.get):
        return portal_configurations.update(ledger, configuration, data)


@route("GET", "/v1/billing_portal/configurations")
def list_configurations(ledger: Ledger, p: Params) -> Any:
    request, active, default = paging(p), p.boolean("active"), p.boolean("is_default")
    p.unknown()
    return listed(
        portal_configurations.list_configurations(
            ledger, request, active=active, is_default=default
        )
    )


@route("POST", "/v1/billing_portal/sessions")
def create_session(ledger: Ledger, p: Params) -> Any:
    customer = required(p.text("customer"), "customer")
    configuration, return_url, locale = (
        p.text("configuration"),
        p.text("return_url"),
        p.text("locale"),
    )
    flow_data = p.map("flow_data")
    p.refuse("on_behalf_of", "customer_account")
    if p.has("after_expiration"):
        raise InvalidRequest(
            "Cannot use after_expiration: billcli does not model recovering an expired portal "
            "session (an expired link shows the portal's login page, when it has one)",
            param="after_expiration",
        )
    p.unknown()
    flow = None
    if flow_data:
        after = flow_data.get("after_completion") or {}
        kind = flow_data.get("type")
        section = (
            flow_data.get(kind or "", {}) if isinstance(flow_data.get(kind or ""), dict) else {}
        )
        items = section.get("items") or []
        price = None
        if items and isinstance(items[0], dict) and items[0].get("price"):
            price = items[0]["price"] + (
                f":{items[0]['quantity']}" if items[0].get("quantity") else ""
            )
        flow = FlowInput(
            type=kind or "",
            subscription=section.get("subscription"),
            price=price,
            after_completion=after.get("type"),
            after_completion_url=(after.get("redirect") or {}).get("return_url"),
            after_completion_message=(after.get("hosted_confirmation") or {}).get("custom_message"),
        )
    return portal_sessions.create(
        ledger,
        customer,
        configuration=configuration,
        return_url=return_url,
        locale=locale,
        flow=flow,
    )


ROUTES = [
    create_configuration,
    list_configurations,
    retrieve_configuration,
    update_configuration,
    create_session,
]
