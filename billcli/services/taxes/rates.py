"""Tax rates: create, update (only what Stripe lets change), list, show; and which rates
a new line, invoice or subscription may take.

A rate's percentage and inclusiveness never change (Stripe's update takes neither): a
new rate replaces it. Archiving (`active` false) keeps it working wherever it is set,
renewals included, but nothing new may take it.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace
from typing import Any

from billcli.core import limits, objects, tax_objects
from billcli.core.ids import new_id
from billcli.core.metadata import merged, parse_pairs
from billcli.core.pagination import Page, PageRequest
from billcli.core.records.taxes import TaxRate
from billcli.core.tax import (
    Rate,
    check_country,
    check_percentage,
    check_rate_ids,
    check_tax_type,
    rate_of,
)
from billcli.errors import InvalidRequest
from billcli.services.ledger.events import record
from billcli.services.ledger.idempotency import once
from billcli.services.ledger.lookup import catalog, found
from billcli.store.ledger import Ledger, Tx

KIND = "tax_rate"
TEXTS = ("display_name", "jurisdiction", "state", "description")
# What `POST /v1/tax_rates/{id}` takes; a rate's percentage and inclusive never change.
FIXED = ("percentage", "inclusive")


@dataclass(frozen=True)
class TaxRateInput:
    """Tax rate options as typed; None means "not given" ("" clears on update)."""

    display_name: str | None = None
    percentage: str | None = None
    inclusive: bool | None = None
    active: bool | None = None
    country: str | None = None
    state: str | None = None
    jurisdiction: str | None = None
    tax_type: str | None = None
    description: str | None = None
    metadata: tuple[str, ...] = ()

    def checked(self) -> TaxRateInput:
        for name in TEXTS:
            limits.text(KIND, name, getattr(self, name))
        check_tax_type(self.tax_type or None)
        check_country(self.country)
        parse_pairs(self.metadata)
        return self


def find(tx: Tx, rate_id: str, *, param: str = "tax_rate") -> TaxRate:
    return found(tx, KIND, rate_id, tx.tax_rates.get, param=param)


def create(
    ledger: Ledger, data: TaxRateInput, *, idempotency_key: str | None = None
) -> dict[str, Any]:
    data.checked()
    if not data.display_name:
        raise InvalidRequest.missing("display_name")
    if data.percentage is None:
        raise InvalidRequest.missing("percentage")
    percentage = check_percentage(data.percentage)
    with ledger.write() as tx:
        return once(
            tx,
            "tax_rates.create",
            idempotency_key,
            dict(vars(data)),
            lambda: _create_in(tx, data, percentage),
        )


def _create_in(tx: Tx, data: TaxRateInput, percentage: float) -> dict[str, Any]:
    rate = TaxRate(
        id=new_id(KIND),
        created=tx.now,
        display_name=str(data.display_name),
        percentage=percentage,
        inclusive=bool(data.inclusive),
        active=data.active is not False,
        country=check_country(data.country),
        state=data.state or None,
        jurisdiction=data.jurisdiction or None,
        tax_type=data.tax_type or None,
        description=data.description or None,
        metadata=merged({}, parse_pairs(data.metadata)),
    )
    tx.tax_rates.add(rate)
    shown = tax_objects.tax_rate(rate)
    record(tx, "tax_rate.created", shown)
    return shown


def update(ledger: Ledger, rate_id: str, data: TaxRateInput) -> dict[str, Any]:
    """Archive or restore a rate, or change how it is labelled; never its money."""
    for name in FIXED:
        if getattr(data, name) is not None:
            raise InvalidRequest(
                f"Invalid {name}: a tax rate's percentage and inclusive never change, as in "
                "Stripe; create a new rate (and archive this one with --no-active)",
                param=name,
            )
    if data.display_name == "":
        raise InvalidRequest("Invalid display_name: it cannot be empty", param="display_name")
    data.checked()
    with ledger.write() as tx:
        before = find(tx, rate_id, param="id")
        after = replace(
            before,
            display_name=data.display_name or before.display_name,
            active=before.active if data.active is None else data.active,
            country=before.country if data.country is None else check_country(data.country),
            state=_kept(before.state, data.state),
            jurisdiction=_kept(before.jurisdiction, data.jurisdiction),
            tax_type=_kept(before.tax_type, data.tax_type),
            description=_kept(before.description, data.description),
            metadata=merged(before.metadata, parse_pairs(data.metadata)),
        )
        old, new = tax_objects.tax_rate(before), tax_objects.tax_rate(after)
        if after == before:
            return old
        tx.tax_rates.save(after)
        tx.memo.pop(("catalog", "tax_rates"), None)
        record(tx, "tax_rate.updated", new, previous=objects.changed_attributes(old, new))
        return new


def _kept(current: str | None, given: str | None) -> str | None:
    """An update's text: unchanged when not given, cleared by ""."""
    return current if given is None else (given or None)


def show(ledger: Ledger, rate_id: str) -> dict[str, Any]:
    with ledger.read() as tx:
        return tax_objects.tax_rate(find(tx, rate_id, param="id"))


def list_rates(
    ledger: Ledger,
    request: PageRequest,
    *,
    active: bool | None = None,
    inclusive: bool | None = None,
    created: dict[str, int] | None = None,
) -> Page:
    with ledger.read() as tx:
        rates, has_more = tx.tax_rates.page(
            request, active=active, inclusive=inclusive, created=created
        )
        return Page("/v1/tax_rates", [tax_objects.tax_rate(r) for r in rates], has_more)


def usable(tx: Tx, ids: Sequence[str], *, param: str, already: Sequence[str] = ()) -> list[str]:
    """The rates a line, an invoice or a subscription may take: at most five, none twice,
    each existing, and active unless the object carries it already (an archived rate
    goes on working where it is set, but nothing new takes it)."""
    check_rate_ids(ids, param)
    for n, rate_id in enumerate(ids):
        rate = find(tx, rate_id, param=f"{param}[{n}]")
        if not rate.active and rate_id not in already:
            raise InvalidRequest(
                f"Invalid {param}[{n}]: {rate_id} is archived; it stays on what already uses "
                "it, but nothing new can take it",
                param=f"{param}[{n}]",
            )
    return list(ids)


def given_rates(tx: Tx, given: Sequence[str], current: list[str], param: str) -> list[str]:
    """The rates an option names: unchanged when not given, none for a single "" (Stripe's
    empty string removes them), else the rates named (`usable`)."""
    if not given:
        return current
    if tuple(given) == ("",):
        return []
    return usable(tx, given, param=param, already=current)


def own_rates(tx: Tx, given: Sequence[str], current: list[str] | None) -> list[str] | None:
    """An item's or line's own rates as an option sets them: None (the invoice's defaults
    apply) when it has or is given none."""
    return given_rates(tx, given, current or [], "tax_rates") or None


def records(tx: Tx, ids: Sequence[str]) -> list[TaxRate]:
    """The rates named, in order, each read once per transaction."""
    known = catalog(tx, "tax_rates", list(ids))
    return [known[i] for i in ids if i in known]


def rate_objects(tx: Tx, ids: Sequence[str]) -> list[dict[str, Any]]:
    """The rates named, as Stripe embeds them in `tax_rates` and `default_tax_rates`
    (none read when none are named: every subscription shown asks, taxed or not)."""
    return [tax_objects.tax_rate(r) for r in records(tx, ids)] if ids else []


def arithmetic(tx: Tx, ids: Sequence[str]) -> list[Rate]:
    """The rates named, as the tax arithmetic takes them."""
    return [rate_of(r.id, r.percentage, r.inclusive) for r in records(tx, ids)]
