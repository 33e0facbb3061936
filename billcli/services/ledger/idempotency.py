"""One idempotency mechanism for every create command (billcli-decisions: idempotency).

A key is remembered per command for 24 hours of ledger time with a hash of the
request's parameters. The check and the write happen in the caller's `BEGIN
IMMEDIATE` transaction, so racing processes with one key create exactly one object.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any, TypeVar

from billcli.errors import IdempotencyConflict, InvalidRequest
from billcli.store.errors import DamagedRecord
from billcli.store.ledger import Tx

RETENTION_S = 24 * 3600
MAX_KEY_LENGTH = 255


def fingerprint(params: dict[str, Any]) -> str:
    # startup: only when a key is given: reads never pay for it
    import hashlib

    return hashlib.sha256(json.dumps(params, sort_keys=True, default=str).encode()).hexdigest()


def replay(tx: Tx, command: str, key: str, params: dict[str, Any]) -> dict[str, Any] | None:
    """The stored result for `key`, None when it is new; other parameters are refused."""
    if not key or len(key) > MAX_KEY_LENGTH:
        raise InvalidRequest(
            f"Invalid idempotency_key: 1 to {MAX_KEY_LENGTH} characters", param="idempotency_key"
        )
    found = tx.idempotency.find(command, key, not_before=tx.ledger_now - RETENTION_S)
    if found is None:
        return None
    stored_digest, response = found
    if stored_digest != fingerprint(params):
        raise IdempotencyConflict(
            f"Keys for idempotent requests can only be used with the same parameters they "
            f"were first used with; '{key}' was used with other parameters for {command}",
            param="idempotency_key",
        )
    try:
        result: dict[str, Any] = json.loads(response)
    except ValueError:
        raise DamagedRecord(f"idempotency_keys {key}, column response: not JSON") from None
    return result


def remember(
    tx: Tx, command: str, key: str, params: dict[str, Any], result: dict[str, Any]
) -> None:
    """Store `result` as the answer to `key` for the next 24 hours of ledger time."""
    tx.idempotency.forget_before(tx.ledger_now - RETENTION_S)
    tx.idempotency.store(command, key, fingerprint(params), result, tx.ledger_now)


def once(
    tx: Tx,
    command: str,
    key: str | None,
    params: dict[str, Any],
    action: Callable[[], dict[str, Any]],
) -> dict[str, Any]:
    """`action()`'s result, or the stored result of an earlier call with `key`.

    A replay with the same parameters writes nothing; other parameters are an
    `idempotency_error`. Failed requests are not stored, so they can be retried.
    """
    if key is None:
        return action()
    stored = replay(tx, command, key, params)
    if stored is not None:
        return stored
    result = keyed(tx, key, action)
    remember(tx, command, key, params, result)
    return result


T = TypeVar("T")


def keyed(tx: Tx, key: str, action: Callable[[], T]) -> T:
    """`action()` as the request with idempotency key `key`: every event it records
    carries the key in `request.idempotency_key`, as Stripe's events of that request do
    (not only the object the command creates: its invoice, charge, attached card…)."""
    outer, tx.idempotency_key = tx.idempotency_key, key
    try:
        return action()
    finally:
        tx.idempotency_key = outer
