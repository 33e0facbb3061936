"""Fixtures of the report tests: the subscription tests' frozen clock and catalog."""

from tests.subscriptions.conftest import at_start, catalog, customer  # noqa: F401
