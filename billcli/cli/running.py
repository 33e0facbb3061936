"""What every command body does once its options are parsed: open the ledger, print.

Free of Typer and click, so that the bodies in `cli.bodies` can run without them.
"""

import dataclasses
import sys
from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager
from pathlib import Path
from typing import Any, TypeVar

from billcli.core.pagination import MAX_LIMIT, Page, PageRequest, walk
from billcli.errors import BadUsage, InvalidRequest
from billcli.render.output import emit_pages
from billcli.store.ledger import Ledger
from billcli.store.paths import resolve

T = TypeVar("T")


def input_of(cls: type[T], given: Mapping[str, Any]) -> T:
    """A service's input dataclass from a command's options: the fields the command
    declares (the rest keep their defaults), a repeatable option (None when not
    given) as a tuple."""
    values = {}
    for field in dataclasses.fields(cls):  # type: ignore[arg-type]
        if field.name in given:
            value = given[field.name]
            values[field.name] = tuple(value or ()) if field.default == () else value
    return cls(**values)


@contextmanager
def open_ledger(
    path: str | None, *, reads_only: bool = False, durability: str = "full"
) -> Iterator[Ledger]:
    """The ledger a command names, closed when the command ends.

    A command that only reads never creates a ledger (a mistyped `--ledger` is exit 3,
    not an empty answer); one that writes may, and says so once on stderr, so that a
    cron job's log shows the typo (contract §19).
    """
    ledger = Ledger(resolve(path), create=not reads_only, durability=durability)
    if ledger.created:
        sys.stderr.write(f"created a new ledger at {ledger.path}\n")
    try:
        yield ledger
    finally:
        ledger.close()


def output_mode(as_json: bool, as_csv: bool = False) -> str:
    if as_json and as_csv:
        raise BadUsage("--json and --csv cannot be combined; choose one", param="csv")
    return "json" if as_json else "csv" if as_csv else "table"


def print_list(
    fetch: Callable[[PageRequest], Page],
    kind: str,
    *,
    limit: int,
    starting_after: str | None,
    ending_before: str | None,
    all_: bool,
    as_json: bool,
    as_csv: bool,
) -> None:
    """The shared body of every list command: one page, or every page with `--all`."""
    mode = output_mode(as_json, as_csv)
    request = PageRequest(MAX_LIMIT if all_ else limit, starting_after, ending_before)
    pages = walk(fetch, request) if all_ else iter([fetch(request)])
    emit_pages(pages, kind, mode=mode)


def print_search(
    resource: str,
    query: str,
    *,
    ledger: str | None,
    limit: int,
    page: str | None,
    all_: bool,
    as_json: bool,
    as_csv: bool,
) -> None:
    """The shared body of every search command: one page, or every page with `--all`."""
    # startup: only the search commands load the search service
    from billcli.services.queries import search

    mode = output_mode(as_json, as_csv)
    with open_ledger(ledger, reads_only=True) as book:
        if all_:
            found = search.pages(book, resource, query, limit=MAX_LIMIT, page=page)
        else:
            found = iter([search.search(book, resource, query, limit=limit, page=page)])
        emit_pages(found, resource, mode=mode)


def write_document(rendered: Any, output: Path) -> None:
    """Write a rendered PDF to `output` (- is stdout), saying what could not be printed."""
    if rendered.warning:
        sys.stderr.write(f"warning: {rendered.warning}\n")
    data = rendered.data
    if str(output) == "-":
        sys.stdout.buffer.write(data)
        return
    try:
        output.write_bytes(data)
    except OSError as error:
        raise InvalidRequest(
            f"Invalid output: cannot write {output} ({error.strerror})", param="output"
        ) from None
    sys.stderr.write(f"wrote {output} ({len(data):,} bytes)\n")
