"""A customer's card sources (`/v1/customers/{customer}/sources`, and `/cards`, their
older name) and card tokens (`/v1/tokens`)."""

from __future__ import annotations

from typing import Any

from billcli.api.handlers import listed, one_of, paging, required, route
from billcli.api.params import Params, integer_of, only
from billcli.api.unmodelled import refusal
from billcli.core.source_objects import ADDRESS_FIELDS
from billcli.errors import InvalidRequest
from billcli.services.payments import sources
from billcli.services.payments.sources import CardDetails
from billcli.store.ledger import Ledger

HOLDER = ("name", "exp_month", "exp_year", *ADDRESS_FIELDS)


def _details(given: dict[str, Any], *, within: str = "") -> CardDetails:
    """A card's expiry, holder and address, as `card[…]` (or, on update, bare) gives
    them."""
    only(given, HOLDER, within)

    def named(key: str) -> str:
        return f"{within}[{key}]" if within else key

    for key, value in given.items():
        if not isinstance(value, str):
            raise InvalidRequest(f"Invalid {named(key)}: expected a string", param=named(key))
    return CardDetails(
        exp_month=integer_of(given.get("exp_month"), named("exp_month")),
        exp_year=integer_of(given.get("exp_year"), named("exp_year")),
        name=given.get("name"),
        address=tuple((key, given[key]) for key in ADDRESS_FIELDS if key in given),
    )


@route("POST", "/v1/tokens")
def create_token(ledger: Ledger, p: Params) -> Any:
    """A token of a test card, from its number (`card[number]=4242424242424242`)."""
    p.refuse("account", "bank_account", "customer", "cvc_update", "person", "pii")
    card = dict(required(p.map("card"), "card"))
    number = required(card.pop("number", None), "card[number]")
    card.pop("cvc", None)
    card.pop("currency", None)  # a debit card's payout currency (Connect)
    if "networks" in card:
        raise refusal("networks", "card[networks]")
    details = _details(card, within="card")
    p.unknown()
    return sources.create_token(ledger, str(number), details)


@route("GET", "/v1/tokens/{token}")
def retrieve_token(ledger: Ledger, p: Params, token: str) -> Any:
    p.unknown()
    return sources.show_token(ledger, token)


def _source_of(p: Params) -> str:
    """`source=tok_…` (or `card=tok_…`, the older name)."""
    return str(required(one_of(p, "source", "card"), "source"))


def _routes(base: str) -> list[Any]:
    """The same five endpoints under `sources` and under `cards`."""

    @route("POST", f"/v1/customers/{{customer}}/{base}")
    def create(ledger: Ledger, p: Params, customer: str) -> Any:
        source = _source_of(p)
        p.boolean("validate")  # a test card is always valid
        p.metadata()
        p.unknown()
        return sources.attach(ledger, customer, source)

    @route("GET", f"/v1/customers/{{customer}}/{base}")
    def list_all(ledger: Ledger, p: Params, customer: str) -> Any:
        request, kind = paging(p), p.text("object") if base == "sources" else "card"
        p.unknown()
        found = sources.list_sources(ledger, customer, request, object_=kind)
        return listed(found, f"/v1/customers/{customer}/{base}")

    @route("GET", f"/v1/customers/{{customer}}/{base}/{{id}}")
    def retrieve(ledger: Ledger, p: Params, customer: str, id: str) -> Any:
        p.unknown()
        return sources.show(ledger, customer, id)

    @route("POST", f"/v1/customers/{{customer}}/{base}/{{id}}")
    def update(ledger: Ledger, p: Params, customer: str, id: str) -> Any:
        p.refuse("account_holder_name", "account_holder_type", "owner")
        given = {name: p.text(name, clearable=True) for name in HOLDER if p.has(name)}
        current = sources.show(ledger, customer, id)
        details = _details(given)
        metadata = p.metadata(current["metadata"])
        p.unknown()
        return sources.update(
            ledger, customer, id, CardDetails(**{**vars(details), "metadata": metadata})
        )

    @route("DELETE", f"/v1/customers/{{customer}}/{base}/{{id}}")
    def delete(ledger: Ledger, p: Params, customer: str, id: str) -> Any:
        p.unknown()
        return sources.delete(ledger, customer, id)

    return [create, list_all, retrieve, update, delete]


ROUTES = [create_token, retrieve_token, *_routes("sources"), *_routes("cards")]
