"""Reading and writing ledger settings (`ledger config`)."""

from __future__ import annotations

from billcli.core.settings import SETTINGS, setting
from billcli.store.ledger import Ledger, Tx


def value(tx: Tx, key: str) -> str:
    """The setting's stored value, or its default (read once per transaction)."""
    memo = ("setting", key)
    if memo not in tx.memo:
        stored = tx.meta.get(key)
        tx.memo[memo] = stored if stored is not None else setting(key).default
    return str(tx.memo[memo])


def all_values(ledger: Ledger) -> dict[str, str]:
    with ledger.read() as tx:
        return {key: value(tx, key) for key in SETTINGS}


def get(ledger: Ledger, key: str) -> dict[str, str]:
    setting(key)
    with ledger.read() as tx:
        return {key: value(tx, key)}


def set_value(ledger: Ledger, key: str, raw: str) -> dict[str, str]:
    checked = setting(key).check(raw)
    with ledger.write() as tx:
        tx.meta.set(key, checked)
        tx.memo.pop(("setting", key), None)
    return {key: checked}
