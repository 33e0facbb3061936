"""Events and webhook endpoints."""

from __future__ import annotations

from typing import Any

from billcli.api.handlers import listed, paging, required, route
from billcli.api.params import Params
from billcli.api.unmodelled import refusal
from billcli.api.versions import newer_event_types
from billcli.services.ledger import events
from billcli.services.webhooks import endpoints as webhooks
from billcli.services.webhooks.endpoints import EndpointInput
from billcli.store.ledger import Ledger


@route("GET", "/v1/events")
def list_events(ledger: Ledger, p: Params) -> Any:
    request, kind = paging(p, created=True), p.text("type")
    kinds, delivered = tuple(p.texts("types")), p.boolean("delivery_success")
    p.unknown()
    hidden = newer_event_types(p.version)
    return listed(
        events.list_events(
            ledger, request, type_=kind, types=kinds, hidden=hidden, delivered=delivered
        )
    )


@route("GET", "/v1/events/{id}")
def retrieve_event(ledger: Ledger, p: Params, id: str) -> Any:
    p.unknown()
    return events.show_event(ledger, id, hidden=newer_event_types(p.version))


def _endpoint_input(p: Params, current: dict[str, Any] | None = None) -> Any:
    events = p.texts("enabled_events")
    disabled = p.boolean("disabled")
    if p.boolean("connect"):  # events of connected accounts; false is what billcli does
        raise refusal("connect", "connect")
    return EndpointInput(
        url=p.text("url"),
        events=",".join(events) if events else None,
        description=p.text("description", clearable=True),
        enabled=None if disabled is None else not disabled,
        metadata=p.metadata(current["metadata"] if current else None),
        api_version=p.text("api_version"),
    )


@route("POST", "/v1/webhook_endpoints")
def create_endpoint(ledger: Ledger, p: Params) -> Any:
    data = _endpoint_input(p)
    p.unknown()
    required(data.events, "enabled_events")  # the API requires it; the CLI defaults to all
    return webhooks.create(ledger, data)


@route("GET", "/v1/webhook_endpoints/{webhook_endpoint}")
def retrieve_endpoint(ledger: Ledger, p: Params, webhook_endpoint: str) -> Any:
    p.unknown()
    return webhooks.show(ledger, webhook_endpoint)


@route("POST", "/v1/webhook_endpoints/{webhook_endpoint}")
def update_endpoint(ledger: Ledger, p: Params, webhook_endpoint: str) -> Any:
    data = _endpoint_input(p, webhooks.show(ledger, webhook_endpoint))
    p.unknown()
    return webhooks.update(ledger, webhook_endpoint, data)


@route("DELETE", "/v1/webhook_endpoints/{webhook_endpoint}")
def delete_endpoint(ledger: Ledger, p: Params, webhook_endpoint: str) -> Any:
    p.unknown()
    return webhooks.delete(ledger, webhook_endpoint)


@route("GET", "/v1/webhook_endpoints")
def list_endpoints(ledger: Ledger, p: Params) -> Any:
    request = paging(p)
    p.unknown()
    return listed(webhooks.list_endpoints(ledger, request))


ROUTES = [
    list_events,
    retrieve_event,
    create_endpoint,
    list_endpoints,
    retrieve_endpoint,
    update_endpoint,
    delete_endpoint,
]
