"""Options every command shares, declared once so that each means the same everywhere."""

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Annotated

import typer

from billcli.core.pagination import MAX_LIMIT, Page, PageRequest, walk
from billcli.render.output import emit_pages
from billcli.store.ledger import Ledger
from billcli.store.paths import resolve

LedgerPath = Annotated[
    Path | None,
    typer.Option(
        "--ledger",
        help="Ledger file \\[default: $BILLCLI_LEDGER, else the data dir].",
        show_default=False,
        dir_okay=False,
    ),
]
Json = Annotated[bool, typer.Option("--json", help="Print the Stripe object as JSON.")]
Csv = Annotated[bool, typer.Option("--csv", help="Print the list as CSV.")]
Limit = Annotated[int, typer.Option("--limit", help="Objects per page, 1 to 100.")]
StartingAfter = Annotated[
    str | None, typer.Option("--starting-after", help="List objects older than this id.")
]
EndingBefore = Annotated[
    str | None, typer.Option("--ending-before", help="List objects newer than this id.")
]
All = Annotated[bool, typer.Option("--all", help="Walk every page (streams).")]
Metadata = Annotated[
    list[str] | None,
    typer.Option(
        "--metadata", "-m", help="KEY=VALUE; repeat it; KEY= removes a key.", metavar="KEY=VALUE"
    ),
]
IdempotencyKey = Annotated[
    str | None,
    typer.Option(
        "--idempotency-key",
        help="Replaying the same key and parameters within 24 h writes nothing.",
    ),
]


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
        raise typer.BadParameter("choose one of --json and --csv", param_hint="--csv")
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
