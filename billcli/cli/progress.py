"""Progress on stderr for long jobs, shown only when a person is watching."""

from __future__ import annotations

import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager


@contextmanager
def progress(
    label: str, *, total_bytes: int | None = None
) -> Iterator[Callable[[int], None] | None]:
    """A callback fed with work done, or None when stderr is not a terminal.

    With `total_bytes` it is a bar over a file being read; without, a count of steps.
    """
    if not sys.stderr.isatty():
        yield None
        return
    # startup: rich loads only when a terminal shows progress
    from rich.console import Console
    from rich.progress import (
        BarColumn,
        DownloadColumn,
        Progress,
        SpinnerColumn,
        TextColumn,
        TimeElapsedColumn,
        TimeRemainingColumn,
    )

    columns = (
        (BarColumn(), DownloadColumn(), TimeRemainingColumn())
        if total_bytes is not None
        else (SpinnerColumn(), TextColumn("{task.completed:,} steps"), TimeElapsedColumn())
    )
    with Progress(f"[bold]{label}", *columns, console=Console(stderr=True), transient=True) as bar:
        task = bar.add_task(label, total=total_bytes)
        yield lambda done: bar.update(task, completed=done)
