"""`billcli charges`: every attempt that reached a card, succeeded or failed."""

from typing import Any

from billcli.cli.running import open_ledger, print_list, print_search
from billcli.render.output import emit_object


def list_(
    *, customer: str | None, payment_intent: str | None, ledger: str | None, **listing: Any
) -> None:
    # startup: the fast path imports a group's bodies; each command loads only what it uses
    from billcli.services.payments import charges

    with open_ledger(ledger, reads_only=True) as book:
        print_list(
            lambda request: charges.list_charges(
                book, request, customer=customer, payment_intent=payment_intent
            ),
            "charge",
            **listing,
        )


def show(*, charge: str, ledger: str | None, as_json: bool) -> None:
    # startup: the fast path imports a group's bodies; each command loads only what it uses
    from billcli.services.payments import charges

    with open_ledger(ledger, reads_only=True) as book:
        emit_object(charges.show(book, charge), as_json=as_json, title="Charge")


def search(*, query: str, **options: Any) -> None:
    print_search("charge", query, **options)
