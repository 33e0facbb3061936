"""Fixtures of the CLI tests (and the subscription tests' clock, catalog and customers)."""

import pytest

from tests.discounts.conftest import invoice_of  # noqa: F401
from tests.subscriptions.conftest import at_start, catalog, customer  # noqa: F401


@pytest.fixture
def books(ok):
    """Two customers; Ada has a draft and an open invoice."""
    ada = ok(
        "customers",
        "create",
        "--name",
        "Ada Lovelace",
        "--email",
        "ada@example.com",
        "--payment-method",
        "pm_card_visa",
    )["id"]
    grace = ok("customers", "create", "--name", "Grace Hopper", "--email", "grace@example.com")[
        "id"
    ]
    ok("invoices", "items", "create", "--customer", ada, "--amount", "900")
    draft = ok("invoices", "create", "--customer", ada, "--pending-items", "include")["id"]
    ok("invoices", "items", "create", "--customer", ada, "--amount", "700")
    opened = ok("invoices", "create", "--customer", ada, "--pending-items", "include")["id"]
    ok("invoices", "finalize", opened)
    txn = ok("balance", "create", ada, "--amount", "-5")["id"]
    return {"ada": ada, "grace": grace, "draft": draft, "open": opened, "txn": txn}
