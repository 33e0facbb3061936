"""Webhook endpoints: where events go, which ones, and the secret that signs them."""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import Any

from billcli.core import limits, objects
from billcli.core.ids import new_id
from billcli.core.metadata import merged, parse_pairs
from billcli.core.pagination import Page, PageRequest
from billcli.core.records.webhooks import WebhookEndpoint
from billcli.core.tick import parse_duration
from billcli.core.webhooks import (
    ALL_EVENTS,
    check_api_version,
    check_url,
    new_secret,
    parse_events,
)
from billcli.errors import InvalidRequest, NotFound
from billcli.services.ledger.lookup import found
from billcli.services.webhooks.delivery import release_elsewhere, release_here
from billcli.store.ledger import Ledger, Tx


@dataclass(frozen=True)
class EndpointInput:
    """Endpoint options as typed; None means "not given"."""

    url: str | None = None
    events: str | None = None
    description: str | None = None
    enabled: bool | None = None
    metadata: tuple[str, ...] = ()
    api_version: str | None = None  # at creation only: the version its events are written in

    def checked(self) -> EndpointInput:
        if self.url is not None:
            check_url(self.url)
        if self.api_version is not None:
            check_api_version(self.api_version)
        if self.events is not None:
            parse_events(self.events)
        limits.text("webhook_endpoint", "description", self.description)
        parse_pairs(self.metadata)
        return self


def find(tx: Tx, endpoint_id: str) -> WebhookEndpoint:
    endpoint = found(tx, "webhook_endpoint", endpoint_id, tx.webhook_endpoints.get, param="id")
    if endpoint.deleted:
        raise NotFound("webhook_endpoint", endpoint_id, param="id")
    return endpoint


def create(ledger: Ledger, data: EndpointInput) -> dict[str, Any]:
    """A new endpoint for events from now on; its secret is shown this once."""
    data.checked()
    if data.url is None:
        raise InvalidRequest.missing("url")
    with ledger.write() as tx:
        endpoint = WebhookEndpoint(
            id=new_id("webhook_endpoint"),
            created=tx.now,
            url=data.url,
            enabled_events=",".join(parse_events(data.events or ALL_EVENTS)),
            secret=new_secret(),
            status="disabled" if data.enabled is False else "enabled",
            description=data.description or None,
            metadata=merged({}, parse_pairs(data.metadata)),
            api_version=data.api_version,
        )
        tx.webhook_endpoints.add(endpoint)
        return objects.webhook_endpoint(endpoint, reveal=True)


def update(ledger: Ledger, endpoint_id: str, data: EndpointInput) -> dict[str, Any]:
    """Change an endpoint; a disabled one keeps its queue and resumes it when enabled."""
    data.checked()
    if data.api_version is not None:
        raise InvalidRequest(
            "Invalid api_version: an endpoint's API version is chosen when it is created; "
            "create another endpoint for another version",
            param="api_version",
        )
    with ledger.write() as tx:
        before = find(tx, endpoint_id)
        after = replace(
            before,
            url=before.url if data.url is None else data.url,
            enabled_events=(
                before.enabled_events
                if data.events is None
                else ",".join(parse_events(data.events))
            ),
            description=before.description
            if data.description is None
            else data.description or None,
            status=before.status
            if data.enabled is None
            else ("enabled" if data.enabled else "disabled"),
            metadata=merged(before.metadata, parse_pairs(data.metadata)),
        )
        tx.webhook_endpoints.save(after)
        return objects.webhook_endpoint(after)


def delete(ledger: Ledger, endpoint_id: str) -> dict[str, Any]:
    """Delete an endpoint; what it was still owed fails now, releasing waiting drafts."""
    with ledger.write(clock=None) as tx:
        endpoint = find(tx, endpoint_id)
        tx.webhook_endpoints.save(replace(endpoint, deleted=True, status="disabled"))
        held = []
        for delivery in tx.webhook_deliveries.pending_of_endpoint(endpoint.id):
            tx.webhook_deliveries.save(
                replace(
                    delivery,
                    state="failed",
                    next_attempt_at=None,
                    finished_at=tx.ledger_now,
                    lease_until=None,
                )
            )
            if delivery.invoice is not None:
                held.append((delivery.invoice, tx.ledger_now))
        _, elsewhere = release_here(tx, held)
    release_elsewhere(lambda clock: ledger.write(clock=clock), elsewhere)
    return objects.deleted("webhook_endpoint", endpoint.id)


def rotate_secret(ledger: Ledger, endpoint_id: str, keep_old_for: str = "24h") -> dict[str, Any]:
    """A new secret; the old one still signs (a second v1) for `keep_old_for`."""
    overlap = 0 if keep_old_for in ("0", "0s") else parse_duration(keep_old_for)
    with ledger.write() as tx:
        endpoint = find(tx, endpoint_id)
        rotated = replace(
            endpoint,
            secret=new_secret(),
            previous_secret=endpoint.secret if overlap else None,
            previous_secret_expires_at=tx.now + overlap if overlap else None,
        )
        tx.webhook_endpoints.save(rotated)
        return objects.webhook_endpoint(rotated, reveal=True)


def show(ledger: Ledger, endpoint_id: str, *, reveal: bool = False) -> dict[str, Any]:
    with ledger.read() as tx:
        return objects.webhook_endpoint(find(tx, endpoint_id), reveal=reveal)


def list_endpoints(ledger: Ledger, request: PageRequest) -> Page:
    with ledger.read() as tx:
        found, has_more = tx.webhook_endpoints.page(request)
    return Page("/v1/webhook_endpoints", [objects.webhook_endpoint(e) for e in found], has_more)
