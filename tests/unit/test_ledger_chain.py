from dataclasses import replace

from billcli.core.ledger import ChainCheck
from billcli.core.records import BalanceTransaction, Customer


def txn(n: int, amount: int, ending: int, currency: str = "usd", customer: str = "cus_a"):
    return BalanceTransaction(
        f"cbtxn_{n}", customer, 100 + n, amount, currency, ending, "adjustment"
    )


def run_check(customer, txns):
    check = ChainCheck()
    for t in txns:
        check.feed(t)
    check.finish(customer)
    return [str(p) for p in check.problems + check.orphans()]


def test_a_consistent_chain_has_no_problems():
    customer = Customer("cus_a", 1, currency="usd", balance=-200)
    assert run_check(customer, [txn(1, -500, -500), txn(2, 300, -200)]) == []


def test_every_broken_link_is_reported_at_once():
    customer = Customer("cus_a", 1, currency="usd", balance=999)
    problems = run_check(customer, [txn(1, -500, -400), txn(2, 300, -100, currency="eur")])
    assert any("cbtxn_1: ending_balance -400 should be -500" in p for p in problems)
    assert any("cbtxn_2: currency eur" in p for p in problems)
    assert any("cus_a: balance 999" in p for p in problems)


def test_transactions_without_a_customer_are_orphans():
    check = ChainCheck()
    check.feed(txn(1, -5, -5, customer="cus_ghost"))
    assert [p.object_id for p in check.orphans()] == ["cus_ghost"]


def test_a_customer_with_balance_but_no_transactions_is_flagged():
    customer = replace(Customer("cus_a", 1, currency="usd"), balance=10)
    assert run_check(customer, []) == [
        "cus_a: balance 10 differs from the newest ending_balance of its transactions (0)"
    ]
