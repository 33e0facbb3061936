"""Reading import files: CSV with a header row, or JSON Lines, one row at a time.

Files are streamed, never loaded whole, so an import of millions of rows reads in
constant memory; the bytes read so far drive the progress bar.
"""

from __future__ import annotations

import csv
import json
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import IO, Any, NamedTuple

from billcli.errors import InvalidRequest

# UTF-8, with the byte-order mark that spreadsheets write ("CSV UTF-8") skipped.
ENCODING = "utf-8-sig"


class Row(NamedTuple):
    """One data row: a tuple, as millions are made per import (a third of the cost of a
    frozen dataclass)."""

    number: int
    line: int
    fields: dict[str, Any]


def _bad_file(path: Path, why: str) -> InvalidRequest:
    return InvalidRequest(f"Invalid file: {path} {why}", param="file")


def file_format(path: Path) -> str:
    """ "csv" or "jsonl", from the extension, else from the first non-blank character."""
    suffix = path.suffix.lower()
    if suffix == ".csv":
        return "csv"
    if suffix in (".jsonl", ".ndjson", ".json"):
        return "jsonl"
    try:
        with path.open(encoding=ENCODING) as handle:
            head = handle.read(4096)
    except (OSError, UnicodeDecodeError):
        raise _bad_file(path, "is neither CSV nor JSON Lines (not UTF-8 text)") from None
    if "\x00" in head:
        raise _bad_file(path, "is neither CSV nor JSON Lines (binary data)")
    return "jsonl" if head.lstrip().startswith("{") else "csv"


class RowFile:
    """An import file's rows, with the columns it is expected to have."""

    def __init__(self, path: Path, *, columns: frozenset[str]):
        self.path = path
        self.columns = columns
        if not path.exists():
            raise _bad_file(path, "does not exist")
        self.format = file_format(path)
        try:
            self.size = path.stat().st_size
        except OSError as exc:
            raise _bad_file(path, f"cannot be read ({exc.strerror})") from None
        if self.size == 0:
            raise _bad_file(path, "is empty")

    def rows(self, progress: Callable[[int], None] | None = None) -> Iterator[Row]:
        """Every data row; `progress` hears the bytes read so far, now and then."""
        try:
            with self.path.open(encoding=ENCODING, newline="") as handle:
                lines = _counted(handle, progress)
                yield from (self._csv(lines) if self.format == "csv" else self._jsonl(lines))
        except UnicodeDecodeError:
            raise _bad_file(self.path, "is neither CSV nor JSON Lines (not UTF-8 text)") from None
        except csv.Error as exc:
            raise _bad_file(self.path, f"is not valid CSV ({exc})") from None

    def _csv(self, lines: Iterator[str]) -> Iterator[Row]:
        # strict: a quote never closed is an error (with the default reader the rest of
        # the file became one cell, and one garbage row)
        reader = csv.reader(lines, strict=True)
        header = next(reader, None)
        if not header or not any(h.strip() for h in header):
            raise _bad_file(self.path, "has no header row")
        names = [h.strip().lower() for h in header]
        unknown = sorted(set(names) - self.columns - {""})
        if unknown:
            raise _bad_file(
                self.path,
                f"has unknown columns: {', '.join(unknown)} "
                f"(known: {', '.join(sorted(self.columns))})",
            )
        unnamed = "" in names  # cells under a blank header are dropped
        number = 0
        first_line = reader.line_num + 1  # a quoted cell may span several lines
        while True:
            try:
                cells = next(reader, None)
            except csv.Error as exc:
                raise self._unreadable(first_line, exc) from None
            if cells is None:
                return
            line, first_line = first_line, reader.line_num + 1
            if not "".join(cells).strip():
                continue
            number += 1
            fields = dict(zip(names, cells, strict=False))
            if unnamed:
                fields.pop("", None)
            yield Row(number, line, fields)

    def _unreadable(self, line: int, exc: csv.Error) -> InvalidRequest:
        if "end of data" in str(exc):
            why = f"a quoted field that starts on line {line} is never closed"
        else:
            why = f"line {line} is not valid CSV ({exc})"
        return _bad_file(self.path, f"cannot be read: {why}; nothing was imported")

    def _jsonl(self, lines: Iterator[str]) -> Iterator[Row]:
        number = 0
        for line, text in enumerate(lines, start=1):
            if not text.strip():
                continue
            number += 1
            try:
                fields = json.loads(text)
            except ValueError:
                if number == 1:
                    raise _bad_file(self.path, "is neither CSV nor JSON Lines") from None
                fields = {"__error__": "this line is not valid JSON"}
            if not isinstance(fields, dict):
                fields = {"__error__": "each line must be a JSON object"}
            else:
                unknown = sorted(set(fields) - self.columns - {"__error__"})
                if unknown:
                    fields = {"__error__": f"unknown keys: {', '.join(unknown)}"}
            yield Row(number, line, fields)


def _counted(handle: IO[str], progress: Callable[[int], None] | None) -> Iterator[str]:
    """The file's lines, with `progress` told the characters read so far now and then;
    without it, the file itself (a generator per line costs an import a few percent)."""
    return iter(handle) if progress is None else _reporting(handle, progress)


def _reporting(handle: IO[str], progress: Callable[[int], None]) -> Iterator[str]:
    consumed = 0
    for line, text in enumerate(handle, start=1):
        consumed += len(text)
        if line % 4096 == 0:
            progress(consumed)
        yield text
    progress(consumed)
