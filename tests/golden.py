"""Golden files of what people see: output made stable (ids, secrets, page tokens) and
compared, or rewritten when `BILLCLI_UPDATE_GOLDEN=1` (read the difference first)."""

from __future__ import annotations

import os
import re
from pathlib import Path

ID = re.compile(r"\b([a-z]+(?:_[a-z]+)*?_)([0-9A-Za-z]{24})\b")
SECRET = re.compile(r"(/p/session/|/i/|--page )([0-9A-Za-z_.-]{20,})")


def normalized(text: str) -> str:
    """Ids and secrets made stable, each the length it had (columns stay aligned), and
    the spaces that pad a line's end dropped."""
    seen: dict[str, str] = {}

    def stable(match: re.Match[str]) -> str:
        number = seen.setdefault(match.group(0), str(len(seen) + 1))
        return match.group(1) + number.rjust(len(match.group(2)), "0")

    text = SECRET.sub(lambda m: m.group(1) + "s" * len(m.group(2)), text)
    text = ID.sub(stable, text)
    return "".join(line.rstrip() + "\n" for line in text.splitlines())


def assert_golden(shown: str, golden: Path) -> None:
    if os.environ.get("BILLCLI_UPDATE_GOLDEN"):
        golden.parent.mkdir(exist_ok=True)
        golden.write_text(shown)
    assert shown == golden.read_text(), f"{golden} differs (BILLCLI_UPDATE_GOLDEN=1 rewrites it)"
