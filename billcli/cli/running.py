"""What every command body does once its options are parsed: open the ledger, print.

Free of Typer and click, so that the bodies in `cli.hot` can run without them.
"""

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

from billcli.core.pagination import MAX_LIMIT, Page, PageRequest, walk
from billcli.errors import BadUsage
from billcli.render.output import emit_pages
from billcli.store.ledger import Ledger
from billcli.store.paths import resolve


@contextmanager
def open_ledger(path: Path | None) -> Iterator[Ledger]:
    """The ledger a command names, closed when the command ends."""
    ledger = Ledger(resolve(path))
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
