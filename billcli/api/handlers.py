"""What every route shares: its declaration, list paging, and input dataclasses filled
from parameters."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, TypedDict

from billcli.api import versions
from billcli.api.params import Params
from billcli.api.unmodelled import refusal
from billcli.core.ids import check_id
from billcli.core.pagination import DEFAULT_LIMIT, Page, PageRequest, Tally
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
    previews: bool = False,
    body: str = "form",
    auth: str = "key",
    status: int = 200,
) -> Callable[[Handler], Route]:
    """`previews`: a read made by writing and rolling back (the upcoming invoice), which
    needs the write lock as a write does."""

    def declare(handler: Handler) -> Route:
        writes = method in ("POST", "DELETE") or previews
        return Route(method, path, handler, writes, own_transactions, body, auth, status)

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
    limit = p.integer("limit")  # 0 is refused as out of range, not read as the default
    return PageRequest(
        DEFAULT_LIMIT if limit is None else limit,
        p.text("starting_after"),
        p.text("ending_before"),
        created=_created(p) if created else (),
        tally=p.tally,
    )


def _created(p: Params) -> tuple[tuple[str, int], ...]:
    """`created=T` or `created[gt|gte|lt|lte]=T`, as (bound, instant) pairs: the one
    reading of a time filter (`Params.range`)."""
    found = p.range("created")
    if found is None:
        return ()
    if found.gte is not None and found.gte == found.lte and found.gt is found.lt is None:
        return (("eq", found.gte),)
    return tuple(found.named())


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
        raise InvalidRequest.missing(name)
    return value


def one_of(p: Params, name: str, older: str) -> str | None:
    """A parameter given by its name or by the older name of the same (`price` or
    `plan`, `source` or `card`), never both."""
    given, old = p.text(name), p.text(older)
    if given and old:
        raise InvalidRequest.exclusive((name, older), p.spelled(older))
    return given or old


def price_of(entry: Params) -> str | None:
    """An item's `price`, or its `plan` (the older name: a plan id is its price's)."""
    return one_of(entry, "price", "plan")


def by_payment_method(p: Params, *names: str) -> None:
    """Refuse a card source given where billcli takes its payment method
    (`default_source`, `source`): a `card_` id is a payment method in billcli."""
    for name in names:
        if p.has(name):
            instead = name.replace("source", "payment_method")
            raise InvalidRequest(
                f"Invalid {p.spelled(name)}: give {instead} (a card source's card_ id is a "
                "payment method in billcli)",
                param=p.spelled(name),
            )


def given(p: Params, name: str) -> Any:
    """An object (or list) parameter as given, "" when sent empty, None when absent: the
    services check its shape (the CLI gives them the same)."""
    if not p.has(name):
        return None
    return "" if p.cleared(name) else p.values[name]


class Offered(TypedDict):
    coupon: str | None
    promotion_code: str | None


def discount_offers(p: Params) -> list[Offered]:
    """What each `discounts[n]` names: a coupon or a promotion code (None where it names
    neither). billcli applies a discount by its coupon or code, so an existing
    discount's id is refused."""
    found: list[Offered] = []
    for entry in p.each("discounts"):
        found.append(
            {"coupon": entry.text("coupon"), "promotion_code": entry.text("promotion_code")}
        )
        if entry.has("discount"):
            raise InvalidRequest(
                f"Invalid {entry.spelled('discount')}: billcli applies a discount by its "
                "coupon or promotion code; give discounts[n][coupon]",
                param=entry.spelled("discount"),
            )
        entry.unknown()
    return found


def discount_coupons(p: Params) -> list[str | None]:
    """The coupon of each `discounts[n]` (None where it names none)."""
    return [offered["coupon"] for offered in discount_offers(p)]


def singular_offers(p: Params) -> tuple[str, ...]:
    """The singular `coupon` and `promotion_code` parameters, in the versions that have
    them: 2025-03-31.basil removed them from customers, subscriptions, schedules and
    previews (`discounts` instead), so there they are unknown, as in Stripe."""
    return ("coupon", "promotion_code") if p.version < versions.BASIL else ()


def offer_of(p: Params) -> Offered:
    """A `coupon=…` or a `promotion_code=promo_…` (before basil), also as the first of
    `discounts[0][coupon|promotion_code]=…` (how newer versions name them)."""
    singular = singular_offers(p)
    coupon = p.text("coupon", clearable=True) if "coupon" in singular else None
    code = p.text("promotion_code", clearable=True) if "promotion_code" in singular else None
    p.cleared("discounts")
    for entry in discount_offers(p):
        coupon = coupon or entry["coupon"]
        code = code or entry["promotion_code"]
    return {"coupon": coupon or None, "promotion_code": code or None}


def discount_cleared(p: Params) -> bool:
    """`coupon=`, `promotion_code=` or `discounts=`: the holder's discount is removed
    (Stripe's unset)."""
    return any(p.cleared(name) for name in (*singular_offers(p), "discounts"))


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
    limit = DEFAULT_LIMIT if limit is None else limit  # 0 is out of range, as in a list
    return search.search(ledger, resource, query, limit=limit, page=page).to_stripe()
