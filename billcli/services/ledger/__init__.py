"""The ledger itself: settings, idempotency keys, the event log, finding objects by id,
import files, the API key, the outbox.
"""
