"""`billcli payment-methods`: test cards made from Stripe's tokens, saved on customers."""

from typing import Any

from billcli.cli.running import open_ledger, print_list
from billcli.render.output import emit_object


def _billing(name: str | None, email: str | None) -> dict[str, Any] | None:
    given = {"name": name, "email": email}
    return {key: value for key, value in given.items() if value is not None} or None


def create(
    *,
    token: str,
    customer: str | None,
    billing_name: str | None,
    billing_email: str | None,
    metadata: list[str] | None,
    ledger: str | None,
    as_json: bool,
) -> None:
    # startup: the fast path imports a group's bodies; each command loads only what it uses
    from billcli.services.payments import methods

    with open_ledger(ledger) as book:
        made = methods.create(
            book,
            token,
            customer=customer,
            billing_details=_billing(billing_name, billing_email),
            metadata=tuple(metadata or ()),
        )
        emit_object(made, as_json=as_json, title="Payment method created")


def attach(*, payment_method: str, customer: str, ledger: str | None, as_json: bool) -> None:
    # startup: the fast path imports a group's bodies; each command loads only what it uses
    from billcli.services.payments import methods

    with open_ledger(ledger) as book:
        attached = methods.attach(book, payment_method, customer)
        emit_object(attached, as_json=as_json, title="Payment method attached")


def detach(*, payment_method: str, ledger: str | None, as_json: bool) -> None:
    # startup: the fast path imports a group's bodies; each command loads only what it uses
    from billcli.services.payments import methods

    with open_ledger(ledger) as book:
        detached = methods.detach(book, payment_method)
        emit_object(detached, as_json=as_json, title="Payment method detached")


def update(
    *,
    payment_method: str,
    billing_name: str | None,
    billing_email: str | None,
    metadata: list[str] | None,
    ledger: str | None,
    as_json: bool,
) -> None:
    # startup: the fast path imports a group's bodies; each command loads only what it uses
    from billcli.services.payments import methods

    with open_ledger(ledger) as book:
        updated = methods.update(
            book,
            payment_method,
            metadata=tuple(metadata or ()),
            billing_details=_billing(billing_name, billing_email),
        )
        emit_object(updated, as_json=as_json, title="Payment method updated")


def list_(*, customer: str | None, type_: str | None, ledger: str | None, **listing: Any) -> None:
    # startup: the fast path imports a group's bodies; each command loads only what it uses
    from billcli.services.payments import methods

    with open_ledger(ledger, reads_only=True) as book:
        print_list(
            lambda request: methods.list_methods(book, request, customer=customer, type_=type_),
            "payment_method",
            **listing,
        )


def show(*, payment_method: str, ledger: str | None, as_json: bool) -> None:
    # startup: the fast path imports a group's bodies; each command loads only what it uses
    from billcli.services.payments import methods

    with open_ledger(ledger, reads_only=True) as book:
        emit_object(methods.show(book, payment_method), as_json=as_json, title="Payment method")
