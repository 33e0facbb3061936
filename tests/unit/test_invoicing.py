import pytest

from billcli.core.invoicing import due_terms, invoice_number, settle
from billcli.errors import InvalidRequest


@pytest.mark.parametrize(
    ("total", "starting", "due", "ending", "applied"),
    [
        (2000, -500, 1500, 0, 500),  # credit smaller than the total
        (2000, -5000, 0, -3000, 2000),  # credit larger than the total
        (1000, 300, 1300, 0, -300),  # a debit carried into the invoice
        (-700, 0, 0, -700, -700),  # a negative total is credited
        (-700, 300, 0, -400, -700),
        (1000, 0, 1000, 0, 0),
    ],
)
def test_settle_applies_the_balance_as_facts_4_4_say(total, starting, due, ending, applied):
    s = settle(total, starting, "usd")
    assert (s.amount_due, s.ending_balance, s.applied, s.too_small, s.too_large) == (
        due,
        ending,
        applied,
        0,
        0,
    )


def test_an_amount_below_the_minimum_charge_moves_to_the_balance():
    s = settle(30, 0, "usd")
    assert (s.amount_due, s.too_small, s.ending_balance, s.paid_at_once) == (0, 30, 30, True)
    assert settle(49, 0, "jpy").too_small == 49
    assert settle(1, 0, "krw").too_small == 0  # zero-decimal without a minimum


def test_an_amount_above_the_maximum_charge_moves_to_the_balance():
    s = settle(100_000_000, 0, "usd")
    assert (s.amount_due, s.too_large, s.ending_balance) == (0, 100_000_000, 100_000_000)


def test_numbers_have_four_digits_and_grow_past_9999():
    assert invoice_number("ACME", 1) == "ACME-0001"
    assert invoice_number("ACME", 12345) == "ACME-12345"


def test_send_invoice_defaults_to_30_days_and_charge_automatically_has_no_due_date():
    assert due_terms("send_invoice", None, None, 1000) == (30, 1000 + 30 * 86400)
    assert due_terms("charge_automatically", None, None, 1000) == (None, None)
    with pytest.raises(InvalidRequest) as caught:
        due_terms("charge_automatically", 5, None, 1000)
    assert caught.value.param == "days_until_due"
