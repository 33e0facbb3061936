"""`billcli ledger`: the ledger file itself: create, inspect, verify, its clock, settings."""

from typing import Any

from billcli.cli.running import open_ledger
from billcli.errors import ExitCode, ExitStatus, LedgerDamaged
from billcli.render.output import emit_object


def init(*, path: str | None, ledger: str | None, as_json: bool) -> None:
    # startup: the fast path imports a group's bodies; each command loads only what it uses
    from billcli.services.ledger import info as service

    with open_ledger(path or ledger) as book:
        emit_object(service.info(book), as_json=as_json, title="Ledger ready")


def info(*, ledger: str | None, as_json: bool) -> None:
    # startup: the fast path imports a group's bodies; each command loads only what it uses
    from billcli.services.ledger import info as service

    with open_ledger(ledger, reads_only=True) as book:
        emit_object(service.info(book), as_json=as_json, title="Ledger")


def check(*, ledger: str | None, as_json: bool) -> None:
    # startup: the fast path imports a group's bodies; each command loads only what it uses
    from billcli.services.ledger import info as service
    from billcli.services.queries import check as checks
    from billcli.store.paths import resolve

    try:
        with open_ledger(ledger, reads_only=True) as book:
            problems = checks.check(book)
            counts = service.info(book)["counts"]
        checked = (
            f"{counts['customers'] + counts['deleted_customers']:,} customers, "
            f"{counts['balance_transactions']:,} balance transactions, "
            f"{counts['invoices']:,} invoices, {counts['subscriptions']:,} subscriptions"
        )
    except LedgerDamaged as damage:
        problems = checks.damage_report(resolve(ledger), damage)
        checked = "the damaged file, read-only, row by row"
    report: dict[str, Any] = {
        "object": "ledger_check",
        "ok": not problems,
        "checked": checked,
        "problems": [{"object": p.object_id, "message": p.message} for p in problems],
    }
    emit_object(report, as_json=as_json, title="Ledger check")
    if problems:
        raise ExitStatus(ExitCode.INVALID_REQUEST)


def copy(*, src: str, dst: str, as_json: bool) -> None:
    # startup: the fast path imports a group's bodies; each command loads only what it uses
    from billcli.cli.progress import count_progress
    from billcli.services.ledger import copying
    from billcli.store.paths import address

    with count_progress("copying", "rows", shown=not as_json) as on_rows:
        report = copying.copy(address(src), address(dst), on_rows=on_rows)
    emit_object(report.to_dict(), as_json=as_json, title="Ledger copied and proved")


def clock(*, system: bool, ledger: str | None, as_json: bool) -> None:
    # startup: the fast path imports a group's bodies; each command loads only what it uses
    from billcli.services.ledger import info as service

    with open_ledger(ledger, reads_only=not system) as book:
        state = service.clock_to_system(book) if system else service.clock(book)
    emit_object(state.to_dict(), as_json=as_json, title="Ledger clock")


def config(*, key: str | None, value: str | None, ledger: str | None, as_json: bool) -> None:
    # startup: the fast path imports a group's bodies; each command loads only what it uses
    from billcli.services.ledger import settings

    with open_ledger(ledger, reads_only=value is None) as book:
        if key is None:
            values = settings.all_values(book)
        elif value is None:
            values = settings.get(book, key)
        else:
            values = settings.set_value(book, key, value)
    emit_object(
        {"object": "ledger_config", "settings": values}, as_json=as_json, title="Ledger settings"
    )
