"""`billcli checkout`: Checkout Sessions and their hosted page's URL."""

import sys
from typing import Any

from billcli.cli.running import open_ledger, print_list
from billcli.render.output import dump_json, emit_object


def create(
    *,
    price: list[str] | None,
    coupon: str | None,
    trial_days: int | None,
    expires_at: str | None,
    idempotency_key: str | None,
    ledger: str | None,
    as_json: bool,
    **options: Any,
) -> None:
    # startup: the fast path imports a group's bodies; each command loads only what it uses
    from billcli.core.dates import parse_instant
    from billcli.services.checkout import sessions
    from billcli.services.subscriptions.creation import parse_item

    data = sessions.SessionInput(
        line_items=tuple(
            (item, 1 if quantity is None else quantity)
            for n, spec in enumerate(price or ())
            for item, quantity in [parse_item(spec, f"line_items[{n}]")]
        ),
        coupons=() if coupon is None else (coupon,),
        trial_period_days=trial_days,
        expires_at=None if expires_at is None else parse_instant(expires_at, param="expires_at"),
        metadata=tuple(options.pop("metadata") or ()),
        **options,
    )
    with open_ledger(ledger) as book:
        made = sessions.create(book, data, idempotency_key=idempotency_key)
        emit_object(made, as_json=as_json, title="Checkout Session created")


def list_(*, customer: str | None, status: str | None, ledger: str | None, **listing: Any) -> None:
    # startup: the fast path imports a group's bodies; each command loads only what it uses
    from billcli.services.checkout import sessions

    with open_ledger(ledger, reads_only=True) as book:
        print_list(
            lambda request: sessions.list_sessions(book, request, customer=customer, status=status),
            "checkout.session",
            **listing,
        )


def show(*, session: str, ledger: str | None, as_json: bool) -> None:
    # startup: the fast path imports a group's bodies; each command loads only what it uses
    from billcli.services.checkout import sessions

    with open_ledger(ledger, reads_only=True) as book:
        shown = sessions.show(book, session, with_items=True)
        emit_object(shown, as_json=as_json, title="Checkout Session")


def expire(*, session: str, ledger: str | None, as_json: bool) -> None:
    # startup: the fast path imports a group's bodies; each command loads only what it uses
    from billcli.services.checkout import sessions

    with open_ledger(ledger) as book:
        emit_object(
            sessions.expire(book, session), as_json=as_json, title="Checkout Session expired"
        )


def open_(*, session: str, ledger: str | None, as_json: bool) -> None:
    # startup: the fast path imports a group's bodies; each command loads only what it uses
    from billcli.services.checkout import sessions

    with open_ledger(ledger, reads_only=True) as book:
        url = sessions.page_of(book, session)
    sys.stdout.write((dump_json({"id": session, "url": url}) if as_json else url) + "\n")
