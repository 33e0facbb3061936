"""Reading a file of meter events: NDJSON (one event object a line) or CSV (columns
`event_name`, `identifier`, `timestamp` and `payload.KEY` for each payload key).

A file is read in chunks of whole lines, each parsed twice over if need be:

- `fast`: the whole chunk at once, in C (one regular expression over an NDJSON chunk,
  the csv module and a column picker over a CSV one), into raw fields: (event name,
  customer, value, identifier, timestamp) as text. It takes only the plain form of a
  line (the file's own key order, no escapes, a value and timestamp of digits, an
  identifier given) and gives up on the chunk as soon as one line is not plain.
- `lines`: line by line, with numbers, into what the rules check (`Raw`): any valid
  JSON or CSV line, and the reason a line cannot be read.

What `fast` returns is exactly what `lines` reads from the same chunk, in the same
order (a property test holds them to it), so an import checks a plain chunk in bulk
and any other with the one set of rules, naming lines.
"""

from __future__ import annotations

import csv
import functools
import json
import re
import sys
from collections.abc import Callable, Iterator
from contextlib import AbstractContextManager, nullcontext
from dataclasses import dataclass
from operator import itemgetter
from pathlib import Path
from typing import IO, Any

from billcli.core.meters import Row
from billcli.errors import InvalidRequest
from billcli.services.ledger.rows import ENCODING

# A chunk is about this many characters (some 50,000 lines of events): a chunk in
# memory takes five times its size.
CHUNK_CHARS = 8 << 20
COLUMNS = frozenset({"event_name", "identifier", "timestamp"})
PAYLOAD = "payload."
# The fields of a plain line, as text, in the order a row is written (`core.meters.Row`):
# event name, customer, value, identifier, timestamp.
Fields = Row


@dataclass(frozen=True)
class Raw:
    """One line as read: its number, and its fields (or why it cannot be read)."""

    line: int
    event_name: Any = None
    payload: Any = None
    identifier: Any = None
    timestamp: Any = None
    unreadable: str | None = None


@dataclass
class Chunk:
    """Whole consecutive lines of the file, the first one numbered `first_line`."""

    first_line: int
    text: str
    _lines: list[str] | None = None

    @property
    def lines(self) -> list[str]:
        """The lines, each with its end: broken at "\n" only, as the chunks are cut and
        counted (`str.splitlines` also breaks at U+0085, U+2028 and other characters a
        JSON string or a CSV field may hold as they are)."""
        if self._lines is None:
            *ended, last = self.text.split("\n")
            self._lines = [line + "\n" for line in ended] + ([last] if last else [])
        return self._lines


def _bad_file(name: str, why: str) -> InvalidRequest:
    return InvalidRequest(f"Invalid file: {name} {why}", param="file")


class EventFile:
    """A file (or standard input, `path` None) of meter events."""

    def __init__(self, path: Path | None):
        self.path = path
        self.name = "standard input" if path is None else str(path)
        if path is not None and not path.is_file():
            raise _bad_file(self.name, "does not exist" if not path.exists() else "is not a file")
        self.format: str | None = None
        self.header: list[str] = []

    def size(self) -> int:
        return 0 if self.path is None else self.path.stat().st_size

    def chunks(self, progress: Callable[[int], None] | None = None) -> Iterator[Chunk]:
        """The file's lines (the CSV header read off), a chunk at a time."""
        try:
            with self._opened() as handle:
                yield from self._chunks(handle, progress)
        except UnicodeDecodeError:
            raise _bad_file(self.name, "is not UTF-8 text") from None

    def _opened(self) -> AbstractContextManager[IO[str]]:
        if self.path is None:
            return nullcontext(sys.stdin)
        return self.path.open(encoding=ENCODING, newline="")

    def _chunks(self, handle: IO[str], progress: Callable[[int], None] | None) -> Iterator[Chunk]:
        first, number = handle.readline(), 1
        while first and not first.strip():
            first, number = handle.readline(), number + 1
        if not first:
            raise _bad_file(self.name, "is empty")
        if "\x00" in first:
            raise _bad_file(self.name, "is neither NDJSON nor CSV (binary data)")
        if first.lstrip().startswith("{"):
            self.format = "ndjson"
            pending = first
        else:
            self.format = "csv"
            self.header = self._header(first)
            pending = ""
            number += 1
        read = len(first)
        while True:
            block = handle.read(CHUNK_CHARS)
            read += len(block)
            if block:  # whole lines only: the last one, cut short, waits for the next read
                cut = block.rfind("\n") + 1
                if cut == 0:
                    pending += block
                    continue
                text, pending = pending + block[:cut], block[cut:]
            else:
                text, pending = pending, ""
            del block
            if not text:
                return
            if progress is not None:
                progress(read)
            chunk = Chunk(number, text)
            number += text.count("\n")
            del text
            yield chunk

    def _header(self, line: str) -> list[str]:
        try:
            names = [h.strip() for h in next(csv.reader([line], strict=True))]
        except (csv.Error, StopIteration):
            raise _bad_file(self.name, "has no CSV header row") from None
        unknown = sorted(n for n in names if n not in COLUMNS and not n.startswith(PAYLOAD))
        if unknown or "event_name" not in names:
            raise _bad_file(
                self.name,
                f"has unknown columns: {', '.join(unknown)} (known: event_name, identifier, "
                "timestamp, payload.KEY)"
                if unknown
                else "has no event_name column",
            )
        if len(set(names)) != len(names):
            raise _bad_file(self.name, "names a column twice")
        return names

    # --- the plain form of a chunk, in bulk ---------------------------------------

    def fast(self, chunk: Chunk, keys: tuple[str, str]) -> list[Fields] | None:
        """The chunk's fields if every line is plain, for meters whose payload keys are
        `keys` (customer, value); None otherwise."""
        if self.format == "csv":
            return self._fast_csv(chunk, keys)
        first = chunk.text[: chunk.text.find("\n") + 1 or len(chunk.text)]
        pattern = _pattern(first, keys)
        if pattern is None:
            return None
        text = chunk.text if chunk.text.endswith("\n") else chunk.text + "\n"
        found = pattern.findall(text)
        if len(found) != text.count("\n"):
            return None
        order = _ORDERS[pattern]
        return found if order is None else list(map(order, found))

    def _fast_csv(self, chunk: Chunk, keys: tuple[str, str]) -> list[Fields] | None:
        wanted = ["event_name", PAYLOAD + keys[0], PAYLOAD + keys[1], "identifier", "timestamp"]
        if sorted(self.header) != sorted(wanted):
            return None
        try:
            rows = list(csv.reader(chunk.lines, strict=True))
        except csv.Error:
            return None
        width = len(self.header)
        if len(rows) != len(chunk.lines) or any(len(r) != width for r in rows):
            return None
        picked: list[Fields] = list(map(itemgetter(*map(self.header.index, wanted)), rows))
        names, _, values, identifiers, stamps = zip(*picked, strict=True)
        plain = (
            _digits(values, 15)
            and _digits(stamps, 12)
            and _lengths(identifiers, 100)
            and _lengths(names, 100)
        )
        return picked if plain else None

    # --- every line, one by one -------------------------------------------------

    def lines(self, chunk: Chunk) -> Iterator[Raw]:
        """Each line of the chunk as read (blank lines skipped), numbered."""
        if self.format == "csv":
            yield from self._csv_lines(chunk)
            return
        for number, text in enumerate(chunk.lines, start=chunk.first_line):
            if not text.strip():
                continue
            try:
                fields = json.loads(text)
            except ValueError:
                yield Raw(number, unreadable="this line is not valid JSON")
                continue
            if not isinstance(fields, dict):
                yield Raw(number, unreadable="each line must be a JSON object")
                continue
            unknown = sorted(set(fields) - COLUMNS - {"payload"})
            if unknown:
                yield Raw(number, unreadable=f"unknown keys: {', '.join(unknown)}")
                continue
            yield Raw(
                number,
                fields.get("event_name"),
                fields.get("payload"),
                fields.get("identifier"),
                fields.get("timestamp"),
            )

    def _csv_lines(self, chunk: Chunk) -> Iterator[Raw]:
        reader = csv.reader(chunk.lines, strict=True)
        line = chunk.first_line
        while True:
            try:
                cells = next(reader, None)
            except csv.Error as exc:
                yield Raw(line, unreadable=f"this line is not valid CSV ({exc})")
                return
            if cells is None:
                return
            at, line = line, chunk.first_line + reader.line_num
            if not "".join(cells).strip():
                continue
            if len(cells) != len(self.header):
                yield Raw(
                    at, unreadable=f"it has {len(cells)} cells; the header names {len(self.header)}"
                )
                continue
            row = dict(zip(self.header, cells, strict=True))
            payload = {k.removeprefix(PAYLOAD): v for k, v in row.items() if k.startswith(PAYLOAD)}
            yield Raw(
                at,
                row.get("event_name"),
                {k: v for k, v in payload.items() if v != ""},
                row.get("identifier") or None,
                row.get("timestamp") or None,
            )


def _digits(texts: tuple[str, ...], most: int) -> bool:
    """Every text 1 to `most` ASCII digits (checked in bulk: joined, then measured)."""
    joined = "".join(texts)
    return (
        joined.isascii()
        and joined.isdigit()
        and 0 < min(map(len, texts)) <= max(map(len, texts)) <= most
    )


def _lengths(texts: tuple[str, ...], most: int) -> bool:
    return min(map(len, texts)) > 0 and max(map(len, texts)) <= most


_ORDERS: dict[re.Pattern[str], Callable[[tuple[str, ...]], Fields] | None] = {}
_NAMES = ("event_name", "customer", "value", "identifier", "timestamp")


def _pattern(line: str, keys: tuple[str, str]) -> re.Pattern[str] | None:
    """The expression that reads a plain line laid out exactly as `line` is (its keys in
    its order, its separators, compact or `json.dumps`'s), with the payload keys `keys`;
    None when `line` is not plain. Text is matched only where JSON needs no escape."""
    try:
        fields = json.loads(line)
    except ValueError:
        return None
    if not isinstance(fields, dict) or set(fields) != {*COLUMNS, "payload"}:
        return None
    payload = fields["payload"]
    if not isinstance(payload, dict) or set(payload) != set(keys):
        return None
    if not all(isinstance(payload[k], str) for k in keys) or type(fields["timestamp"]) is not int:
        return None
    stripped = line.rstrip("\r\n")
    for separators in ((",", ":"), (", ", ": ")):
        for ascii_only in (True, False):
            if json.dumps(fields, separators=separators, ensure_ascii=ascii_only) == stripped:
                return _compiled(tuple(fields), tuple(payload), keys, separators)
    return None


_TEXT = r'"([^"\\\x00-\x1f]{1,100})"'
_SLOTS = {
    "event_name": _TEXT,
    "identifier": _TEXT,
    "customer": r'"([^"\\\x00-\x1f]{1,200})"',
    "value": r'"([0-9]{1,15})"',
    "timestamp": "([0-9]{1,12})",
}


@functools.lru_cache(maxsize=32)
def _compiled(
    order: tuple[str, ...],
    inner: tuple[str, ...],
    keys: tuple[str, str],
    separators: tuple[str, str],
) -> re.Pattern[str]:
    comma, colon = (re.escape(s) for s in separators)
    parts, slots = [], []
    for key in order:
        if key == "payload":
            named = ["customer" if k == keys[0] else "value" for k in inner]
            pairs = [
                re.escape(json.dumps(k)) + colon + _SLOTS[n]
                for k, n in zip(inner, named, strict=True)
            ]
            parts.append('"payload"' + colon + r"\{" + comma.join(pairs) + r"\}")
            slots += named
        else:
            parts.append(f'"{key}"{colon}{_SLOTS[key]}')
            slots.append(key)
    pattern = re.compile(r"^\{" + comma.join(parts) + r"\}\r?$", re.M)
    positions = [slots.index(name) for name in _NAMES]
    _ORDERS[pattern] = None if positions == list(range(5)) else itemgetter(*positions)
    return pattern
