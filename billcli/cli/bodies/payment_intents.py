"""`billcli payment-intents`: payments, an invoice's (one each) or made directly."""

from typing import Any

from billcli.cli.running import input_of, open_ledger, print_list, print_search
from billcli.render.output import emit_object


def create(*, ledger: str | None, as_json: bool, **options: Any) -> None:
    # startup: the fast path imports a group's bodies; each command loads only what it uses
    from billcli.services.payments import payment_intents

    with open_ledger(ledger) as book:
        made = payment_intents.create(book, input_of(payment_intents.IntentInput, options))
        emit_object(made, as_json=as_json, title="Payment intent created")


def confirm(
    *,
    payment_intent: str,
    payment_method: str | None,
    off_session: bool,
    return_url: str | None,
    ledger: str | None,
    as_json: bool,
) -> None:
    # startup: the fast path imports a group's bodies; each command loads only what it uses
    from billcli.services.payments import confirmation

    with open_ledger(ledger) as book:
        confirmed = confirmation.confirm(
            book,
            payment_intent,
            payment_method=payment_method,
            off_session=off_session,
            return_url=return_url,
        )
        emit_object(confirmed, as_json=as_json, title="Payment intent confirmed")


def capture(
    *,
    payment_intent: str,
    amount: str | None,
    metadata: list[str] | None,
    ledger: str | None,
    as_json: bool,
) -> None:
    # startup: the fast path imports a group's bodies; each command loads only what it uses
    from billcli.services.payments import capture as capturing

    with open_ledger(ledger) as book:
        captured = capturing.capture(
            book, payment_intent, amount_to_capture=amount, metadata=tuple(metadata or ())
        )
        emit_object(captured, as_json=as_json, title="Payment intent captured")


def cancel(*, payment_intent: str, reason: str | None, ledger: str | None, as_json: bool) -> None:
    # startup: the fast path imports a group's bodies; each command loads only what it uses
    from billcli.services.payments import payment_intents

    with open_ledger(ledger) as book:
        canceled = payment_intents.cancel(book, payment_intent, reason=reason)
        emit_object(canceled, as_json=as_json, title="Payment intent canceled")


def list_(*, customer: str | None, status: str | None, ledger: str | None, **listing: Any) -> None:
    # startup: the fast path imports a group's bodies; each command loads only what it uses
    from billcli.services.payments import payment_intents

    with open_ledger(ledger, reads_only=True) as book:
        print_list(
            lambda request: payment_intents.list_intents(
                book, request, customer=customer, status=status
            ),
            "payment_intent",
            **listing,
        )


def show(*, payment_intent: str, ledger: str | None, as_json: bool) -> None:
    # startup: the fast path imports a group's bodies; each command loads only what it uses
    from billcli.services.payments import payment_intents

    with open_ledger(ledger, reads_only=True) as book:
        shown = payment_intents.show(book, payment_intent)
        emit_object(shown, as_json=as_json, title="Payment intent")


def search(*, query: str, **options: Any) -> None:
    print_search("payment_intent", query, **options)
