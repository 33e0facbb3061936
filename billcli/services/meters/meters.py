"""Meters: created, renamed, deactivated and reactivated; never otherwise changed."""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import Any

from billcli.core import meter_objects, objects
from billcli.core.ids import new_id
from billcli.core.invoicing import check_choice
from billcli.core.meters import (
    DEFAULT_CUSTOMER_KEY,
    DEFAULT_VALUE_KEY,
    FORMULAS,
    MAX_DISPLAY_NAME,
    MAX_EVENT_NAME,
    MAX_KEY,
    STATUSES,
    TIME_WINDOWS,
    check_text,
)
from billcli.core.pagination import Page, PageRequest
from billcli.core.records.meters import Meter
from billcli.errors import InvalidRequest
from billcli.services.ledger.events import record
from billcli.services.ledger.idempotency import once
from billcli.services.ledger.lookup import found
from billcli.store.ledger import Ledger, Tx

KIND = "billing.meter"


@dataclass(frozen=True)
class MeterInput:
    """`meters create` as typed (the API's nested parameters read into it)."""

    event_name: str | None = None
    display_name: str | None = None
    aggregation: str | None = None
    customer_key: str | None = None
    value_key: str | None = None
    event_time_window: str | None = None

    def checked(self) -> MeterInput:
        check_text(self.display_name, "display_name", MAX_DISPLAY_NAME)
        check_text(self.event_name, "event_name", MAX_EVENT_NAME)
        if self.aggregation is None:
            raise InvalidRequest(
                "Missing required param: default_aggregation[formula].",
                param="default_aggregation[formula]",
            )
        check_choice(self.aggregation, FORMULAS, "default_aggregation[formula]")
        for name, value in (
            ("customer_mapping[event_payload_key]", self.customer_key),
            ("value_settings[event_payload_key]", self.value_key),
        ):
            check_text(value, name, MAX_KEY, required=False)
        if self.event_time_window is not None:
            check_choice(self.event_time_window, TIME_WINDOWS, "event_time_window")
        if (self.customer_key or DEFAULT_CUSTOMER_KEY) == (self.value_key or DEFAULT_VALUE_KEY):
            raise InvalidRequest(
                "Invalid value_settings[event_payload_key]: the customer and the value need "
                "keys of their own",
                param="value_settings[event_payload_key]",
            )
        return self


def find(tx: Tx, meter_id: str, *, param: str = "id") -> Meter:
    return found(tx, KIND, meter_id, tx.meters.get, param=param)


def create(
    ledger: Ledger, data: MeterInput, *, idempotency_key: str | None = None
) -> dict[str, Any]:
    data.checked()
    with ledger.write() as tx:

        def action() -> dict[str, Any]:
            holder = tx.meters.by_event_name(str(data.event_name))
            if holder is not None:
                raise InvalidRequest(
                    f"Invalid event_name: {holder.id} already records '{data.event_name}'; "
                    "an event name belongs to one meter",
                    param="event_name",
                )
            meter = Meter(
                id=new_id(KIND),
                created=tx.now,
                updated=tx.now,
                display_name=str(data.display_name),
                event_name=str(data.event_name),
                formula=str(data.aggregation),
                customer_key=data.customer_key or DEFAULT_CUSTOMER_KEY,
                value_key=data.value_key or DEFAULT_VALUE_KEY,
                event_time_window=data.event_time_window,
            )
            tx.meters.add(meter)
            shown = meter_objects.meter(meter)
            record(tx, "billing.meter.created", shown)
            return shown

        return once(tx, "meters.create", idempotency_key, vars(data), action)


def _changed(tx: Tx, before: Meter, after: Meter, event: str) -> dict[str, Any]:
    old, new = meter_objects.meter(before), meter_objects.meter(after)
    if old == new:
        return old
    after = replace(after, updated=tx.now)
    tx.meters.save(after)
    new = meter_objects.meter(after)
    record(tx, event, new, previous=objects.changed_attributes(old, new))
    return new


def update(ledger: Ledger, meter_id: str, *, display_name: str | None) -> dict[str, Any]:
    """Only the display name changes (facts C.1: "Meters are immutable, with the
    exception of the display name")."""
    if display_name is not None:
        check_text(display_name, "display_name", MAX_DISPLAY_NAME)
    with ledger.write() as tx:
        before = find(tx, meter_id)
        after = before if display_name is None else replace(before, display_name=display_name)
        return _changed(tx, before, after, "billing.meter.updated")


def set_status(ledger: Ledger, meter_id: str, *, active: bool) -> dict[str, Any]:
    """Deactivate (no more events are accepted, no new price may use it) or reactivate."""
    with ledger.write() as tx:
        before = find(tx, meter_id)
        wanted = "active" if active else "inactive"
        if before.status == wanted:
            raise InvalidRequest(f"Invalid status: {before.id} is already {wanted}", param="status")
        after = replace(before, status=wanted, deactivated_at=None if active else tx.now)
        event = "billing.meter.reactivated" if active else "billing.meter.deactivated"
        return _changed(tx, before, after, event)


def show(ledger: Ledger, meter_id: str) -> dict[str, Any]:
    with ledger.read() as tx:
        return meter_objects.meter(find(tx, meter_id))


def list_meters(ledger: Ledger, request: PageRequest, *, status: str | None = None) -> Page:
    if status is not None:
        check_choice(status, STATUSES, "status")
    with ledger.read() as tx:
        meters, has_more = tx.meters.page(request, status=status)
    return Page("/v1/billing/meters", [meter_objects.meter(m) for m in meters], has_more)
