"""What every route shares: its declaration, list paging, and input dataclasses filled
from parameters."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from billcli.api.params import Params
from billcli.api.unmodelled import refusal
from billcli.core.ids import check_id
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
        raise InvalidRequest.missing(name)
    return value


def given(p: Params, name: str) -> Any:
    """An object (or list) parameter as given, "" when sent empty, None when absent: the
    services check its shape (the CLI gives them the same)."""
    if not p.has(name):
        return None
    return "" if p.cleared(name) else p.values[name]


def discount_coupons(p: Params) -> list[str | None]:
    """The coupon of each `discounts[n]` (None where it names none): billcli applies a
    discount by its coupon, so an existing discount's id is refused."""
    found = []
    for entry in p.each("discounts"):
        found.append(entry.text("coupon"))
        if entry.has("discount"):
            raise InvalidRequest(
                f"Invalid {entry.spelled('discount')}: billcli applies a discount by its "
                "coupon; give discounts[n][coupon]",
                param=entry.spelled("discount"),
            )
        entry.unknown()
    return found


def coupon_of(p: Params) -> str | None:
    """A coupon as `coupon=…` or as the first of `discounts[0][coupon]=…` (how newer
    versions name it)."""
    coupon = p.text("coupon")
    for listed in discount_coupons(p):
        coupon = coupon or listed
    return coupon or None


def no_card_data(p: Params) -> None:
    """`payment_method_data` would carry card numbers, which billcli never keeps."""
    if p.has("payment_method_data"):
        raise InvalidRequest(
            "Invalid payment_method_data: billcli keeps no card data; pass a test payment "
            "method (payment_method=pm_card_visa)",
            param="payment_method_data",
        )


def card_only(p: Params) -> None:
    """`payment_method_types` (and the newer allowed/excluded types): cards are what
    billcli has; naming another type is refused by name."""
    for name in ("payment_method_types", "allowed_payment_method_types"):
        for kind in p.texts(name):
            if kind != "card":
                raise InvalidRequest(
                    f"Invalid {name}: '{kind}' (billcli's payment methods are cards)", param=name
                )
    if "card" in p.texts("excluded_payment_method_types"):
        raise InvalidRequest(
            "Invalid excluded_payment_method_types: billcli's payment methods are cards; "
            "excluding them leaves none",
            param="excluded_payment_method_types",
        )


def without_automatic_tax(p: Params) -> None:
    """`automatic_tax[enabled]=false` is what billcli does; Stripe Tax it does not model."""
    tax = p.nested("automatic_tax")
    if tax.boolean("enabled"):
        raise refusal("automatic_tax", tax.spelled("enabled"))
    tax.refuse("liability")
    tax.unknown()


def issued_by_self(p: Params, name: str = "issuer") -> None:
    """`issuer[type]=self`: invoices are the account's own (Connect's `account` is not)."""
    issuer = p.nested(name)
    if issuer.choice("type", ("self", "account")) == "account":
        raise refusal("issuer", issuer.spelled("type"))
    issuer.refuse("account")
    issuer.unknown()


def rates_of(p: Params, name: str) -> tuple[str, ...]:
    """`tax_rates[]=txr_…` as the services read it: `("",)` when sent empty (which removes
    them), else the ids, each of a rate's shape (named as the request spelled it)."""
    if p.cleared(name):
        return ("",)
    ids = tuple(p.texts(name))
    for n, rate_id in enumerate(ids):
        if rate_id:
            check_id(rate_id, "tax_rate", param=f"{p.spelled(name)}[{n}]")
    return tuple(i for i in ids if i) or (("",) if ids else ())


def searched(ledger: Any, p: Params, resource: str) -> dict[str, Any]:
    """`GET /v1/{resource}s/search`: one page of the query's `search_result`."""

    query, limit, page = required(p.text("query"), "query"), p.integer("limit"), p.text("page")
    p.unknown()
    return search.search(ledger, resource, query, limit=limit or 10, page=page).to_stripe()
