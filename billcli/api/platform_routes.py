"""Events, webhook endpoints, the billing portal, and the ledger clock as a test clock."""

from __future__ import annotations

from typing import Any

from billcli.api.handlers import listed, paging, required, route
from billcli.api.params import Params
from billcli.errors import InvalidRequest, NotFound
from billcli.store.ledger import Ledger

# The ledger's clock is the one test clock a ledger has; its id never changes.
CLOCK_ID = "clock_ledger"


@route("GET", "/v1/events")
def list_events(ledger: Ledger, p: Params) -> Any:
    from billcli.services.ledger import events

    request, kind = paging(p), p.text("type")
    p.unknown()
    return listed(events.list_events(ledger, request, type_=kind))


@route("GET", "/v1/events/{id}")
def retrieve_event(ledger: Ledger, p: Params, id: str) -> Any:
    from billcli.services.ledger import events

    p.unknown()
    return events.show_event(ledger, id)


def _endpoint_input(p: Params, current: dict[str, Any] | None = None) -> Any:
    from billcli.services.webhooks.endpoints import EndpointInput

    events = p.texts("enabled_events")
    disabled = p.boolean("disabled")
    return EndpointInput(
        url=p.text("url"),
        events=",".join(events) if events else None,
        description=p.text("description"),
        enabled=None if disabled is None else not disabled,
        metadata=p.metadata(current["metadata"] if current else None),
    )


@route("POST", "/v1/webhook_endpoints")
def create_endpoint(ledger: Ledger, p: Params) -> Any:
    from billcli.services.webhooks import endpoints as webhooks

    p.text("api_version")
    data = _endpoint_input(p)
    p.unknown()
    return webhooks.create(ledger, data)


@route("GET", "/v1/webhook_endpoints/{webhook_endpoint}")
def retrieve_endpoint(ledger: Ledger, p: Params, webhook_endpoint: str) -> Any:
    from billcli.services.webhooks import endpoints as webhooks

    p.unknown()
    return webhooks.show(ledger, webhook_endpoint)


@route("POST", "/v1/webhook_endpoints/{webhook_endpoint}")
def update_endpoint(ledger: Ledger, p: Params, webhook_endpoint: str) -> Any:
    from billcli.services.webhooks import endpoints as webhooks

    data = _endpoint_input(p, webhooks.show(ledger, webhook_endpoint))
    p.unknown()
    return webhooks.update(ledger, webhook_endpoint, data)


@route("DELETE", "/v1/webhook_endpoints/{webhook_endpoint}")
def delete_endpoint(ledger: Ledger, p: Params, webhook_endpoint: str) -> Any:
    from billcli.services.webhooks import endpoints as webhooks

    p.unknown()
    return webhooks.delete(ledger, webhook_endpoint)


@route("GET", "/v1/webhook_endpoints")
def list_endpoints(ledger: Ledger, p: Params) -> Any:
    from billcli.services.webhooks import endpoints as webhooks

    request = paging(p)
    p.unknown()
    return listed(webhooks.list_endpoints(ledger, request))


def _features(p: Params) -> dict[str, Any]:
    features = p.map("features") or {}
    if not all(isinstance(v, dict) for v in features.values()):
        raise InvalidRequest("Invalid features: expected objects", param="features")
    return features


def _configuration_input(p: Params, current: dict[str, Any] | None = None) -> Any:
    from billcli.services.portal.configurations import ConfigurationInput

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
        default_return_url=p.text("default_return_url"),
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
    )


@route("POST", "/v1/billing_portal/configurations")
def create_configuration(ledger: Ledger, p: Params) -> Any:
    from billcli.services.portal import configurations as portal_configurations

    data = _configuration_input(p)
    p.unknown()
    return portal_configurations.create(ledger, data)


@route("GET", "/v1/billing_portal/configurations/{configuration}")
def retrieve_configuration(ledger: Ledger, p: Params, configuration: str) -> Any:
    from billcli.services.portal import configurations as portal_configurations

    p.unknown()
    return portal_configurations.show(ledger, configuration)


@route("POST", "/v1/billing_portal/configurations/{configuration}")
def update_configuration(ledger: Ledger, p: Params, configuration: str) -> Any:
    from billcli.services.portal import configurations as portal_configurations

    current = portal_configurations.show(ledger, configuration)
    data = _configuration_input(p, current)
    p.unknown()
    return portal_configurations.update(ledger, configuration, data)


@route("GET", "/v1/billing_portal/configurations")
def list_configurations(ledger: Ledger, p: Params) -> Any:
    from billcli.services.portal import configurations as portal_configurations

    request, active, default = paging(p), p.boolean("active"), p.boolean("is_default")
    p.unknown()
    return listed(
        portal_configurations.list_configurations(
            ledger, request, active=active, is_default=default
        )
    )


@route("POST", "/v1/billing_portal/sessions")
def create_session(ledger: Ledger, p: Params) -> Any:
    from billcli.services.portal import sessions as portal_sessions
    from billcli.services.portal.flows import FlowInput

    customer = required(p.text("customer"), "customer")
    configuration, return_url, locale = (
        p.text("configuration"),
        p.text("return_url"),
        p.text("locale"),
    )
    flow_data = p.map("flow_data")
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


def _clock(ledger: Ledger) -> dict[str, Any]:
    """The ledger clock as a `test_helpers.test_clock`."""
    from billcli.services.ledger import info as ledgers

    state = ledgers.clock(ledger)
    return {
        "id": CLOCK_ID,
        "object": "test_helpers.test_clock",
        "created": 0,
        "deletes_after": state.now + 30 * 86_400,
        "frozen_time": state.now,
        "livemode": False,
        "name": "The ledger clock",
        "status": "ready",
    }


def _own(test_clock: str) -> None:
    if test_clock != CLOCK_ID:
        raise NotFound("test_helpers.test_clock", test_clock, param="test_clock")


@route("GET", "/v1/test_helpers/test_clocks")
def list_clocks(ledger: Ledger, p: Params) -> Any:
    paging(p)
    p.unknown()
    return {
        "object": "list",
        "url": "/v1/test_helpers/test_clocks",
        "has_more": False,
        "data": [_clock(ledger)],
    }


@route("POST", "/v1/test_helpers/test_clocks", own_transactions=True)
def create_clock(ledger: Ledger, p: Params) -> Any:
    """Creating a test clock answers the ledger's own (its frozen time asked for first)."""
    frozen, name = required(p.integer("frozen_time"), "frozen_time"), p.text("name")
    p.unknown()
    clock = _clock(ledger)
    if frozen < clock["frozen_time"]:
        raise InvalidRequest(
            f"Invalid frozen_time: the ledger clock is at {clock['frozen_time']} already and "
            "never moves backwards",
            param="frozen_time",
        )
    if frozen > clock["frozen_time"]:
        return advance_clock.handler(ledger, Params({"frozen_time": str(frozen)}), CLOCK_ID)
    return clock | ({"name": name} if name else {})


@route("GET", "/v1/test_helpers/test_clocks/{test_clock}")
def retrieve_clock(ledger: Ledger, p: Params, test_clock: str) -> Any:
    p.unknown()
    _own(test_clock)
    return _clock(ledger)


@route("POST", "/v1/test_helpers/test_clocks/{test_clock}/advance", own_transactions=True)
def advance_clock(ledger: Ledger, p: Params, test_clock: str) -> Any:
    """Advancing the test clock is `invoices tick --to`: every due step at its instant."""
    from billcli.services.clock import tick

    frozen = required(p.integer("frozen_time"), "frozen_time")
    p.unknown()
    _own(test_clock)
    tick.tick(ledger, to=str(frozen))
    return _clock(ledger)


@route("DELETE", "/v1/test_helpers/test_clocks/{test_clock}")
def delete_clock(ledger: Ledger, p: Params, test_clock: str) -> Any:
    p.unknown()
    _own(test_clock)
    raise InvalidRequest(
        "The ledger clock cannot be deleted: it is the ledger's own (`billcli ledger clock`)",
        param="test_clock",
    )


ROUTES = [
    list_events,
    retrieve_event,
    create_endpoint,
    list_endpoints,
    retrieve_endpoint,
    update_endpoint,
    delete_endpoint,
    create_configuration,
    list_configurations,
    retrieve_configuration,
    update_configuration,
    create_session,
    list_clocks,
    create_clock,
    retrieve_clock,
    advance_clock,
    delete_clock,
]
