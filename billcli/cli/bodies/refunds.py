"""`billcli refunds`: money given back on a charge."""

from typing import Any

from billcli.cli.running import open_ledger, print_list
from billcli.render.output import emit_object


def create(
    *,
    charge: str | None,
    payment_intent: str | None,
    amount: str | None,
    reason: str | None,
    metadata: list[str] | None,
    idempotency_key: str | None,
    ledger: str | None,
    as_json: bool,
) -> None:
    # startup: the fast path imports a group's bodies; each command loads only what it uses
    from billcli.services.payments import refunds

    with open_ledger(ledger) as book:
        made = refunds.create(
            book,
            charge=charge,
            payment_intent=payment_intent,
            amount=amount,
            reason=reason,
            metadata=tuple(metadata or ()),
            idempotency_key=idempotency_key,
        )
        emit_object(made, as_json=as_json, title="Refund created")


def list_(
    *, charge: str | None, payment_intent: str | None, ledger: str | None, **listing: Any
) -> None:
    # startup: the fast path imports a group's bodies; each command loads only what it uses
    from billcli.services.payments import refunds

    with open_ledger(ledger, reads_only=True) as book:
        print_list(
            lambda request: refunds.list_refunds(
                book, request, charge=charge, payment_intent=payment_intent
            ),
            "refund",
            **listing,
        )


def show(*, refund: str, ledger: str | None, as_json: bool) -> None:
    # startup: the fast path imports a group's bodies; each command loads only what it uses
    from billcli.services.payments import refunds

    with open_ledger(ledger, reads_only=True) as book:
        emit_object(refunds.show(book, refund), as_json=as_json, title="Refund")
