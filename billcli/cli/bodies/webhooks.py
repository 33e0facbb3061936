"""`billcli webhooks`: endpoints that receive the ledger's events, signed."""

from typing import Any

from billcli.cli.running import input_of, open_ledger, print_list
from billcli.render.output import emit_object

TITLE = "Webhook endpoint"


def create(*, ledger: str | None, as_json: bool, **options: Any) -> None:
    # startup: the fast path imports a group's bodies; each command loads only what it uses
    from billcli.services.webhooks import endpoints as webhooks

    with open_ledger(ledger) as book:
        emit_object(
            webhooks.create(book, input_of(webhooks.EndpointInput, options)),
            as_json=as_json,
            title=TITLE,
        )


def list_(*, ledger: str | None, **listing: Any) -> None:
    # startup: the fast path imports a group's bodies; each command loads only what it uses
    from billcli.services.webhooks import endpoints as webhooks

    with open_ledger(ledger, reads_only=True) as book:
        print_list(
            lambda request: webhooks.list_endpoints(book, request), "webhook_endpoint", **listing
        )


def show(*, endpoint: str, reveal: bool, ledger: str | None, as_json: bool) -> None:
    # startup: the fast path imports a group's bodies; each command loads only what it uses
    from billcli.services.webhooks import endpoints as webhooks

    with open_ledger(ledger, reads_only=True) as book:
        emit_object(webhooks.show(book, endpoint, reveal=reveal), as_json=as_json, title=TITLE)


def update(*, endpoint: str, ledger: str | None, as_json: bool, **options: Any) -> None:
    # startup: the fast path imports a group's bodies; each command loads only what it uses
    from billcli.services.webhooks import endpoints as webhooks

    with open_ledger(ledger) as book:
        emit_object(
            webhooks.update(book, endpoint, input_of(webhooks.EndpointInput, options)),
            as_json=as_json,
            title=TITLE,
        )


def delete(*, endpoint: str, ledger: str | None, as_json: bool) -> None:
    # startup: the fast path imports a group's bodies; each command loads only what it uses
    from billcli.services.webhooks import endpoints as webhooks

    with open_ledger(ledger) as book:
        emit_object(webhooks.delete(book, endpoint), as_json=as_json, title=TITLE)


def rotate_secret(*, endpoint: str, keep_old_for: str, ledger: str | None, as_json: bool) -> None:
    # startup: the fast path imports a group's bodies; each command loads only what it uses
    from billcli.services.webhooks import endpoints as webhooks

    with open_ledger(ledger) as book:
        rotated = webhooks.rotate_secret(book, endpoint, keep_old_for)
        emit_object(rotated, as_json=as_json, title=TITLE)
