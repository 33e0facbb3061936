"""The seam machine's short profile, kept small for CI's 12 minutes (`bench/soaks.py` runs
it at twice the examples, `python bench/seams.py` the long profile)."""

from __future__ import annotations

import pytest
from hypothesis import HealthCheck, settings

from tests.property.seams import SeamMachine
from tests.soak import size

SeamMachine.TestCase.settings = settings(
    max_examples=size(5, 10),
    stateful_step_count=30,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much],
)
TestSeams = SeamMachine.TestCase
pytestmark = pytest.mark.slow


@pytest.mark.parametrize("taxes", [(), (1,)], ids=["untaxed", "sales_tax"])
def test_the_seam_machine_holds_a_credit_to_what_an_amount_only_credit_note_left_paid(
    taxes: tuple[int, ...],
) -> None:
    """The machine's own steps in the order a reviewer found a credit larger than what
    was paid ($20.00 a month, $16.00 of it given back by a credit note that names no
    line, then an immediate cancellation with --prorate --invoice-now halfway through the
    month): its check of credits must hold them to what stayed paid, also when an
    exclusive tax was added to the month and taken back in part by the note."""
    machine = SeamMachine()
    try:
        customer = machine.add_customer(None)
        sub = machine.subscribe(customer, "basic", 1, False, taxes)
        (first,) = machine.cli.every("invoices", "list", "--customer", customer)
        machine.cli.ok("credit-notes", "create", "--invoice", first["id"], "--amount", "1600")
        machine.tick(15 * 24)
        before = SeamMachine.checked.get("credits for unused time within what was paid", 0)
        machine.cancel_now(sub, True, True)
        after = SeamMachine.checked.get("credits for unused time within what was paid", 0)
        assert after == before + 1
        machine.ledger_is_consistent()
    finally:
        machine.teardown()
