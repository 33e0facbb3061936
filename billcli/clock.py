"""The ledger clock: the only source of "now" for anything billcli writes.

A ledger follows system time until `invoices tick` freezes it at a later instant, like
a Stripe test clock. The frozen instant lives in the ledger, so every process that
opens the ledger sees the same time.
"""

from __future__ import annotations

import time
from dataclasses import dataclass


def system_now() -> int:
    """Unix seconds from the system clock (patched by freezegun in tests)."""
    return int(time.time())


@dataclass(frozen=True)
class Clock:
    """A ledger's clock: frozen at `frozen_at`, or following system time when None."""

    frozen_at: int | None = None

    @property
    def is_frozen(self) -> bool:
        return self.frozen_at is not None

    def now(self) -> int:
        """The current ledger instant in unix seconds."""
        return self.frozen_at if self.frozen_at is not None else system_now()
