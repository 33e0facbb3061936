"""The account, and the lists of what billcli has none of (connected accounts)."""

from __future__ import annotations

from typing import Any

from billcli.api.handlers import paging, route
from billcli.api.params import Params
from billcli.core.objects import empty_list
from billcli.services.ledger import account as accounts
from billcli.store.ledger import Ledger


@route("GET", "/v1/account")
def retrieve_account(ledger: Ledger, p: Params) -> Any:
    p.unknown()
    return accounts.show(ledger)


@route("GET", "/v1/accounts/{account}")
def retrieve_connected(ledger: Ledger, p: Params, account: str) -> Any:
    """The one account billcli has answers by its id; no connected account exists."""
    p.unknown()
    return accounts.show(ledger, account)


@route("GET", "/v1/accounts")
def list_connected(ledger: Ledger, p: Params) -> Any:
    """Connected accounts (Connect): billcli models none, so the list is empty."""
    paging(p, created=True)
    p.unknown()
    return empty_list("/v1/accounts")


ROUTES = [retrieve_account, list_connected, retrieve_connected]
