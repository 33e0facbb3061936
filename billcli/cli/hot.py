"""The bodies of the commands run most: in shell loops, cron jobs and scripts.

Typer's declarations in the group modules call them; so does `cli.fastpath`, which
parses these commands' options itself and runs them without importing Typer or click
(together some 70 ms of every process, more than the work itself). The Typer
declarations pass their parameters through unchanged; a list body hands its paging
and output options (`listing`) on to `print_list`. Services are imported inside each
body, so that running one loads only what it needs.
"""

import sys
from pathlib import Path
from typing import Any

from billcli.cli.running import open_ledger, print_list
from billcli.render.output import emit_object


def customers_list(
    *,
    email: str | None,
    ledger: Path | None,
    **listing: Any,
) -> None:
    from billcli.services import customers

    with open_ledger(ledger) as book:
        print_list(
            lambda request: customers.list_customers(book, request, email=email),
            "customer",
            **listing,
        )


def customers_show(*, customer: str, ledger: Path | None, as_json: bool) -> None:
    from billcli.services import customers

    with open_ledger(ledger) as book:
        emit_object(customers.show(book, customer), as_json=as_json, title="Customer")


def balance_list(
    *,
    customer: str,
    ledger: Path | None,
    **listing: Any,
) -> None:
    from billcli.services import balance

    with open_ledger(ledger) as book:
        print_list(
            lambda request: balance.list_transactions(book, customer, request),
            "customer_balance_transaction",
            **listing,
        )


def balance_show(*, customer: str, transaction: str, ledger: Path | None, as_json: bool) -> None:
    from billcli.services import balance

    with open_ledger(ledger) as book:
        emit_object(
            balance.show(book, customer, transaction), as_json=as_json, title="Balance transaction"
        )


def invoices_list(
    *,
    customer: str | None,
    status: str | None,
    collection_method: str | None,
    ledger: Path | None,
    **listing: Any,
) -> None:
    from billcli.services import invoices

    with open_ledger(ledger) as book:
        print_list(
            lambda request: invoices.list_invoices(
                book, request, customer=customer, status=status, collection_method=collection_method
            ),
            "invoice",
            **listing,
        )


def invoices_show(*, invoice: str, ledger: Path | None, as_json: bool) -> None:
    from billcli.services import invoices

    with open_ledger(ledger) as book:
        emit_object(invoices.show(book, invoice), as_json=as_json)


def events_list(*, type_: str | None, ledger: Path | None, **listing: Any) -> None:
    from billcli.services import events

    with open_ledger(ledger) as book:
        print_list(
            lambda request: events.list_events(book, request, type_=type_), "event", **listing
        )


def events_show(*, event: str, ledger: Path | None, as_json: bool) -> None:
    from billcli.services import events

    with open_ledger(ledger) as book:
        emit_object(events.show_event(book, event), as_json=as_json, title="Event")


def invoices_tick(
    *,
    by: str | None,
    to: str | None,
    dry_run: bool,
    max_steps: int,
    ledger: Path | None,
    as_json: bool,
) -> None:
    from billcli.cli.progress import progress
    from billcli.render.output import emit_stream
    from billcli.render.text import when
    from billcli.services import tick

    with open_ledger(ledger) as book, progress("ticking") as on_step:
        report = tick.tick(
            book, by=by, to=to, max_steps=max_steps, dry_run=dry_run, progress=on_step
        )
        if as_json and not dry_run:
            emit_stream(tick.produced_events(book, report), "/v1/events")
    if not report.complete:
        sys.stderr.write(
            f"stopped after {report.steps:,} steps at {when(report.clock_after)}; run "
            f"`billcli invoices tick --to {report.target}` to go on\n"
        )
    if as_json and not dry_run:
        return
    emit_object(report.to_dict(), as_json=as_json, title="Tick")
