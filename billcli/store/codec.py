"""How JSON values are stored: compact, since events and replies repeat per row."""

from __future__ import annotations

import json
from typing import Any

_COMPACT = json.JSONEncoder(separators=(",", ":"), ensure_ascii=False)


def compact(value: Any) -> str:
    return _COMPACT.encode(value)
