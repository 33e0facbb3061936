"""What every route shares: its declaration, list paging, and input dataclasses filled
from parameters."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from billcli.api.params import Params
from billcli.core.pagination import Page, PageRequest
from billcli.errors import InvalidRequest
from billcli.services.queries import search

Handler = Callable[..., Any]


@dataclass(frozen=True)
class Route:
    """One endpoint: its method and path (Stripe's), the function that answers it, and
    whether it writes (a write runs in one transaction with its idempotency key)."""

    method: str
    path: str
    handler: Handler
    writes: bool = False
    own_transactions: bool = False  # the test clock: tick makes one per due step
    body: str = "form"  # or "json": the v2 API's bodies
    auth: str = "key"  # or "meter_session": the meter event stream's token
    status: int = 200


def route(
    method: str,
    path: str,
    *,
    own_transactions: bool = False,
    body: str = "form",
    auth: str = "key",
    status: int = 200,
) -> Callable[[Handler], Route]:
    def declare(handler: Handler) -> Route:
        writes = method in ("POST", "DELETE")
        return Route(method, path, handler, writes, own_transactions, body, auth, status)

    return declare


def paging(p: Params) -> PageRequest:
    return PageRequest(
        p.integer("limit") or 10, p.text("starting_after") or None, p.text("ending_before") or None
    )


def listed(page: Page, url: str | None = None) -> dict[str, Any]:
    """A list object whose `url` is its own path (the libraries page by it)."""
    shown = page.to_stripe()
    if url is not None:
        shown["url"] = url
    return shown


def required(value: Any, name: str) -> Any:
    if value is None or value == "":
        raise InvalidRequest(f"Missing required param: {name}.", param=name)
    return value


def coupon_of(p: Params) -> str | None:
    """A coupon as `coupon=…` or as the first of `discounts[0][coupon]=…` (how newer
    versions name it)."""
    coupon = p.text("coupon")
    for entry in p.maps("discounts"):
        coupon = coupon or entry.get("coupon")
    return coupon or None


def searched(ledger: Any, p: Params, resource: str) -> dict[str, Any]:
    """`GET /v1/{resource}s/search`: one page of the query's `search_result`."""

    query, limit, page = required(p.text("query"), "query"), p.integer("limit"), p.text("page")
    p.unknown()
    return search.search(ledger, resource, query, limit=limit or 10, page=page).to_stripe()
