"""What every route shares: its declaration, list paging, and input dataclasses filled
from parameters."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, TypedDict

from billcli.api.params import Params
from billcli.core.pagination import CREATED_BOUNDS, Page, PageRequest, Tally
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


def route(
    method: str, path: str, *, own_transactions: bool = False, previews: bool = False
) -> Callable[[Handler], Route]:
    """`previews`: a read made by writing and rolling back (the upcoming invoice), which
    needs the write lock as a write does."""

    def declare(handler: Handler) -> Route:
        writes = method in ("POST", "DELETE") or previews
        return Route(method, path, handler, writes, own_transactions)

    return declare


def paging(p: Params, *, created: bool = False) -> PageRequest:
    """A list's page: its cursor, its `created` bounds where Stripe's list takes them,
    and a tally when `include[]=total_count` asks for the count."""
    included = p.texts("include")
    for n, name in enumerate(included):
        if name != "total_count":
            raise InvalidRequest(
                f"Invalid include[{n}]: must be one of total_count", param=f"include[{n}]"
            )
    p.tally = Tally() if included else None
    return PageRequest(
        p.integer("limit") or 10,
        p.text("starting_after"),
        p.text("ending_before"),
        created=_created(p) if created else (),
        tally=p.tally,
    )


def _created(p: Params) -> tuple[tuple[str, int], ...]:
    """`created=T` or `created[gt|gte|lt|lte]=T`, as (bound, instant) pairs."""
    value = p.values.get("created")
    if value is None or isinstance(value, str):
        instant = p.integer("created")
        return () if instant is None else (("eq", instant),)
    given = p.map("created") or {}
    bounds = []
    for bound, instant in given.items():
        param = f"created[{bound}]"
        if bound not in CREATED_BOUNDS or bound == "eq":
            raise InvalidRequest(
                f"Received unknown parameter: {param}", param=param, code="parameter_unknown"
            )
        if not isinstance(instant, str) or not instant.isascii() or not instant.isdigit():
            raise InvalidRequest(f"Invalid integer: {instant}", param=param)
        bounds.append((bound, int(instant)))
    return tuple(bounds)


def counted(found: Any, tally: Tally | None) -> Any:
    """A list as Stripe answers it: `total_count` only when it was asked for."""
    if not isinstance(found, dict) or found.get("object") != "list":
        return found
    shown = {key: value for key, value in found.items() if key != "total_count"}
    if tally is None:
        return shown
    total = len(found["data"]) if tally.count is None else tally.count
    return {**shown, "total_count": total}


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


def price_of(entry: dict[str, Any], param: str) -> Any:
    """An item's `price`, or its `plan` (the older name: a plan id is its price's)."""
    if entry.get("price") and entry.get("plan"):
        raise InvalidRequest(
            "You may only specify one of these parameters: plan, price.", param=f"{param}[plan]"
        )
    return entry.get("price") or entry.get("plan")


class Offered(TypedDict):
    coupon: str | None
    promotion_code: str | None


def offer_of(p: Params) -> Offered:
    """A `coupon=…` or a `promotion_code=promo_…`, also as the first of
    `discounts[0][coupon|promotion_code]=…` (how newer versions name them)."""
    coupon = p.text("coupon", clearable=True) or None
    code = p.text("promotion_code", clearable=True) or None
    p.cleared("discounts")
    for entry in p.maps("discounts"):
        coupon = coupon or entry.get("coupon")
        code = code or entry.get("promotion_code")
    return {"coupon": coupon or None, "promotion_code": code or None}


def discount_cleared(p: Params) -> bool:
    """`coupon=`, `promotion_code=` or `discounts=`: the holder's discount is removed
    (Stripe's unset)."""
    return any(p.cleared(name) for name in ("coupon", "promotion_code", "discounts"))


def searched(ledger: Any, p: Params, resource: str) -> dict[str, Any]:
    """`GET /v1/{resource}s/search`: one page of the query's `search_result`."""

    query, limit, page = required(p.text("query"), "query"), p.integer("limit"), p.text("page")
    p.unknown()
    return search.search(ledger, resource, query, limit=limit or 10, page=page).to_stripe()
