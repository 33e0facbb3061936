"""`billcli reports`: the four reports, for people and for scripts."""

from typing import Any

from billcli.cli.running import open_ledger, output_mode


def _instant(value: str | None, param: str) -> int | None:
    # startup: the fast path imports a group's bodies; each command loads only what it uses
    from billcli.core.dates import parse_instant

    return None if value is None else parse_instant(value, param=param)


def _whole_day(value: str | None) -> bool:
    """A bound given as a bare date means that whole day."""
    # startup: the fast path imports a group's bodies; each command loads only what it uses
    from billcli.core.dates import is_day

    return value is not None and is_day(value)


def _emit(report: dict[str, object], as_json: bool, as_csv: bool) -> None:
    # startup: the fast path imports a group's bodies; each command loads only what it uses
    from billcli.render.report_views import emit_report

    emit_report(report, output_mode(as_json, as_csv))


def _by_currency(
    kind: str,
    *,
    by: str | None,
    from_: str | None,
    to: str | None,
    currency: str | None,
    ledger: str | None,
    as_json: bool,
    as_csv: bool,
) -> None:
    """A report per period and currency (`revenue`, `tax`), for one currency or all."""
    # startup: the fast path imports a group's bodies; each command loads only what it uses
    from billcli.core.money import normalize_currency
    from billcli.services.queries import reports

    mode = output_mode(as_json, as_csv)
    wanted = normalize_currency(currency) if currency else None
    with open_ledger(ledger, reads_only=True) as book:
        report = getattr(reports, kind)(
            book,
            by=by,
            start=_instant(from_, "from"),
            end=_instant(to, "to"),
            end_day=_whole_day(to),
            currency=wanted,
        )
    _emit(report, mode == "json", mode == "csv")


def revenue(**options: Any) -> None:
    _by_currency("revenue", **options)


def tax(**options: Any) -> None:
    _by_currency("tax", **options)


def mrr(
    *,
    by: str | None,
    from_: str | None,
    to: str | None,
    ledger: str | None,
    as_json: bool,
    as_csv: bool,
) -> None:
    # startup: the fast path imports a group's bodies; each command loads only what it uses
    from billcli.services.queries import reports

    with open_ledger(ledger, reads_only=True) as book:
        report = reports.mrr(
            book,
            by=by,
            start=_instant(from_, "from"),
            end=_instant(to, "to"),
            end_day=_whole_day(to),
        )
    _emit(report, as_json, as_csv)


def aging(*, as_of: str | None, ledger: str | None, as_json: bool, as_csv: bool) -> None:
    # startup: the fast path imports a group's bodies; each command loads only what it uses
    from billcli.services.queries import reports

    with open_ledger(ledger, reads_only=True) as book:
        report = reports.aging(book, as_of=_instant(as_of, "as_of"), as_of_day=_whole_day(as_of))
    _emit(report, as_json, as_csv)


def balances(
    *, from_: str | None, to: str | None, ledger: str | None, as_json: bool, as_csv: bool
) -> None:
    # startup: the fast path imports a group's bodies; each command loads only what it uses
    from billcli.services.queries import reports

    with open_ledger(ledger, reads_only=True) as book:
        report = reports.balances(
            book, start=_instant(from_, "from"), end=_instant(to, "to"), end_day=_whole_day(to)
        )
    _emit(report, as_json, as_csv)


def usage(
    *,
    meter: str | None,
    by: str | None,
    from_: str | None,
    to: str | None,
    ledger: str | None,
    as_json: bool,
    as_csv: bool,
) -> None:
    # startup: the fast path imports a group's bodies; each command loads only what it uses
    from billcli.render.usage_views import emit_usage_report
    from billcli.services.meters.report import usage_report

    with open_ledger(ledger, reads_only=True) as book:
        report = usage_report(
            book,
            meter_id=meter,
            by=by,
            start=_instant(from_, "from"),
            end=_instant(to, "to"),
            end_day=_whole_day(to),
        )
    emit_usage_report(report, output_mode(as_json, as_csv))
