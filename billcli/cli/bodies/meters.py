"""`billcli meters`: meters and their summaries."""

from typing import Any

from billcli.cli.running import input_of, open_ledger, output_mode, print_list
from billcli.render.output import emit_object


def create(
    *,
    aggregation: str,
    idempotency_key: str | None,
    ledger: str | None,
    as_json: bool,
    **options: Any,
) -> None:
    # startup: the fast path imports a group's bodies; each command loads only what it uses
    from billcli.services.meters import meters

    data = input_of(meters.MeterInput, options | {"aggregation": aggregation})
    with open_ledger(ledger) as book:
        created = meters.create(book, data, idempotency_key=idempotency_key)
        emit_object(created, as_json=as_json, title="Meter created")


def update(*, meter: str, display_name: str | None, ledger: str | None, as_json: bool) -> None:
    # startup: the fast path imports a group's bodies; each command loads only what it uses
    from billcli.services.meters import meters

    with open_ledger(ledger) as book:
        updated = meters.update(book, meter, display_name=display_name)
        emit_object(updated, as_json=as_json, title="Meter updated")


def deactivate(*, meter: str, ledger: str | None, as_json: bool) -> None:
    # startup: the fast path imports a group's bodies; each command loads only what it uses
    from billcli.services.meters import meters

    with open_ledger(ledger) as book:
        shown = meters.set_status(book, meter, active=False)
        emit_object(shown, as_json=as_json, title="Meter deactivated")


def reactivate(*, meter: str, ledger: str | None, as_json: bool) -> None:
    # startup: the fast path imports a group's bodies; each command loads only what it uses
    from billcli.services.meters import meters

    with open_ledger(ledger) as book:
        shown = meters.set_status(book, meter, active=True)
        emit_object(shown, as_json=as_json, title="Meter reactivated")


def list_(*, status: str | None, ledger: str | None, **listing: Any) -> None:
    # startup: the fast path imports a group's bodies; each command loads only what it uses
    from billcli.services.meters import meters

    with open_ledger(ledger, reads_only=True) as book:
        print_list(
            lambda request: meters.list_meters(book, request, status=status),
            "billing.meter",
            **listing,
        )


def show(*, meter: str, ledger: str | None, as_json: bool) -> None:
    # startup: the fast path imports a group's bodies; each command loads only what it uses
    from billcli.services.meters import meters

    with open_ledger(ledger, reads_only=True) as book:
        emit_object(meters.show(book, meter), as_json=as_json, title="Meter")


def summaries(
    *,
    meter: str,
    customer: str,
    from_: str,
    to: str,
    by: str | None,
    limit: int | None,
    starting_after: str | None,
    ending_before: str | None,
    ledger: str | None,
    as_json: bool,
    as_csv: bool,
) -> None:
    # startup: the fast path imports a group's bodies; each command loads only what it uses
    from billcli.core.dates import parse_instant
    from billcli.core.pagination import PageRequest
    from billcli.render.usage_views import emit_summaries
    from billcli.services.meters import usage

    mode = output_mode(as_json, as_csv)
    paged = limit is not None or starting_after or ending_before
    request = PageRequest(limit or 10, starting_after, ending_before) if paged else None
    with open_ledger(ledger, reads_only=True) as book:
        page = usage.summaries(
            book,
            meter,
            customer=customer,
            start=parse_instant(from_, param="start_time"),
            end=parse_instant(to, param="end_time"),
            grouping=by,
            request=request,
        )
    emit_summaries(page.to_stripe(), mode)
