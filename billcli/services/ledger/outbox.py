"""The outbox: emails billcli writes instead of sending them."""

from __future__ import annotations

from typing import Any

from billcli.core import objects
from billcli.core.pagination import Page, PageRequest
from billcli.services.ledger.lookup import found
from billcli.store.ledger import Ledger


def list_emails(ledger: Ledger, request: PageRequest, *, invoice: str | None = None) -> Page:
    with ledger.read() as tx:
        emails, has_more = tx.outbox.page(request, invoice=invoice)
    return Page("/v1/outbox", [objects.email(e) for e in emails], has_more)


def show(ledger: Ledger, email_id: str) -> dict[str, Any]:
    with ledger.read() as tx:
        email = found(tx, "email", email_id, tx.outbox.get, param="email")
    return objects.email(email)
