"""`billcli setup-intents`: saving a card for later payments."""

from typing import Any

from billcli.cli.running import input_of, open_ledger, print_list
from billcli.render.output import emit_object


def create(*, ledger: str | None, as_json: bool, **options: Any) -> None:
    # startup: the fast path imports a group's bodies; each command loads only what it uses
    from billcli.services.payments import setup_intents

    with open_ledger(ledger) as book:
        made = setup_intents.create(book, input_of(setup_intents.SetupInput, options))
        emit_object(made, as_json=as_json, title="Setup intent created")


def confirm(
    *,
    setup_intent: str,
    payment_method: str | None,
    return_url: str | None,
    ledger: str | None,
    as_json: bool,
) -> None:
    # startup: the fast path imports a group's bodies; each command loads only what it uses
    from billcli.services.payments import setup_intents

    with open_ledger(ledger) as book:
        confirmed = setup_intents.confirm(
            book, setup_intent, payment_method=payment_method, return_url=return_url
        )
        emit_object(confirmed, as_json=as_json, title="Setup intent confirmed")


def cancel(*, setup_intent: str, reason: str | None, ledger: str | None, as_json: bool) -> None:
    # startup: the fast path imports a group's bodies; each command loads only what it uses
    from billcli.services.payments import setup_intents

    with open_ledger(ledger) as book:
        canceled = setup_intents.cancel(book, setup_intent, reason=reason)
        emit_object(canceled, as_json=as_json, title="Setup intent canceled")


def list_(*, customer: str | None, ledger: str | None, **listing: Any) -> None:
    # startup: the fast path imports a group's bodies; each command loads only what it uses
    from billcli.services.payments import setup_intents

    with open_ledger(ledger, reads_only=True) as book:
        print_list(
            lambda request: setup_intents.list_setup_intents(book, request, customer=customer),
            "setup_intent",
            **listing,
        )


def show(*, setup_intent: str, ledger: str | None, as_json: bool) -> None:
    # startup: the fast path imports a group's bodies; each command loads only what it uses
    from billcli.services.payments import setup_intents

    with open_ledger(ledger, reads_only=True) as book:
        emit_object(setup_intents.show(book, setup_intent), as_json=as_json, title="Setup intent")
