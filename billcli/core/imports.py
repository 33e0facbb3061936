"""Bulk-import rules shared by every `import` command: row errors and field reading.

An import is all or nothing; it reports every bad row (up to a cap) at once, naming
the row and the column, so that one correction pass fixes the whole file.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import Any

from billcli.errors import BillingError, ExitCode, InvalidRequest

MAX_REPORTED_ERRORS = 50


@dataclass(frozen=True)
class RowError:
    """What is wrong with one row of an import file."""

    row: int
    line: int
    param: str | None
    message: str

    def __str__(self) -> str:
        return f"row {self.row} (line {self.line}): {self.message}"


@dataclass
class RowErrors:
    """The bad rows of a file, kept up to a cap and counted beyond it."""

    kept: list[RowError] = field(default_factory=list)
    total: int = 0
    idempotency_only: bool = True

    def add(self, row: int, line: int, error: BillingError) -> None:
        self.total += 1
        if error.exit_code != ExitCode.IDEMPOTENCY:
            self.idempotency_only = False
        if len(self.kept) < MAX_REPORTED_ERRORS:
            self.kept.append(RowError(row, line, error.param, error.message))

    def __bool__(self) -> bool:
        return self.total > 0


class ImportRejected(InvalidRequest):
    """A file with bad rows: nothing of it was applied."""

    def __init__(self, path: str, errors: RowErrors):
        noun = "row is" if errors.total == 1 else "rows are"
        super().__init__(
            f"{errors.total} {noun} invalid in {path}; nothing was imported", param="file"
        )
        self.errors = errors
        if errors.idempotency_only:
            self.type = "idempotency_error"
            self.exit_code = ExitCode.IDEMPOTENCY

    @property
    def details(self) -> list[str]:
        lines = [str(e) for e in self.errors.kept]
        hidden = self.errors.total - len(self.errors.kept)
        if hidden:
            lines.append(f"… and {hidden} more")
        return lines

    def to_stripe(self) -> dict[str, Any]:
        body = super().to_stripe()
        body["error"]["rows"] = [
            {"row": e.row, "line": e.line, "param": e.param, "message": e.message}
            for e in self.errors.kept
        ]
        return body


def text_field(fields: dict[str, Any], key: str) -> str | None:
    """A column's value as text; blank cells and JSON nulls are "not given"."""
    value = fields.get(key)
    if type(value) is str:  # every CSV cell: the one case worth a fast path
        return value or None
    if value is None or value == "":
        return None
    if isinstance(value, bool | dict | list):
        raise InvalidRequest(f"Invalid {key}: expected text, got {json.dumps(value)}", param=key)
    return str(value)


def required_field(fields: dict[str, Any], key: str) -> str:
    value = text_field(fields, key)
    if value is None:
        raise InvalidRequest(f"Missing {key}: the column is required", param=key)
    return value


def metadata_pairs(fields: dict[str, Any]) -> tuple[str, ...]:
    """The `metadata` column (a JSON object, as text in CSV) as `KEY=VALUE` pairs."""
    value = fields.get("metadata")
    if value is None or value == "":
        return ()
    if isinstance(value, str):
        try:
            value = json.loads(value)
        except ValueError:
            raise InvalidRequest(
                "Invalid metadata: expected a JSON object", param="metadata"
            ) from None
    if not isinstance(value, dict):
        raise InvalidRequest("Invalid metadata: expected a JSON object", param="metadata")
    return tuple(f"{k}={'' if v is None else v}" for k, v in value.items())
