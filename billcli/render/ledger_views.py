"""What a ledger's copy shows: where from and to, rows per table, the proof."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from billcli.render.columns import Column

Obj = dict[str, Any]


def _copy_details(o: Obj) -> list[tuple[str, str]]:
    rate = o["rows_per_second"]
    rows = [
        ("From", o["source"]),
        ("To", o["destination"]),
        ("Rows", f"{o['rows']:,} in {o['seconds']:,.1f} s ({rate or 0:,} rows/s)"),
        ("Digest (both sides)", o["digest"]),
    ]
    return rows + [(name, f"{count:,}") for name, count in o["tables"].items() if count]


COLUMNS: dict[str, list[Column]] = {}
DETAILS: dict[str, Callable[[Obj], list[tuple[str, str]]]] = {"ledger_copy": _copy_details}
