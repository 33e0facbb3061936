"""Subscription schedules."""

from __future__ import annotations

from typing import Any

from billcli.api.handlers import listed, offer_of, paging, required, route
from billcli.api.params import Params, integer_of
from billcli.api.unmodelled import refusal
from billcli.core.schedules import PhaseInput, Settings
from billcli.errors import InvalidRequest
from billcli.services.schedules import schedules
from billcli.services.schedules.schedules import ScheduleChange, ScheduleInput
from billcli.store.ledger import Ledger

_CONNECT = ("application_fee_percent", "on_behalf_of", "transfer_data")


def _settings(p: Params, *, phase: bool) -> Settings:
    """`default_settings`, or a phase's own settings (`phase`: its collection_method is
    read with the phase). What billcli does not model is refused by name."""
    p.refuse(*_CONNECT, "automatic_tax", "billing_thresholds")
    anchor = p.choice("billing_cycle_anchor", ("automatic", "phase_start"))
    if anchor == "phase_start":
        spelled = p.spelled("billing_cycle_anchor")
        raise InvalidRequest(
            f"Cannot use {spelled}=phase_start: billcli's schedules keep the subscription's "
            "billing cycle anchor across phases (automatic)",
            param=spelled,
        )
    invoice = p.nested("invoice_settings")
    invoice.refuse("account_tax_ids", "issuer", "custom_fields", "footer")
    if invoice.has("description"):
        raise refusal("footer", invoice.spelled("description"))
    settings = Settings(
        collection_method=None if phase else p.text("collection_method"),
        days_until_due=invoice.integer("days_until_due"),
        default_payment_method=p.text("default_payment_method"),
        description=p.text("description"),
    )
    invoice.unknown()
    return settings


def _items(phase: Params, n: int) -> tuple[tuple[str, int], ...]:
    items = []
    for m, item in enumerate(phase.each("items")):
        item.refuse("billing_thresholds", "price_data", "tax_rates", "discounts", "metadata")
        price = required(item.text("price"), f"phases[{n}][items][{m}][price]")
        quantity = item.integer("quantity")
        item.unknown()
        items.append((str(price), 1 if quantity is None else quantity))
    return tuple(items)


def _length(phase: Params) -> tuple[int | None, tuple[str, int] | None]:
    """`iterations`, or `duration[interval|interval_count]`."""
    duration = phase.nested("duration")
    interval = duration.choice("interval", ("day", "week", "month", "year"))
    count = duration.integer("interval_count")
    duration.unknown()
    if interval is None:
        return phase.integer("iterations"), None
    return phase.integer("iterations"), (interval, 1 if count is None else count)


def _phases(p: Params) -> tuple[PhaseInput, ...]:
    phases = []
    for n, phase in enumerate(p.each("phases")):
        phase.refuse("add_invoice_items", "default_tax_rates")
        settings = _settings(phase, phase=True)
        items = _items(phase, n)
        iterations, duration = _length(phase)
        phases.append(
            PhaseInput(
                items=items,
                start_date=_start(phase, n),
                end_date=phase.integer("end_date"),
                iterations=iterations,
                duration=duration,
                proration_behavior=phase.text("proration_behavior"),
                coupon=_phase_coupon(phase),
                trial_end=phase.integer("trial_end"),
                trial=bool(phase.boolean("trial")),
                collection_method=phase.text("collection_method"),
                currency=phase.text("currency"),
                metadata=phase.metadata(),
                settings=settings,
            )
        )
        phase.unknown()
    return tuple(phases)


def _default_settings(p: Params) -> Settings | None:
    if not p.has("default_settings"):
        return None
    given = p.nested("default_settings")
    settings = _settings(given, phase=False)
    given.unknown()
    return settings


def _start(phase: Params, n: int) -> int | str | None:
    """`start_date`: unix seconds, or `now` (Stripe's `int|Literal['now']`)."""
    given = phase.text("start_date")
    if given in (None, "now"):
        return given
    return integer_of(given, f"phases[{n}][start_date]")


def _phase_coupon(phase: Params) -> str | None:
    """A phase's coupon (`coupon` or `discounts[0][coupon]`); a phase keeps no promotion
    code, so one is refused by name rather than dropped."""
    offered = offer_of(phase)
    if offered["promotion_code"] is not None:
        name = phase.spelled("promotion_code")
        raise InvalidRequest(
            f"Invalid {name}: a schedule's phase takes a coupon, not a promotion code",
            param=name,
        )
    return offered["coupon"]


@route("POST", "/v1/subscription_schedules")
def create_schedule(ledger: Ledger, p: Params) -> Any:
    p.refuse("customer_account", "billing_mode", "pause_schedules")
    start = p.text("start_date")
    data = ScheduleInput(
        customer=p.text("customer"),
        from_subscription=p.text("from_subscription"),
        start_date=start if start in (None, "now") else integer_of(start, "start_date"),
        end_behavior=p.text("end_behavior"),
        metadata=p.metadata(),
        phases=_phases(p),
        default_settings=_default_settings(p) or Settings(),
    )
    p.unknown()
    return schedules.create(ledger, data)


@route("GET", "/v1/subscription_schedules")
def list_schedules(ledger: Ledger, p: Params) -> Any:
    p.refuse("customer_account")
    request, customer = paging(p, created=True), p.text("customer")
    ranges = {name: p.range(name) for name in ("canceled_at", "completed_at", "released_at")}
    scheduled = p.boolean("scheduled")
    p.unknown()
    return listed(
        schedules.list_schedules(
            ledger, request, customer=customer, ranges=ranges, scheduled=scheduled
        )
    )


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
    p.refuse("pause_schedules")
    data = ScheduleChange(
        default_settings=_default_settings(p),
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
