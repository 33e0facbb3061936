"""The outbox: emails billcli writes instead of sending them."""

from __future__ import annotations

from typing import Any

from billcli.core import objects
from billcli.core.ids import check_id
from billcli.core.pagination import Page, PageRequest
from billcli.errors import NotFound
from billcli.store.ledger import Ledger


def list_emails(ledger: Ledger, request: PageRequest, *, invoice: str | None = None) -> Page:
    with ledger.read() as tx:
        emails, has_more = tx.outbox.page(request, invoice=invoice)
    return Page("/v1/outbox", [objects.email(e) for e in emails], has_more)


def show(ledger: Ledger, email_id: str) -> dict[str, Any]:
    check_id(email_id, "email", param="email")
    with ledger.read() as tx:
        email = tx.outbox.get(email_id)
    if email is None:
        raise NotFound("email", email_id, param="email")
    return objects.email(email)
