"""The ledger's Stripe account: one per ledger, its id made with the ledger, its name,
country and email set with `ledger config`, its currency the ledger's default."""

from __future__ import annotations

from typing import Any

from billcli.core import objects
from billcli.errors import NotFound
from billcli.services.ledger import settings
from billcli.store.ledger import Ledger, Tx

KEYS = ("account.display_name", "account.country", "account.email", "default_currency")


def account_object(tx: Tx) -> dict[str, Any]:
    return objects.account(
        str(tx.meta.get("account.id")),
        int(tx.meta.get("account.created") or 0),
        {key: settings.value(tx, key) for key in KEYS},
        public_url=settings.value(tx, "public_url"),
    )


def show(ledger: Ledger, account_id: str | None = None) -> dict[str, Any]:
    """The account; asked for by id, only its own id names it (billcli has no connected
    accounts)."""
    with ledger.read() as tx:
        shown = account_object(tx)
        if account_id is not None and account_id != shown["id"]:
            raise NotFound("account", account_id, param="account")
        return shown
