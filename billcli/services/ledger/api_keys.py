"""The ledger's API key: one secret for `api serve`, kept only as a hash.

The key is made the first time it is asked for (`billcli api key`, or `api serve` on a
ledger that has none) and shown then, once; the ledger keeps its SHA-256 and its last
four characters. `--roll` makes a new one, and the old one stops working at once. Keys
look like Stripe's test keys (`sk_test_…`, three `_`-separated parts, 40 characters),
which the `stripe` CLI requires.
"""

from __future__ import annotations

import hashlib
import hmac
from dataclasses import dataclass

from billcli.store.ledger import Ledger, Tx

HASH_KEY = "api.key_hash"
HINT_KEY = "api.key_hint"
PREFIX = "sk_test_"


@dataclass(frozen=True)
class KeyState:
    """The key just made (shown once), or None and the last four of the one in place."""

    key: str | None
    hint: str


def _digest(key: str) -> str:
    return hashlib.sha256(key.encode()).hexdigest()


def _make(tx: Tx) -> KeyState:
    # startup: loaded only when a key is made
    import secrets

    key = PREFIX + secrets.token_urlsafe(24).replace("-", "x").replace("_", "y")
    tx.meta.set(HASH_KEY, _digest(key))
    tx.meta.set(HINT_KEY, key[-4:])
    return KeyState(key, key[-4:])


def ensure(ledger: Ledger, *, roll: bool = False) -> KeyState:
    """The key, made now if the ledger has none (or `roll`): shown only when made."""
    with ledger.write() as tx:
        hint = tx.meta.get(HINT_KEY)
        if hint is None or roll:
            return _make(tx)
        return KeyState(None, hint)


def valid(tx: Tx, presented: str) -> bool:
    """Whether `presented` is the ledger's key (compared in constant time)."""
    stored = tx.meta.get(HASH_KEY)
    return stored is not None and hmac.compare_digest(stored, _digest(presented))
