"""`billcli events`: the record of every state change, shaped as Stripe events."""

from typing import Any

from billcli.cli.running import open_ledger, output_mode, print_list
from billcli.render.output import emit_object


def list_(*, type_: str | None, ledger: str | None, **listing: Any) -> None:
    # startup: the fast path imports a group's bodies; each command loads only what it uses
    from billcli.services.ledger import events

    with open_ledger(ledger, reads_only=True) as book:
        print_list(
            lambda request: events.list_events(book, request, type_=type_), "event", **listing
        )


def show(*, event: str, ledger: str | None, as_json: bool) -> None:
    # startup: the fast path imports a group's bodies; each command loads only what it uses
    from billcli.services.ledger import events

    with open_ledger(ledger, reads_only=True) as book:
        emit_object(events.show_event(book, event), as_json=as_json, title="Event")


def deliver(*, timeout: float | None, ledger: str | None, as_json: bool) -> None:
    # startup: the fast path imports a group's bodies; each command loads only what it uses
    from billcli.api.versions import event_in
    from billcli.services.webhooks import delivery as webhook_delivery

    with open_ledger(ledger) as book:
        report = webhook_delivery.deliver_due(book, timeout=timeout, shape=event_in)
    emit_object(report.to_dict(), as_json=as_json, title="Webhook delivery")


def deliveries(*, event: str, ledger: str | None, as_json: bool, as_csv: bool) -> None:
    # startup: the fast path imports a group's bodies; each command loads only what it uses
    from billcli.core.pagination import Page
    from billcli.render.output import emit_pages
    from billcli.services.webhooks import delivery as webhook_delivery

    with open_ledger(ledger, reads_only=True) as book:
        attempts = list(webhook_delivery.attempts_of(book, event))
    page = Page(f"/v1/events/{event}/deliveries", attempts, False)
    emit_pages(iter([page]), "webhook_attempt", mode=output_mode(as_json, as_csv))
