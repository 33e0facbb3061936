"""`billcli meters events`: send, import and cancel usage events."""

from pathlib import Path

from billcli.cli.running import open_ledger
from billcli.render.output import emit_object


def send(
    *,
    event_name: str,
    customer: str,
    value: str | None,
    identifier: str | None,
    timestamp: str | None,
    ledger: str | None,
    as_json: bool,
) -> None:
    # startup: the fast path imports a group's bodies; each command loads only what it uses
    from billcli.core.dates import parse_instant
    from billcli.services.meters import events

    when = None if timestamp is None else parse_instant(timestamp, param="timestamp")
    with open_ledger(ledger) as book:
        sent = events.send(
            book, event_name, customer=customer, value=value, identifier=identifier, timestamp=when
        )
        emit_object(sent, as_json=as_json, title="Meter event recorded")


def import_(*, file: Path, ledger: str | None, as_json: bool) -> None:
    # startup: the fast path imports a group's bodies; each command loads only what it uses
    from billcli.cli.progress import progress
    from billcli.services.meters import imports

    path = None if str(file) == "-" else file
    size = path.stat().st_size if path is not None and path.is_file() else 0
    with open_ledger(ledger) as book, progress("importing", total_bytes=size) as on_read:
        summary = imports.import_file(book, path, progress=on_read)
    emit_object(summary, as_json=as_json, title="Meter event import")


def cancel(
    *,
    identifier_argument: str | None,
    identifier: str | None,
    event_name: str | None,
    ledger: str | None,
    as_json: bool,
) -> None:
    # startup: the fast path imports a group's bodies; each command loads only what it uses
    from billcli.errors import BadUsage
    from billcli.services.meters import events

    if identifier_argument is not None and identifier is not None:
        raise BadUsage(
            "Give the identifier once: as IDENTIFIER or as --identifier", param="identifier"
        )
    wanted = identifier if identifier is not None else identifier_argument
    with open_ledger(ledger) as book:
        canceled = events.cancel(book, event_name, wanted)
        emit_object(canceled, as_json=as_json, title="Meter event canceled")
