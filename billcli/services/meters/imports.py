"""`meters events import`: a file of meter events, written all at once or not at all.

The file is read once, inside one `BEGIN IMMEDIATE` transaction, a chunk of lines at a
time. A plain chunk (`reading.EventFile.fast`) is checked in bulk: its meters and
customers looked up in dictionaries, its timestamps against the window of their
customers' clock by their least and greatest (one by one when the chunk's customers
live on several clocks: each event is checked in its own customer's time); any other
chunk, or a plain one that fails a check, is checked line by line by the rules every
event meets (`core.meters.accept`), so a bad line is named by its line number. The
first bad line stops the writing, checking goes on to report every bad line, and the
transaction is rolled back. Events whose identifier is taken (by the ledger, or earlier
in the file) are skipped and reported, so a file imported twice writes its events once.
Each clock's events are written in its part of the transaction (`Tx.on_clock`), dated
in its time.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from operator import itemgetter
from pathlib import Path
from typing import Any

from billcli.core.imports import ImportRejected, RowErrors
from billcli.core.meters import Accepting, Row, accept, check_identifier, timestamp_window
from billcli.errors import BillingError, InvalidRequest
from billcli.services.meters.reading import Chunk, EventFile
from billcli.services.meters.writing import (
    CustomerTimes,
    accepting,
    after_usage,
    append,
    customer_times,
    new_identifier,
)
from billcli.store.ledger import Ledger, Tx

SHOWN_DUPLICATES = 10
# The page cache of an import: it appends (events, and identifiers when they are ordered)
# or writes where no cache would hold (random identifiers past a few million); half the
# usual bulk cache leaves room for the chunk being read, in 200 MiB whatever the file.
CACHE_KIB = 32 * 1024
_NAME, _CUSTOMER, _TIMESTAMP = itemgetter(0), itemgetter(1), itemgetter(4)


@dataclass
class EventImport:
    """The running state of one import."""

    tx: Tx
    source: EventFile
    checks: Accepting
    times: CustomerTimes
    errors: RowErrors = field(default_factory=RowErrors)
    touched: set[str] = field(default_factory=set)
    rows: int = 0
    written: int = 0
    duplicates: list[str] = field(default_factory=list)
    duplicate_count: int = 0
    per_meter: Counter[str] = field(default_factory=Counter)

    def take(self, chunk: Chunk) -> None:
        """Check a chunk and, while the file is still clean, write it."""
        rows = None if self.errors else self._plain(chunk)
        if rows is None:
            rows = self._line_by_line(chunk)
        if not self.errors:
            self._write(rows)

    def _plain(self, chunk: Chunk) -> list[Row] | None:
        """The chunk's events checked in bulk, or None when it needs line by line."""
        for keys, names in self._by_keys().items():
            fields = self.source.fast(chunk, keys)
            if fields is not None:
                return fields if self._passes(fields, names) else None
        return None

    def _by_keys(self) -> dict[tuple[str, str], set[str]]:
        """The active meters' event names, by their payload keys."""
        grouped: dict[tuple[str, str], set[str]] = {}
        for name, (_, meter) in self.checks.meters.items():
            grouped.setdefault((meter.customer_key, meter.value_key), set()).add(name)
        return grouped

    def _passes(self, fields: list[Row], names: set[str]) -> bool:
        """Whether every event of a plain chunk names one of `names`, a live customer,
        and a timestamp in the window of its customer's clock (each checked for the
        whole chunk at once, or for each clock's events when they live on several)."""
        if not set(map(_NAME, fields)) <= names:
            return False
        customers = set(map(_CUSTOMER, fields))
        if not self.times.know(customers):
            return False
        stamps = list(map(int, map(_TIMESTAMP, fields)))
        windows = {
            clock: timestamp_window(self.times.instant(clock))
            for clock in {self.times.clocks[c] for c in customers}
        }
        if len(windows) == 1:
            ((oldest, latest),) = windows.values()
            if min(stamps) < oldest or max(stamps) > latest:
                return False
        else:
            clocks = self.times.clocks
            for customer, stamp in zip(map(_CUSTOMER, fields), stamps, strict=True):
                oldest, latest = windows[clocks[customer]]
                if not oldest <= stamp <= latest:
                    return False
        self.rows += len(fields)
        return True

    def _line_by_line(self, chunk: Chunk) -> list[Row]:
        rows: list[Row] = []
        for raw in self.source.lines(chunk):
            self.rows += 1
            try:
                if raw.unreadable is not None:
                    raise InvalidRequest(raw.unreadable)
                given = check_identifier(raw.identifier)
                meter, customer, when, value = accept(
                    self.checks,
                    raw.event_name,
                    raw.payload,
                    raw.timestamp,
                    self.times.of,
                    inactive=lambda name: self.tx.meters.by_event_name(name) is not None,
                )
            except BillingError as error:
                self.errors.add(self.rows, raw.line, error)
                continue
            rows.append((meter.event_name, customer, value, given or new_identifier(), when))
        return rows

    def _write(self, rows: list[Row]) -> None:
        skipped = append(self.tx, rows, self.checks)
        self.written += len(rows) - len(skipped)
        self.duplicate_count += len(skipped)
        room = SHOWN_DUPLICATES - len(self.duplicates)
        self.duplicates += skipped[:room]
        self.touched.update(map(_CUSTOMER, rows))
        written = Counter(map(_NAME, rows))
        if skipped:
            name_of = {row[3]: row[0] for row in rows}
            written.subtract(name_of[identifier] for identifier in skipped)
        self.per_meter.update(written)

    def summary(self) -> dict[str, Any]:
        return {
            "object": "meter_event_import",
            "rows": self.rows,
            "written": self.written,
            "duplicates": self.duplicate_count,
            "duplicate_identifiers": self.duplicates,
            "customers": len(self.touched),
            "events_by_meter": {k: v for k, v in sorted(self.per_meter.items()) if v},
        }


def import_file(
    ledger: Ledger, path: Path | None, *, progress: Callable[[int], None] | None = None
) -> dict[str, Any]:
    """Write every event of the file (`None`: standard input) in one transaction, or
    refuse the file naming its bad lines."""
    source = EventFile(path)
    # Every customer a line names is read (and refused if missing) in this transaction.
    with ledger.bulk(references_checked=True, cache_kib=CACHE_KIB), ledger.write() as tx:
        job = EventImport(tx, source, accepting(tx), customer_times(tx))
        with tx.meter_events.runs_filed_at_end():
            for chunk in source.chunks(progress):
                job.take(chunk)
            if job.errors:
                raise ImportRejected(source.name, job.errors)
            if job.rows == 0:
                raise InvalidRequest(f"Invalid file: {source.name} has no events", param="file")
        after_usage(tx, job.touched)
        return job.summary()
