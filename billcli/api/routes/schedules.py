"""Subscription schedules."""

from __future__ import annotations

from typing import Any

from billcli.api.handlers import listed, paging, required, route
from billcli.api.params import Params, integer_of
from billcli.core.schedules import PhaseInput
from billcli.errors import InvalidRequest
from billcli.services.schedules import schedules
from billcli.services.schedules.schedules import ScheduleChange, ScheduleInput
from billcli.store.ledger import Ledger


def _phases(p: Params) -> tuple[PhaseInput, ...]:
    phases = []
    for n, phase in enumerate(p.each("phases")):
        items = []
        for m, item in enumerate(phase.each("items")):
            price = required(item.text("price"), f"phases[{n}][items][{m}][price]")
            quantity = item.integer("quantity")
            item.unknown()
            items.append((str(price), 1 if quantity is None else quantity))
        coupons = [d.get("coupon") for d in phase.maps("discounts") if d.get("coupon")]
        phases.append(
            PhaseInput(
                items=tuple(items),
                start_date=phase.integer("start_date"),
                end_date=phase.integer("end_date"),
                iterations=phase.integer("iterations"),
                proration_behavior=phase.text("proration_behavior"),
                coupon=phase.text("coupon") or (str(coupons[0]) if coupons else None),
                trial_end=phase.integer("trial_end"),
                collection_method=phase.text("collection_method"),
                metadata=phase.metadata(),
            )
        )
        phase.unknown()
    return tuple(phases)


@route("POST", "/v1/subscription_schedules")
def create_schedule(ledger: Ledger, p: Params) -> Any:
    start = p.text("start_date")
    data = ScheduleInput(
        customer=p.text("customer"),
        from_subscription=p.text("from_subscription"),
        start_date=start if start in (None, "now") else integer_of(start, "start_date"),
        end_behavior=p.text("end_behavior"),
        metadata=p.metadata(),
        phases=_phases(p),
    )
    p.unknown()
    return schedules.create(ledger, data)


@route("GET", "/v1/subscription_schedules")
def list_schedules(ledger: Ledger, p: Params) -> Any:
    request, customer = paging(p), p.text("customer")
    p.unknown()
    return listed(schedules.list_schedules(ledger, request, customer=customer))


@route("GET", "/v1/subscription_schedules/{schedule}")
def retrieve_schedule(ledger: Ledger, p: Params, schedule: str) -> Any:
    p.unknown()
    return schedules.show(ledger, schedule)


@route("POST", "/v1/subscription_schedules/{schedule}")
def update_schedule(ledger: Ledger, p: Params, schedule: str) -> Any:
    current = schedules.show(ledger, schedule)
    if p.has("start_date"):
        raise InvalidRequest(
            "Received unknown parameter: start_date", param="start_date", code="parameter_unknown"
        )
    data = ScheduleChange(
        phases=_phases(p),
        end_behavior=p.text("end_behavior"),
        proration_behavior=p.text("proration_behavior"),
        metadata=p.metadata(current["metadata"]),
    )
    p.unknown()
    return schedules.update(ledger, schedule, data)


@route("POST", "/v1/subscription_schedules/{schedule}/cancel")
def cancel_schedule(ledger: Ledger, p: Params, schedule: str) -> Any:
    invoice_now, prorate = p.boolean("invoice_now"), p.boolean("prorate")
    p.unknown()
    return schedules.cancel(
        ledger,
        schedule,
        invoice_now=True if invoice_now is None else invoice_now,
        prorate=True if prorate is None else prorate,
    )


@route("POST", "/v1/subscription_schedules/{schedule}/release")
def release_schedule(ledger: Ledger, p: Params, schedule: str) -> Any:
    p.boolean("preserve_cancel_date")
    p.unknown()
    return schedules.release(ledger, schedule)


ROUTES = [
    create_schedule,
    list_schedules,
    retrieve_schedule,
    update_schedule,
    cancel_schedule,
    release_schedule,
]
