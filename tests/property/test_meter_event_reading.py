"""A file of meter events read in bulk (`EventFile.fast`) reads exactly what the line
by line reader (`EventFile.lines`) reads from the same chunk, whenever the bulk reader
takes the chunk at all; and it takes every chunk of plain lines, whatever their layout."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from billcli.services.meters.reading import EventFile

KEYS = ("stripe_customer_id", "value")
PLAIN = st.text("abcXYZ_019-", min_size=1, max_size=12)
ANY_TEXT = st.text(min_size=1, max_size=12)  # quotes, backslashes, controls, non-ASCII
event = st.fixed_dictionaries(
    {
        "event_name": PLAIN,
        "customer": st.one_of(PLAIN, ANY_TEXT),
        "value": st.one_of(st.integers(0, 10**15).map(str), ANY_TEXT),
        "identifier": st.one_of(PLAIN, ANY_TEXT),
        "timestamp": st.integers(0, 2_000_000_000),
    }
)
layout = st.tuples(
    st.permutations(["event_name", "payload", "identifier", "timestamp"]),
    st.booleans(),  # the value's key before the customer's
    st.sampled_from([(",", ":"), (", ", ": ")]),
    st.booleans(),  # ensure_ascii
)


def _ndjson(events: list[dict], shape: tuple) -> str:
    order, value_first, separators, ascii_only = shape
    lines = []
    for e in events:
        payload = {KEYS[0]: e["customer"], KEYS[1]: e["value"]}
        if value_first:
            payload = {KEYS[1]: e["value"], KEYS[0]: e["customer"]}
        whole = {"payload": payload, **{k: e[k] for k in order if k != "payload"}}
        fields = {k: whole[k] for k in order}
        lines.append(json.dumps(fields, separators=separators, ensure_ascii=ascii_only) + "\n")
    return "".join(lines)


def _csv(events: list[dict]) -> str:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(["event_name", "identifier", "timestamp", *(f"payload.{k}" for k in KEYS)])
    for e in events:
        writer.writerow([e["event_name"], e["identifier"], e["timestamp"], e["customer"],
                         e["value"]])  # fmt: skip
    return out.getvalue()


def _agree(path: Path) -> list[bool]:
    """For each chunk: whether the bulk reader took it (and, when it did, that it read
    what the line reader reads)."""
    source = EventFile(path)
    taken = []
    for chunk in source.chunks():
        fast = source.fast(chunk, KEYS)
        if fast is not None:
            slow = [
                (r.event_name, r.payload[KEYS[0]], r.payload[KEYS[1]], r.identifier, r.timestamp)
                for r in source.lines(chunk)
            ]
            assert [tuple(map(str, row)) for row in fast] == [tuple(map(str, row)) for row in slow]
        taken.append(fast is not None)
    return taken


@settings(
    max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(events=st.lists(event, min_size=1, max_size=20), shape=layout)
def test_bulk_reading_of_ndjson_reads_what_line_by_line_reading_reads(tmp_path, events, shape):
    path = tmp_path / "events.ndjson"
    path.write_text(_ndjson(events, shape), encoding="utf-8")
    _agree(path)


@settings(
    max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(events=st.lists(event, min_size=1, max_size=20))
def test_bulk_reading_of_csv_reads_what_line_by_line_reading_reads(tmp_path, events):
    path = tmp_path / "events.csv"
    path.write_text(_csv(events), encoding="utf-8")
    _agree(path)


plain_event = event.map(
    lambda e: (
        e
        | {
            "customer": "cus_" + e["event_name"],
            "identifier": e["event_name"] + "_1",
            "value": str(len(e["event_name"])),
        }
    )
)


@settings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(events=st.lists(plain_event, min_size=1, max_size=20), shape=layout)
def test_plain_lines_in_any_layout_are_read_in_bulk(tmp_path, events, shape):
    ndjson, table = tmp_path / "events.ndjson", tmp_path / "events.csv"
    ndjson.write_text(_ndjson(events, shape), encoding="utf-8")
    table.write_text(_csv(events), encoding="utf-8")
    assert all(_agree(ndjson)) and all(_agree(table))
