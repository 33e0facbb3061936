"""`billcli api`: the HTTP API and its key."""

from billcli.cli.running import open_ledger
from billcli.render.output import emit_object


def serve(*, host: str, port: int, durability: str, ledger: str | None) -> None:
    # startup: the fast path imports a group's bodies; each command loads only what it uses
    from billcli.api.server import run
    from billcli.services.ledger.api_keys import ensure

    with open_ledger(ledger, durability=durability) as book:
        path, made = book.path, ensure(book).key
    run(path, host=host, port=port, new_key=made, durability=durability)


def key(*, roll: bool, ledger: str | None, as_json: bool) -> None:
    # startup: the fast path imports a group's bodies; each command loads only what it uses
    from billcli.services.ledger.api_keys import ensure

    with open_ledger(ledger) as book:
        state = ensure(book, roll=roll)
    shown = {
        "object": "api_key",
        "key": state.key,
        "last4": state.hint,
        "note": None
        if state.key
        else "The ledger keeps only a hash of its key; "
        "`billcli api key --roll` makes a new one (the old one stops working).",
    }
    emit_object(shown, as_json=as_json, title="API key")
