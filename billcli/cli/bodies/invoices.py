"""`billcli invoices`: invoices through their whole life, their lines and the outbox."""

import sys
from pathlib import Path
from typing import Any

from billcli.cli.running import input_of, open_ledger, print_list, print_search, write_document
from billcli.render.output import emit_object


def _invoice_input(options: dict[str, Any]) -> Any:
    # startup: the fast path imports a group's bodies; each command loads only what it uses
    from billcli.core.dates import parse_instant
    from billcli.core.invoice_settings import pairs
    from billcli.services.invoicing.invoices import InvoiceInput

    given = dict(options)
    for name in ("due_date", "effective_at"):
        if given.get(name) not in (None, ""):
            given[name] = parse_instant(given[name], param=name)
    if given.get("effective_at") == "":
        given["effective_at"] = 0  # cleared: the date of issue is the finalization's again
    if given.get("custom_fields"):
        given["custom_fields"] = pairs(given["custom_fields"], "custom_field")
    if given.get("from_invoice"):
        given["from_invoice"] = {"action": "revision", "invoice": given["from_invoice"]}
    return input_of(InvoiceInput, given)


def create(
    *, idempotency_key: str | None, ledger: str | None, as_json: bool, **options: Any
) -> None:
    # startup: the fast path imports a group's bodies; each command loads only what it uses
    from billcli.services.invoicing import invoices

    with open_ledger(ledger, reads_only=True) as book:
        created = invoices.create(book, _invoice_input(options), idempotency_key=idempotency_key)
        emit_object(created, as_json=as_json, title="Invoice created")


def list_(
    *,
    customer: str | None,
    status: str | None,
    collection_method: str | None,
    subscription: str | None,
    ledger: str | None,
    **listing: Any,
) -> None:
    # startup: the fast path imports a group's bodies; each command loads only what it uses
    from billcli.services.invoicing import invoices

    with open_ledger(ledger, reads_only=True) as book:
        print_list(
            lambda request: invoices.list_invoices(
                book,
                request,
                customer=customer,
                status=status,
                collection_method=collection_method,
                subscription=subscription,
            ),
            "invoice",
            **listing,
        )


def show(*, invoice: str, ledger: str | None, as_json: bool) -> None:
    # startup: the fast path imports a group's bodies; each command loads only what it uses
    from billcli.services.invoicing import invoices

    with open_ledger(ledger, reads_only=True) as book:
        emit_object(invoices.show(book, invoice), as_json=as_json)


def pdf(*, invoice: str, output: Path, ledger: str | None) -> None:
    # startup: the fast path imports a group's bodies; each command loads only what it uses
    from billcli.render.invoice_pdf import invoice_pdf
    from billcli.services.invoicing import hosted as hosted_invoices

    with open_ledger(ledger, reads_only=True) as book:
        document = hosted_invoices.document(book, invoice)
    write_document(invoice_pdf(document), output)


def lines(*, invoice: str, ledger: str | None, **listing: Any) -> None:
    # startup: the fast path imports a group's bodies; each command loads only what it uses
    from billcli.services.invoicing import invoices

    with open_ledger(ledger, reads_only=True) as book:
        print_list(lambda request: invoices.lines(book, invoice, request), "line_item", **listing)


def update(*, invoice: str, ledger: str | None, as_json: bool, **options: Any) -> None:
    # startup: the fast path imports a group's bodies; each command loads only what it uses
    from billcli.services.invoicing import invoices

    with open_ledger(ledger, reads_only=True) as book:
        emit_object(invoices.update(book, invoice, _invoice_input(options)), as_json=as_json)


def delete(*, invoice: str, ledger: str | None, as_json: bool) -> None:
    # startup: the fast path imports a group's bodies; each command loads only what it uses
    from billcli.services.invoicing import invoices

    with open_ledger(ledger, reads_only=True) as book:
        emit_object(invoices.delete(book, invoice), as_json=as_json, title="Invoice deleted")


def finalize(*, invoice: str, auto_advance: bool | None, ledger: str | None, as_json: bool) -> None:
    # startup: the fast path imports a group's bodies; each command loads only what it uses
    from billcli.services.invoicing import lifecycle as invoice_lifecycle

    with open_ledger(ledger, reads_only=True) as book:
        finalized = invoice_lifecycle.finalize(book, invoice, auto_advance=auto_advance)
        emit_object(finalized, as_json=as_json)


def pay(
    *,
    invoice: str,
    paid_out_of_band: bool,
    payment_method: str | None,
    ledger: str | None,
    as_json: bool,
) -> None:
    # startup: the fast path imports a group's bodies; each command loads only what it uses
    from billcli.services.invoicing import payment

    with open_ledger(ledger, reads_only=True) as book:
        paid = payment.pay(
            book, invoice, paid_out_of_band=paid_out_of_band, payment_method=payment_method
        )
        emit_object(paid, as_json=as_json)


def send(*, invoice: str, ledger: str | None, as_json: bool) -> None:
    # startup: the fast path imports a group's bodies; each command loads only what it uses
    from billcli.services.invoicing import lifecycle as invoice_lifecycle

    with open_ledger(ledger, reads_only=True) as book:
        emit_object(invoice_lifecycle.send(book, invoice), as_json=as_json)


def void(*, invoice: str, ledger: str | None, as_json: bool) -> None:
    # startup: the fast path imports a group's bodies; each command loads only what it uses
    from billcli.services.invoicing import lifecycle as invoice_lifecycle

    with open_ledger(ledger, reads_only=True) as book:
        emit_object(invoice_lifecycle.void(book, invoice), as_json=as_json)


def mark_uncollectible(*, invoice: str, ledger: str | None, as_json: bool) -> None:
    # startup: the fast path imports a group's bodies; each command loads only what it uses
    from billcli.services.invoicing import lifecycle as invoice_lifecycle

    with open_ledger(ledger, reads_only=True) as book:
        emit_object(invoice_lifecycle.mark_uncollectible(book, invoice), as_json=as_json)


def tick(
    *,
    by: str | None,
    to: str | None,
    dry_run: bool,
    max_steps: int,
    ledger: str | None,
    as_json: bool,
) -> None:
    # startup: the fast path imports a group's bodies; each command loads only what it uses
    from billcli.api.versions import event_in
    from billcli.cli.progress import tick_progress
    from billcli.render.output import emit_stream
    from billcli.render.text import when
    from billcli.services.clock import tick

    with open_ledger(ledger, reads_only=dry_run) as book, tick_progress() as on_step:
        report = tick.tick(
            book,
            by=by,
            to=to,
            max_steps=max_steps,
            dry_run=dry_run,
            progress=on_step,
            shape=event_in,
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


def upcoming(
    *, customer: str, subscription: str | None, ledger: str | None, as_json: bool, **options: Any
) -> None:
    # startup: the fast path imports a group's bodies; each command loads only what it uses
    from billcli.cli.bodies.subscriptions import change_of
    from billcli.services.subscriptions import previews

    change = change_of(**options)
    with open_ledger(ledger, reads_only=True) as book:
        shown = previews.upcoming(
            book, customer, subscription=subscription, change=None if change.empty else change
        )
    emit_object(shown, as_json=as_json, title="Upcoming invoice")


def outbox_(*, email: str | None, invoice: str | None, ledger: str | None, **listing: Any) -> None:
    # startup: the fast path imports a group's bodies; each command loads only what it uses
    from billcli.services.ledger import outbox

    with open_ledger(ledger, reads_only=True) as book:
        if email is not None:
            emit_object(outbox.show(book, email), as_json=listing["as_json"], title="Email")
            return
        print_list(
            lambda request: outbox.list_emails(book, request, invoice=invoice), "email", **listing
        )


def search(*, query: str, **options: Any) -> None:
    print_search("invoice", query, **options)
