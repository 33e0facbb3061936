"""Webhook endpoints, the deliveries owed to them, and the attempts made."""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True)
class WebhookEndpoint:
    id: str
    created: int
    url: str
    enabled_events: str  # comma-separated types, or "*"
    secret: str
    status: str = "enabled"
    description: str | None = None
    metadata: dict[str, str] = field(default_factory=dict)
    previous_secret: str | None = None
    previous_secret_expires_at: int | None = None
    deleted: bool = False
    api_version: str | None = None  # the version its events are written in (None: 2023-08-16)

    @property
    def events(self) -> list[str]:
        return self.enabled_events.split(",")


@dataclass(frozen=True)
class WebhookDelivery:
    """One event on its way to one endpoint: pending until it succeeds or gives up."""

    seq: int
    event: str
    endpoint: str
    created: int
    state: str = "pending"
    attempts: int = 0
    next_attempt_at: int | None = None
    first_attempt_at: int | None = None
    finished_at: int | None = None
    lease_until: float | None = None
    invoice: str | None = None


@dataclass(frozen=True)
class WebhookAttempt:
    event: str
    endpoint: str
    created: int
    duration_ms: int
    status_code: int | None = None
    error: str | None = None
    response_excerpt: str | None = None
