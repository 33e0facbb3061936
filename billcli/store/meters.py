"""Meters, their events (appended in runs), and meter event sessions.

Events are written a batch at a time in the order `core.meters.arrange` gives: each
run's events take consecutive seqs, and one row of `meter_event_runs` keeps what they
add up to. Reads add up runs and read events only for runs cut by a window's edge, so a
customer's month costs the same on any size of ledger.
"""

from __future__ import annotations

from collections.abc import Collection, Iterable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from typing import TYPE_CHECKING, Any

from billcli.core.meters import WEEK_S
from billcli.core.pagination import PageRequest
from billcli.store.mapping import Mapper, Table
from billcli.store.pages import fetch_page

if TYPE_CHECKING:
    from billcli.core.meters import Event, Row
    from billcli.core.records.meters import Meter, Run

METERS = Mapper["Meter"]("billcli.core.records.meters", "Meter", "meters")
# SQLite takes at most 32,766 parameters in a statement.
IN_CHUNK = 30_000


class Meters(Table["Meter"]):
    mapper = METERS

    def by_event_name(self, event_name: str) -> Meter | None:
        return METERS.find(self.conn, "event_name", event_name)

    def seq(self, meter_id: str) -> int:
        row = self.conn.execute("SELECT seq FROM meters WHERE id = ?", [meter_id]).fetchone()
        return int(row[0])

    def by_seq(self, seqs: Sequence[int]) -> dict[int, Meter]:
        marks = ", ".join("?" * len(seqs))
        rows = self.conn.execute(
            f"SELECT seq, {', '.join(METERS.columns)} FROM meters WHERE seq IN ({marks})",
            list(seqs),
        )
        return {row[0]: METERS.record(row[1:]) for row in rows}

    def with_seqs(self) -> dict[int, Meter]:
        """Every meter, by seq (`ledger check` names runs' meters)."""
        rows = self.conn.execute(f"SELECT seq, {', '.join(METERS.columns)} FROM meters")
        return {int(row[0]): METERS.record(row[1:]) for row in rows}

    def active(self) -> dict[str, tuple[int, Meter]]:
        """Every active meter by event name, with its seq: what a file's events may name."""
        rows = self.conn.execute(
            f"SELECT seq, {', '.join(METERS.columns)} FROM meters WHERE status = 'active'"
        )
        found = {}
        for row in rows:
            meter = METERS.record(row[1:])
            found[meter.event_name] = (int(row[0]), meter)
        return found

    def page(self, request: PageRequest, *, status: str | None = None) -> tuple[list[Meter], bool]:
        where, params = ("status = ?", [status]) if status else ("TRUE", [])
        return fetch_page(
            self.conn, METERS, kind="billing.meter", where=where, params=params, request=request
        )


_RUN_COLUMNS = (
    "first_seq, last_seq, first_timestamp, last_timestamp, events, total, latest_seq, "
    "latest_timestamp, latest_value"
)


def _run(row: Sequence[Any]) -> Run:
    # startup: a record dataclass is created on first use
    from billcli.core.records.meters import Run

    return Run(*row)


class MeterEvents:
    """The events of every meter, and the runs they were written in."""

    def __init__(self, conn: Any):
        self.conn = conn
        self._runs_table = "meter_event_runs"

    def live_customers(self, customer_ids: Iterable[str]) -> dict[str, str | None]:
        """Those of `customer_ids` that exist and are not deleted, each with the test
        clock it lives on (None: the ledger clock)."""
        wanted = list(customer_ids)
        found: dict[str, str | None] = {}
        for start in range(0, len(wanted), IN_CHUNK):
            chunk = wanted[start : start + IN_CHUNK]
            marks = ", ".join("?" * len(chunk))
            rows = self.conn.execute(
                f"SELECT id, test_clock FROM customers WHERE deleted = 0 AND id IN ({marks})",
                chunk,
            )
            found.update(rows)
        return found

    def next_seq(self) -> int:
        row = self.conn.execute("SELECT coalesce(max(seq), 0) + 1 FROM meter_events").fetchone()
        return int(row[0])

    def add(self, rows: Sequence[Row], meters: Mapping[str, int], created: int) -> bool:
        """Append `rows` in their order, taking consecutive seqs from `next_seq()`, each
        event name read as its meter's seq; False, with nothing written, when an
        identifier was already taken (by the ledger, or by an earlier row)."""
        names = " ".join(f"WHEN {_quoted(n)} THEN {int(seq)}" for n, seq in meters.items())
        self.conn.execute("SAVEPOINT events")
        written = self.conn.executemany(
            "INSERT INTO meter_events (meter, customer, value, identifier, timestamp, "
            f"created) VALUES (CASE ? {names} END, ?, ?, ?, ?, {int(created)}) "
            "ON CONFLICT DO NOTHING",
            rows,
        ).rowcount
        if written != len(rows):
            self.conn.execute("ROLLBACK TO events")
        self.conn.execute("RELEASE events")
        return bool(written == len(rows))

    def taken(self, identifiers: Sequence[str]) -> set[str]:
        """Which of `identifiers` events already carry."""
        found: set[str] = set()
        for start in range(0, len(identifiers), IN_CHUNK):
            chunk = list(identifiers[start : start + IN_CHUNK])
            marks = ", ".join("?" * len(chunk))
            rows = self.conn.execute(
                f"SELECT identifier FROM meter_events WHERE identifier IN ({marks})", chunk
            )
            found.update(row[0] for row in rows)
        return found

    def add_runs(self, first_seq: int, latest_meters: Collection[int]) -> None:
        """The runs of the events written from `first_seq` on (arranged so that each run
        is consecutive seqs): what each adds up to, and for the meters that need it
        (`latest_meters`), its latest event."""
        runs = self._runs_table
        table = runs.rpartition(".")[2]
        self.conn.execute(
            f"INSERT INTO {runs} (meter, customer, week, {_RUN_COLUMNS}) "
            "SELECT meter, customer, timestamp / ?, min(seq), max(seq), min(timestamp), "
            "max(timestamp), count(*), sum(value), NULL, NULL, NULL FROM meter_events "
            "WHERE seq >= ? GROUP BY 1, 2, 3",
            [WEEK_S, first_seq],
        )
        if latest_meters:
            marks = ", ".join("?" * len(latest_meters))
            self.conn.execute(
                f"UPDATE {runs} SET (latest_seq, latest_timestamp, latest_value) = "
                "(SELECT seq, timestamp, value FROM meter_events WHERE seq BETWEEN "
                f"{table}.first_seq AND {table}.last_seq "
                "ORDER BY timestamp DESC, seq DESC LIMIT 1) "
                f"WHERE first_seq >= ? AND meter IN ({marks})",
                [first_seq, *latest_meters],
            )

    @contextmanager
    def runs_filed_at_end(self) -> Iterator[None]:
        """Runs added meanwhile are set aside, then filed at once in key order when the
        block ends cleanly (nothing reads them meanwhile).

        A run's place in `meter_event_runs` is its customer's, so a batch of events of
        10,000 customers adds runs all over the table: once the table outgrows the page
        cache, every batch of a big import rewrote most of its pages into the
        transaction's write-ahead log. Set aside in a temporary table (appended to, never
        synced) and filed in key order, each page is written once."""
        # Keyed by first seq: a batch's runs land at its end, and its latest events are
        # found by that key. Typed columns and no `main.` prefix: PostgreSQL runs it too.
        others = ", ".join(f"{name} INTEGER" for name in _RUN_COLUMNS.split(", ")[1:])
        self.conn.execute(
            "CREATE TEMP TABLE staged_runs (first_seq INTEGER PRIMARY KEY, "
            f"meter INTEGER NOT NULL, customer TEXT NOT NULL, week INTEGER NOT NULL, {others})"
        )
        self._runs_table = "temp.staged_runs"
        try:
            yield
        finally:
            self._runs_table = "meter_event_runs"
        columns = f"meter, customer, week, {_RUN_COLUMNS}"
        self.conn.execute(
            f"INSERT INTO meter_event_runs ({columns}) SELECT {columns} "
            "FROM temp.staged_runs ORDER BY meter, customer, week, first_seq"
        )
        self.conn.execute("DROP TABLE temp.staged_runs")

    def by_identifier(
        self, identifier: str
    ) -> tuple[int, int, str, int, int, int, int | None] | None:
        """(seq, meter, customer, timestamp, value, created, canceled) of an event."""
        row = self.conn.execute(
            "SELECT seq, meter, customer, timestamp, value, created, canceled "
            "FROM meter_events WHERE identifier = ?",
            [identifier],
        ).fetchone()
        return None if row is None else tuple(row)

    def cancel(self, seq: int, at: int, *, keeps_latest: bool) -> None:
        """Cancel one event and take it out of its run's sums (its run's latest event is
        found again among the rest)."""
        self.conn.execute("UPDATE meter_events SET canceled = ? WHERE seq = ?", [at, seq])
        meter, customer, timestamp = self.conn.execute(
            "SELECT meter, customer, timestamp FROM meter_events WHERE seq = ?", [seq]
        ).fetchone()
        week = timestamp // WEEK_S
        first, last = self.conn.execute(
            "SELECT first_seq, last_seq FROM meter_event_runs WHERE meter = ? AND customer = ? "
            "AND week = ? AND first_seq <= ? ORDER BY first_seq DESC LIMIT 1",
            [meter, customer, week, seq],
        ).fetchone()
        latest = (
            self.conn.execute(
                "SELECT seq, timestamp, value FROM meter_events WHERE seq BETWEEN ? AND ? "
                "AND canceled IS NULL ORDER BY timestamp DESC, seq DESC LIMIT 1",
                [first, last],
            ).fetchone()
            if keeps_latest
            else None
        )
        self.conn.execute(
            "UPDATE meter_event_runs SET events = events - 1, total = total - "
            "(SELECT value FROM meter_events WHERE seq = ?), latest_seq = ?, "
            "latest_timestamp = ?, latest_value = ? "
            "WHERE meter = ? AND customer = ? AND week = ? AND first_seq = ?",
            [seq, *(latest or (None, None, None)), meter, customer, week, first],
        )

    def runs(
        self, meter: int, customer: str, start: int, end: int, *, cut_only: bool = False
    ) -> list[Run]:
        """The runs of a meter and customer with events in [start, end), oldest first
        (with `cut_only`, only those that also have events outside it)."""
        cut = " AND (first_timestamp < ? OR last_timestamp >= ?)" if cut_only else ""
        rows = self.conn.execute(
            f"SELECT {_RUN_COLUMNS} FROM meter_event_runs WHERE meter = ? AND customer = ? "
            f"AND week BETWEEN ? AND ? AND last_timestamp >= ? AND first_timestamp < ?{cut} "
            "ORDER BY week, first_seq",
            [meter, customer, start // WEEK_S, (end - 1) // WEEK_S, start, end]
            + ([start, end] if cut_only else []),
        )
        return [_run(row) for row in rows]

    def added_up(self, meter: int, customer: str, start: int, end: int) -> tuple[int, int]:
        """(events, total) of the runs of a meter and customer wholly inside [start, end),
        added up here: a month of a busy customer's events is hundreds of runs."""
        events, total = self.conn.execute(
            "SELECT coalesce(sum(events), 0), coalesce(sum(total), 0) FROM meter_event_runs "
            "WHERE meter = ? AND customer = ? AND week BETWEEN ? AND ? "
            "AND first_timestamp >= ? AND last_timestamp < ?",
            [meter, customer, start // WEEK_S, (end - 1) // WEEK_S, start, end],
        ).fetchone()
        return int(events), int(total)

    def events(self, run: Run) -> list[Event]:
        """A run's events not canceled, as (timestamp, seq, value)."""
        rows = self.conn.execute(
            "SELECT timestamp, seq, value FROM meter_events "
            "WHERE seq BETWEEN ? AND ? AND canceled IS NULL",
            [run.first_seq, run.last_seq],
        )
        return [tuple(row) for row in rows]

    def events_as_of(
        self, meter: int, customer: str, start: int, end: int, at: int, live: int | None = None
    ) -> Iterator[Event]:
        """The events of [start, end) as the ledger held them at `at`: received by then,
        and not canceled by then (what an invoice finalized at `at` billed), or by `live`
        when given (`at - 1`: those canceled in that second kept)."""
        for run in self.runs(meter, customer, start, end):
            yield from self.conn.execute(
                "SELECT timestamp, seq, value FROM meter_events WHERE seq BETWEEN ? AND ? "
                "AND timestamp >= ? AND timestamp < ? AND created <= ? "
                "AND (canceled IS NULL OR canceled > ?)",
                [run.first_seq, run.last_seq, start, end, at, at if live is None else live],
            )

    def customers_with_events(self, meter: int, start: int, end: int) -> list[str]:
        """Every customer with events of `meter` in [start, end) (a report's rows)."""
        rows = self.conn.execute(
            "SELECT DISTINCT customer FROM meter_event_runs WHERE meter = ? "
            "AND week BETWEEN ? AND ? AND last_timestamp >= ? AND first_timestamp < ? "
            "ORDER BY customer",
            [meter, start // WEEK_S, (end - 1) // WEEK_S, start, end],
        )
        return [row[0] for row in rows]

    def run_problems(self) -> Iterator[tuple[Any, ...]]:
        """Runs that do not add up to the events they cover: (meter seq, customer seq,
        first seq) of each (`ledger check`)."""
        yield from self.conn.execute(
            """
            SELECT r.meter, r.customer, r.first_seq
            FROM meter_event_runs AS r
            LEFT JOIN meter_events AS e ON e.seq BETWEEN r.first_seq AND r.last_seq
            GROUP BY r.meter, r.customer, r.week, r.first_seq
            HAVING count(e.seq) != r.last_seq - r.first_seq + 1
                OR sum(e.meter != r.meter OR e.customer != r.customer) > 0
                OR sum(e.timestamp / ? != r.week) > 0
                OR min(e.timestamp) != r.first_timestamp
                OR max(e.timestamp) != r.last_timestamp
                OR sum(e.canceled IS NULL) != r.events
                OR coalesce(sum(CASE WHEN e.canceled IS NULL THEN e.value END), 0) != r.total
            """,
            [WEEK_S],
        )

    def coverage(self) -> tuple[int, int, int]:
        """(events, events the runs cover, runs overlapping the run before them): every
        event lies in exactly one run when the first two agree and the last is 0."""
        events = self.conn.execute("SELECT count(*) FROM meter_events").fetchone()[0]
        covered, overlapping = self.conn.execute(
            """
            SELECT coalesce(sum(last_seq - first_seq + 1), 0), coalesce(sum(first_seq <= before), 0)
            FROM (SELECT first_seq, last_seq,
                         lag(last_seq) OVER (ORDER BY first_seq) AS before
                  FROM meter_event_runs) AS r
            """
        ).fetchone()
        return int(events), int(covered), int(overlapping)

    def latest_problems(self) -> Iterator[tuple[Any, ...]]:
        """Runs of meters that keep their latest event whose latest is not it (the three
        values compared as one text: PostgreSQL compares no row with a subquery's)."""
        yield from self.conn.execute(
            """
            SELECT r.meter, r.customer, r.first_seq
            FROM meter_event_runs AS r JOIN meters AS m ON m.seq = r.meter
            WHERE (m.formula = 'last' OR m.event_time_window IS NOT NULL)
              AND r.latest_seq || ' ' || r.latest_timestamp || ' ' || r.latest_value IS NOT (
                SELECT e.seq || ' ' || e.timestamp || ' ' || e.value FROM meter_events AS e
                WHERE e.seq BETWEEN r.first_seq AND r.last_seq AND e.canceled IS NULL
                ORDER BY e.timestamp DESC, e.seq DESC LIMIT 1)
            """
        )


def _quoted(text: str) -> str:
    """A text literal for SQL (an event name in the CASE that maps it to its meter)."""
    return "'" + text.replace("'", "''") + "'"


class MeterEventSessions:
    def __init__(self, conn: Any):
        self.conn = conn

    def add(self, session_id: str, created: int, expires_at: int, token_hash: str) -> None:
        self.conn.execute(
            "INSERT INTO meter_event_sessions (id, created, expires_at, token_hash) "
            "VALUES (?, ?, ?, ?)",
            [session_id, created, expires_at, token_hash],
        )

    def expires_at(self, token_hash: str) -> int | None:
        row = self.conn.execute(
            "SELECT expires_at FROM meter_event_sessions WHERE token_hash = ?", [token_hash]
        ).fetchone()
        return None if row is None else int(row[0])
