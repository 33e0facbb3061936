"""What a tick needs to schedule webhook deliveries, without the delivering itself:
the report, the sender with the ledger's settings, and the steps a transaction queued.

Apart from `webhook_delivery` so that a tick with nothing to send loads neither the
delivery records nor the HTTP client.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from billcli.core.tick import Step, delivery_step
from billcli.services.ledger import settings
from billcli.store.ledger import Tx

if TYPE_CHECKING:
    from billcli.services.webhooks.http import Outgoing, Sent

LEASE_MARGIN_S = 30
BATCH = 256

Sender = Callable[[list["Outgoing"]], list["Sent"]]


@dataclass
class DeliveryReport:
    delivered: int = 0
    retrying: int = 0
    failed: int = 0
    attempts: list[dict[str, Any]] = field(default_factory=list)

    def to_dict(self) -> dict[str, Any]:
        return {
            "object": "webhook_delivery_report",
            "delivered": self.delivered,
            "retrying": self.retrying,
            "failed": self.failed,
            "attempts": self.attempts,
        }


def sender(tx: Tx, timeout: float | None = None) -> tuple[Sender, float]:
    """The network sender with the ledger's timeout and concurrency; and its timeout."""
    limit = timeout if timeout is not None else float(settings.value(tx, "webhooks.timeout"))
    width = int(settings.value(tx, "webhooks.concurrency"))

    def send(requests: list[Outgoing]) -> list[Sent]:
        # startup: the network, once it is used
        from billcli.services.webhooks.http import post_all

        return post_all(requests, timeout=limit, concurrency=width)

    return send, limit


def delivery_steps(tx: Tx) -> list[Step]:
    """The deliveries this transaction queued, as steps of a tick's plan."""
    return [delivery_step(at, seq) for at, seq in tx.queued_deliveries]
