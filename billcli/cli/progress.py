"""Progress on stderr for long jobs, shown only when a person is watching."""

from __future__ import annotations

import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from billcli.services.clock.tick import Progress as TickProgress


@contextmanager
def progress(label: str, *, total_bytes: int) -> Iterator[Callable[[int], None] | None]:
    """A callback fed with the bytes of a file read so far, or None when stderr is not
    a terminal: a bar over the file being imported."""
    if not sys.stderr.isatty():
        yield None
        return
    # startup: rich loads only when a terminal shows progress
    from rich.progress import BarColumn, DownloadColumn, TimeRemainingColumn

    with _shown(label, BarColumn(), DownloadColumn(), TimeRemainingColumn()) as bar:
        task = bar.add_task(label, total=total_bytes)
        yield lambda done: bar.update(task, completed=done)


@contextmanager
def count_progress(
    label: str, unit: str, *, shown: bool
) -> Iterator[Callable[[int, int], None] | None]:
    """A callback fed with how many things are done and how many there are, or None
    when stderr is not a terminal or the output is for a script (`shown` false)."""
    if not (shown and sys.stderr.isatty()):
        yield None
        return
    # startup: rich loads only when a terminal shows progress
    from rich.progress import BarColumn, MofNCompleteColumn, TextColumn, TimeRemainingColumn

    with _shown(
        label, BarColumn(), MofNCompleteColumn(), TextColumn(unit), TimeRemainingColumn()
    ) as bar:
        task = bar.add_task(label, total=None)
        yield lambda done, total: bar.update(task, completed=done, total=total)


@contextmanager
def tick_progress(
    label: str = "ticking", time_of: str = "ledger time"
) -> Iterator[Callable[[TickProgress], None] | None]:
    """A callback fed with how far a tick (or a test clock's advance) has come, or None
    when stderr is not a terminal: a bar over the clock time it covers, the instant
    reached, the steps done and their rate (a tick that does not move the clock shows
    only steps)."""
    if not sys.stderr.isatty():
        yield None
        return
    # startup: rich loads only when a terminal shows progress
    from rich.progress import BarColumn, TaskProgressColumn, TextColumn, TimeRemainingColumn

    # startup: rich loads only when a terminal shows progress
    from billcli.render.text import when

    columns = (
        BarColumn(),
        TaskProgressColumn(),
        TextColumn("{task.fields[reached]}"),
        TextColumn("{task.fields[steps]:,} steps ({task.fields[rate]}/s)"),
        TimeRemainingColumn(),
    )
    with _shown(label, *columns) as bar:
        task = bar.add_task(label, total=None, reached="", steps=0, rate="…")
        started = bar.get_time()

        def update(done: TickProgress) -> None:
            elapsed = bar.get_time() - started
            span = done.target - done.start
            bar.update(
                task,
                total=span or None,
                completed=done.at - done.start,
                reached=f"{time_of} {when(done.at)}",
                steps=done.steps,
                rate=f"{done.steps / elapsed:,.0f}" if elapsed > 0 else "…",
            )

        yield update


def _shown(label: str, *columns: Any) -> Any:
    # startup: rich loads only when a terminal shows progress
    from rich.console import Console
    from rich.progress import Progress

    return Progress(f"[bold]{label}", *columns, console=Console(stderr=True), transient=True)
