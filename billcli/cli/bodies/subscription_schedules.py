"""`billcli subscription-schedules`: phases typed with --phase or filed as JSON."""

from pathlib import Path
from typing import Any

from billcli.cli.running import open_ledger, print_list
from billcli.errors import InvalidRequest
from billcli.render.output import emit_object


def _document(from_file: Path | None) -> dict[str, Any]:
    # startup: the fast path imports a group's bodies; each command loads only what it uses
    import json

    if from_file is None:
        return {}
    try:
        document = json.loads(from_file.read_text())
    except (ValueError, UnicodeDecodeError) as error:
        raise InvalidRequest(f"Invalid from_file: not JSON ({error})", param="from_file") from None
    if not isinstance(document, dict):
        raise InvalidRequest("Invalid from_file: expected a JSON object", param="from_file")
    return document


def _phases(phase: list[str] | None, document: dict[str, Any]) -> tuple[Any, ...]:
    # startup: the fast path imports a group's bodies; each command loads only what it uses
    from billcli.core.schedule_input import parse_phase, phases_from_json

    if phase and "phases" in document:
        raise InvalidRequest("Invalid phase: give --phase or a file's phases, not both",
                             param="phases")  # fmt: skip
    if "phases" in document:
        return phases_from_json(document["phases"])
    return tuple(parse_phase(spec, n) for n, spec in enumerate(phase or ()))


def create(
    *,
    phase: list[str] | None,
    start_date: str | None,
    from_file: Path | None,
    metadata: list[str] | None,
    idempotency_key: str | None,
    ledger: str | None,
    as_json: bool,
    **options: Any,
) -> None:
    # startup: the fast path imports a group's bodies; each command loads only what it uses
    from billcli.core.dates import parse_instant
    from billcli.services.schedules import schedules

    document = _document(from_file)
    start = start_date if start_date is not None else document.get("start_date")
    if isinstance(start, str) and start != "now":
        start = parse_instant(start, param="start_date")
    data = schedules.ScheduleInput(
        customer=options["customer"] or document.get("customer"),
        from_subscription=options["from_subscription"] or document.get("from_subscription"),
        start_date=start,
        end_behavior=options["end_behavior"] or document.get("end_behavior"),
        metadata=tuple(metadata or ()),
        phases=_phases(phase, document),
    )
    with open_ledger(ledger) as book:
        made = schedules.create(book, data, idempotency_key=idempotency_key)
        emit_object(made, as_json=as_json, title="Subscription schedule created")


def update(
    *,
    schedule: str,
    phase: list[str] | None,
    from_file: Path | None,
    metadata: list[str] | None,
    ledger: str | None,
    as_json: bool,
    **options: Any,
) -> None:
    # startup: the fast path imports a group's bodies; each command loads only what it uses
    from billcli.services.schedules import schedules

    document = _document(from_file)
    data = schedules.ScheduleChange(
        phases=_phases(phase, document),
        end_behavior=options["end_behavior"] or document.get("end_behavior"),
        proration_behavior=options["proration_behavior"] or document.get("proration_behavior"),
        metadata=tuple(metadata or ()),
    )
    with open_ledger(ledger) as book:
        changed = schedules.update(book, schedule, data)
        emit_object(changed, as_json=as_json, title="Subscription schedule updated")


def cancel(
    *, schedule: str, invoice_now: bool, prorate: bool, ledger: str | None, as_json: bool
) -> None:
    # startup: the fast path imports a group's bodies; each command loads only what it uses
    from billcli.services.schedules import schedules

    with open_ledger(ledger) as book:
        done = schedules.cancel(book, schedule, invoice_now=invoice_now, prorate=prorate)
        emit_object(done, as_json=as_json, title="Subscription schedule canceled")


def release(*, schedule: str, ledger: str | None, as_json: bool) -> None:
    # startup: the fast path imports a group's bodies; each command loads only what it uses
    from billcli.services.schedules import schedules

    with open_ledger(ledger) as book:
        done = schedules.release(book, schedule)
        emit_object(done, as_json=as_json, title="Subscription schedule released")


def show(*, schedule: str, ledger: str | None, as_json: bool) -> None:
    # startup: the fast path imports a group's bodies; each command loads only what it uses
    from billcli.services.schedules import schedules

    with open_ledger(ledger, reads_only=True) as book:
        emit_object(schedules.show(book, schedule), as_json=as_json, title="Subscription schedule")


def list_(*, customer: str | None, ledger: str | None, **listing: Any) -> None:
    # startup: the fast path imports a group's bodies; each command loads only what it uses
    from billcli.services.schedules import schedules

    with open_ledger(ledger, reads_only=True) as book:
        print_list(
            lambda request: schedules.list_schedules(book, request, customer=customer),
            "subscription_schedule",
            **listing,
        )
