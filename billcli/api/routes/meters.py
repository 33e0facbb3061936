"""Meters, meter events and their adjustments, summaries (v1, form-encoded), and the v2
meter events, adjustments, session and stream (JSON bodies)."""

from __future__ import annotations

from typing import Any

from billcli.api.handlers import listed, paging, required, route
from billcli.api.params import Params, integer_of
from billcli.core import meter_objects
from billcli.errors import InvalidRequest
from billcli.services.meters import events, meters, streams, usage
from billcli.services.meters.meters import MeterInput
from billcli.store.ledger import Ledger


@route("POST", "/v1/billing/meters")
def create_meter(ledger: Ledger, p: Params) -> Any:
    mapping = p.nested("customer_mapping")
    if mapping.text("type") not in (None, "by_id"):
        raise InvalidRequest(
            "Invalid customer_mapping[type]: must be by_id", param="customer_mapping[type]"
        )
    data = MeterInput(
        event_name=p.text("event_name"),
        display_name=p.text("display_name"),
        aggregation=p.nested("default_aggregation").text("formula"),
        customer_key=mapping.text("event_payload_key"),
        value_key=p.nested("value_settings").text("event_payload_key"),
        event_time_window=p.text("event_time_window"),
    )
    p.unknown()
    return meters.create(ledger, data)


@route("GET", "/v1/billing/meters")
def list_meters(ledger: Ledger, p: Params) -> Any:
    request, status = paging(p), p.text("status")
    p.unknown()
    return listed(meters.list_meters(ledger, request, status=status))


@route("GET", "/v1/billing/meters/{id}")
def retrieve_meter(ledger: Ledger, p: Params, id: str) -> Any:
    p.unknown()
    return meters.show(ledger, id)


@route("POST", "/v1/billing/meters/{id}")
def update_meter(ledger: Ledger, p: Params, id: str) -> Any:
    display_name = p.text("display_name")
    p.unknown()
    return meters.update(ledger, id, display_name=display_name)


@route("POST", "/v1/billing/meters/{id}/deactivate")
def deactivate_meter(ledger: Ledger, p: Params, id: str) -> Any:
    p.unknown()
    return meters.set_status(ledger, id, active=False)


@route("POST", "/v1/billing/meters/{id}/reactivate")
def reactivate_meter(ledger: Ledger, p: Params, id: str) -> Any:
    p.unknown()
    return meters.set_status(ledger, id, active=True)


@route("GET", "/v1/billing/meters/{id}/event_summaries")
def list_event_summaries(ledger: Ledger, p: Params, id: str) -> Any:
    customer = required(p.text("customer"), "customer")
    start = integer_of(required(p.text("start_time"), "start_time"), "start_time")
    end = integer_of(required(p.text("end_time"), "end_time"), "end_time")
    grouping, request = p.text("value_grouping_window"), paging(p)
    p.unknown()
    page = usage.summaries(
        ledger,
        id,
        customer=customer,
        start=int(start or 0),
        end=int(end or 0),
        grouping=grouping,
        request=request,
    )
    return listed(page)


@route("POST", "/v1/billing/meter_events")
def create_meter_event(ledger: Ledger, p: Params) -> Any:
    event_name = required(p.text("event_name"), "event_name")
    payload = p.map("payload") or {}
    identifier, timestamp = p.text("identifier"), p.integer("timestamp")
    p.unknown()
    return events.send(
        ledger, event_name, payload=payload, identifier=identifier, timestamp=timestamp
    )


def _cancel_of(p: Params) -> tuple[str, str | None]:
    event_name = required(p.text("event_name"), "event_name")
    kind = required(p.text("type"), "type")
    if kind != "cancel":
        raise InvalidRequest(
            "Invalid type: must be cancel (time period cancellation is not supported yet)",
            param="type",
        )
    return event_name, p.nested("cancel").text("identifier")


@route("POST", "/v1/billing/meter_event_adjustments")
def create_adjustment(ledger: Ledger, p: Params) -> Any:
    event_name, identifier = _cancel_of(p)
    p.unknown()
    with ledger.write() as tx:
        return events.cancel_in(tx, event_name, identifier)


@route("POST", "/v2/billing/meter_events", body="json")
def create_v2_meter_event(ledger: Ledger, p: Params) -> Any:
    event_name = required(p.text("event_name"), "event_name")
    payload = p.map("payload") or {}
    identifier, timestamp = p.text("identifier"), p.text("timestamp")
    p.unknown()
    shown = events.send(
        ledger, event_name, payload=payload, identifier=identifier, timestamp=timestamp
    )
    return meter_objects.v2_meter_event(shown)


@route("POST", "/v2/billing/meter_event_adjustments", body="json")
def create_v2_adjustment(ledger: Ledger, p: Params) -> Any:
    event_name, identifier = _cancel_of(p)
    p.unknown()
    with ledger.write() as tx:
        return events.cancel_v2(tx, event_name, identifier)


@route("POST", "/v2/billing/meter_event_session", body="json")
def create_session(ledger: Ledger, p: Params) -> Any:
    p.unknown()
    return streams.open_session(ledger)


@route("POST", "/v2/billing/meter_event_stream", body="json", auth="meter_session", status=202)
def create_stream(ledger: Ledger, p: Params) -> Any:
    batch = p.maps("events")
    p.unknown()
    streams.stream(ledger, batch)
    return {}


ROUTES = [
    create_meter,
    list_meters,
    retrieve_meter,
    update_meter,
    deactivate_meter,
    reactivate_meter,
    list_event_summaries,
    create_meter_event,
    create_adjustment,
    create_v2_meter_event,
    create_v2_adjustment,
    create_session,
    create_stream,
]
