"""`billcli clocks`: test clocks."""

from typing import Any

from billcli.cli.running import open_ledger, print_list
from billcli.render.output import emit_object


def create(
    *,
    frozen_time: str,
    name: str | None,
    idempotency_key: str | None,
    ledger: str | None,
    as_json: bool,
) -> None:
    # startup: the fast path imports a group's bodies; each command loads only what it uses
    from billcli.services.clock import clocks

    with open_ledger(ledger) as book:
        created = clocks.create(
            book, frozen_time, name, idempotency_key=idempotency_key, param="frozen_time"
        )
        emit_object(created, as_json=as_json, title="Test clock created")


def advance(
    *, clock: str, to: str | None, by: str | None, ledger: str | None, as_json: bool
) -> None:
    # startup: the fast path imports a group's bodies; each command loads only what it uses
    from billcli.api.versions import event_in
    from billcli.cli.progress import tick_progress
    from billcli.services.clock import clocks

    with open_ledger(ledger) as book, tick_progress(f"advancing {clock}", "its time") as on_step:
        done = clocks.advance(book, clock, by=by, to=to, progress=on_step, shape=event_in)
    if as_json:
        emit_object(done.clock, as_json=True)
        return
    emit_object(done.to_dict(), as_json=False, title=f"Advanced {clock}")


def list_(*, ledger: str | None, **listing: Any) -> None:
    # startup: the fast path imports a group's bodies; each command loads only what it uses
    from billcli.services.clock import clocks

    with open_ledger(ledger, reads_only=True) as book:
        print_list(
            lambda request: clocks.list_clocks(book, request), "test_helpers.test_clock", **listing
        )


def show(*, clock: str, ledger: str | None, as_json: bool) -> None:
    # startup: the fast path imports a group's bodies; each command loads only what it uses
    from billcli.services.clock import clocks

    with open_ledger(ledger, reads_only=True) as book:
        emit_object(clocks.show(book, clock), as_json=as_json, title="Test clock")


def delete(*, clock: str, ledger: str | None, as_json: bool) -> None:
    # startup: the fast path imports a group's bodies; each command loads only what it uses
    from billcli.services.clock import removal

    with open_ledger(ledger) as book:
        emit_object(removal.delete(book, clock), as_json=as_json, title="Test clock deleted")
