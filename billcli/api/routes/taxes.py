"""Tax rates."""

from __future__ import annotations

from typing import Any

from billcli.api.handlers import listed, paging, route
from billcli.api.params import Params, integer_of
from billcli.errors import InvalidRequest
from billcli.services.taxes import rates
from billcli.store.ledger import Ledger

_BOUNDS = ("gt", "gte", "lt", "lte")


def _input(p: Params, current: dict[str, Any] | None = None) -> rates.TaxRateInput:
    """A create's or an update's parameters (an update reads neither `percentage` nor
    `inclusive`, which are then Stripe's `parameter_unknown`)."""
    creating = current is None
    return rates.TaxRateInput(
        display_name=p.text("display_name"),
        percentage=p.text("percentage") if creating else None,
        inclusive=p.boolean("inclusive") if creating else None,
        active=p.boolean("active"),
        country=p.text("country"),
        state=p.text("state"),
        jurisdiction=p.text("jurisdiction"),
        tax_type=p.text("tax_type"),
        description=p.text("description"),
        metadata=p.metadata(None if current is None else current["metadata"]),
    )


@route("POST", "/v1/tax_rates")
def create(ledger: Ledger, p: Params) -> Any:
    data = _input(p)
    p.unknown()
    if data.inclusive is None:
        raise InvalidRequest.missing("inclusive")
    return rates.create(ledger, data)


@route("GET", "/v1/tax_rates/{tax_rate}")
def retrieve(ledger: Ledger, p: Params, tax_rate: str) -> Any:
    p.unknown()
    return rates.show(ledger, tax_rate)


@route("POST", "/v1/tax_rates/{tax_rate}")
def update(ledger: Ledger, p: Params, tax_rate: str) -> Any:
    data = _input(p, rates.show(ledger, tax_rate))
    p.unknown()
    return rates.update(ledger, tax_rate, data)


def _created(p: Params) -> dict[str, int] | None:
    """`created=T` (exactly then) or `created[gte]=T`…"""
    value = p.values.get("created")
    p.has("created")
    if value is None:
        return None
    if isinstance(value, str):
        exact = integer_of(value, "created")
        return None if exact is None else {"gte": exact, "lte": exact}
    bounds = {}
    for name, bound in value.items():
        if name not in _BOUNDS:
            raise InvalidRequest(
                f"Received unknown parameter: created[{name}]",
                param=f"created[{name}]",
                code="parameter_unknown",
            )
        found = integer_of(bound, f"created[{name}]")
        if found is not None:
            bounds[name] = found
    return bounds


@route("GET", "/v1/tax_rates")
def list_all(ledger: Ledger, p: Params) -> Any:
    request, active, inclusive = paging(p), p.boolean("active"), p.boolean("inclusive")
    created = _created(p)
    p.unknown()
    return listed(
        rates.list_rates(ledger, request, active=active, inclusive=inclusive, created=created)
    )


ROUTES = [create, list_all, retrieve, update]
