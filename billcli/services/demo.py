"""The demo story: a newcomer sees the main job working in one command."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from billcli.core.pagination import PageRequest
from billcli.errors import InvalidRequest
from billcli.services import balance, customers
from billcli.services import ledger as ledger_service
from billcli.services.balance import AdjustmentInput
from billcli.services.customers import CustomerInput
from billcli.store.ledger import Ledger


@dataclass
class Step:
    """One scene of the story: what happened, and the objects it produced."""

    title: str
    objects: list[dict[str, Any]] = field(default_factory=list)


def is_empty(ledger: Ledger) -> bool:
    counts = ledger_service.info(ledger)["counts"]
    return not any(counts.values())


def run(ledger: Ledger, *, force: bool = False) -> list[Step]:
    """Write the story into `ledger`; a non-empty ledger needs `force`."""
    if not force and not is_empty(ledger):
        raise InvalidRequest(
            f"Invalid ledger: {ledger.path} already holds data; pass --force to add the demo "
            "story to it",
            param="ledger",
        )
    ada = customers.create(
        ledger,
        CustomerInput(
            name="Ada Lovelace",
            email="ada@example.com",
            currency="usd",
            payment_method="pm_card_visa",
            metadata=("plan=analytical",),
        ),
    )
    grace = customers.create(
        ledger,
        CustomerInput(
            name="Grace Hopper",
            email="grace@example.com",
            currency="eur",
            balance="-15.00",
            invoice_prefix="COBOL",
        ),
    )
    yuki = customers.create(
        ledger,
        CustomerInput(
            name="Yukihiro Matsumoto",
            email="matz@example.com",
            currency="jpy",
            payment_method="pm_card_chargeCustomerFail",
        ),
    )
    steps = [
        Step(
            "Three customers: usd with a Visa card, eur with €15 of credit, jpy "
            "with a card that declines",
            [ada, grace, yuki],
        )
    ]
    credit = balance.create(
        ledger, AdjustmentInput(ada["id"], "-500", description="Goodwill credit for the outage")
    )
    debit = balance.create(
        ledger,
        AdjustmentInput(yuki["id"], "300", description="Setup fee carried to the next invoice"),
    )
    steps.append(
        Step("A credit of $5.00 for Ada and a debit of ¥300 for Yukihiro", [credit, debit])
    )
    page = balance.list_transactions(ledger, ada["id"], PageRequest())
    steps.append(Step("Ada's balance transactions, newest first", page.data))
    steps.append(
        Step("Customers now", [customers.show(ledger, c["id"]) for c in (ada, grace, yuki)])
    )
    problems = ledger_service.check(ledger)
    steps.append(
        Step("ledger check: " + ("consistent" if not problems else f"{len(problems)} problem(s)"))
    )
    return steps
