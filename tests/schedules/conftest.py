"""Fixtures of the schedule tests: the payment tests' frozen clock, a customer with a
card, and two monthly prices (20.00 and 50.00 usd)."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime
from typing import Any

import pytest

from tests.payments.conftest import (  # noqa: F401  (the fixtures)
    at_start,
    client,
    customer,
    monthly,
    refused,
)


@pytest.fixture
def premium(ok: Callable[..., Any], monthly: str) -> str:  # noqa: F811
    """A 50.00 usd monthly price of the same product."""
    made = ok("prices", "create", "--product", "pro", "--currency", "usd", "--unit-amount",
              "5000", "--recurring-interval", "month")  # fmt: skip
    return str(made["id"])


def months_after(start: int, months: int) -> int:
    """The same day and time `months` calendar months later (UTC)."""
    moment = datetime.fromtimestamp(start, UTC)
    index = moment.year * 12 + moment.month - 1 + months
    return int(moment.replace(year=index // 12, month=index % 12 + 1).timestamp())
