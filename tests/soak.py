"""Sizes of the kill -9, race and state-machine soaks. CI runs them small enough to keep
`.ci/run` inside its time limit and still land every kind of kill; `BILLCLI_SOAK=1`
(set by `bench/soaks.py` and `bench/reliability_report.py`) runs them at full size."""

from __future__ import annotations

import os


def size(ci: int, soak: int) -> int:
    """`soak` when the soak run asks for full size, else `ci`."""
    return soak if os.environ.get("BILLCLI_SOAK") else ci
