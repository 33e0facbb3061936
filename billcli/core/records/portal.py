"""Portal configurations and sessions."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any


@dataclass(frozen=True)
class PortalConfiguration:
    id: str
    created: int
    updated: int
    active: bool
    is_default: bool
    business_profile: dict[str, Any]
    features: dict[str, Any]
    default_return_url: str | None = None
    login_secret: str | None = None
    metadata: dict[str, str] = field(default_factory=dict)
    name: str | None = None


@dataclass(frozen=True)
class PortalSession:
    """A session as kept: hashes of its URL secret and cookie, never the secrets."""

    id: str
    created: int
    customer: str
    configuration: str
    secret_hash: str
    locale: str | None = None
    return_url: str | None = None
    visited_at: int | None = None
    cookie_hash: str | None = None
    # A deep link (`flow_data`): the one thing this session is for, and where it ends.
    flow: dict[str, Any] | None = None
