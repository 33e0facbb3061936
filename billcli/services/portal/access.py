"""A portal session opened by its cookie: whose it is, under which configuration, for
what flow; and refused once it has ended (every check of its age reads the ledger clock)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from billcli.core.portal import cookie_expired, digest
from billcli.core.records import Customer
from billcli.core.records.portal import PortalConfiguration
from billcli.errors import LinkExpired
from billcli.store.ledger import Tx


@dataclass(frozen=True)
class Opened:
    """A session opened by its cookie: whose, under which configuration, for what flow."""

    customer: Customer
    configuration: PortalConfiguration
    return_url: str | None
    locale: str | None
    session_id: str
    visited_at: int
    flow: dict[str, Any] | None = None


def resume(tx: Tx, cookie: str | None) -> Opened:
    session = tx.portal_sessions.by_cookie_hash(digest(cookie)) if cookie else None
    if session is None or session.visited_at is None:
        raise LinkExpired("Your portal session has ended. Ask for a new link.")
    customer = tx.customers.get(session.customer)
    if cookie_expired(session.visited_at, tx.now) or customer is None or customer.deleted:
        raise LinkExpired(
            "Your portal session has ended. Ask for a new link.", return_url=session.return_url
        )
    configuration = tx.portal_configurations.get(session.configuration)
    assert configuration is not None, session.configuration
    return Opened(
        customer,
        configuration,
        session.return_url,
        session.locale,
        session.id,
        session.visited_at,
        session.flow,
    )
