"""Edits made behind billcli's back are found by `ledger check`, naming the violation."""

import sqlite3

from tests.reliability.figures import publish


def tamper(path, *statements):
    conn = sqlite3.connect(path)
    for statement in statements:
        conn.execute(statement)
    conn.commit()
    conn.close()


def test_an_edited_balance_transaction_is_named(ok, billcli, ledger_path):
    cid = ok("customers", "create", "--balance", "-500")["id"]
    tamper(
        ledger_path,
        "DROP TRIGGER balance_transactions_immutable",
        "UPDATE balance_transactions SET amount = -50000",
    )
    result = billcli("ledger", "check", "--json")
    assert result.code == 1
    messages = [(p["object"], p["message"]) for p in result.json["problems"]]
    assert any("ending_balance -500 should be -50000" in m for _, m in messages)
    assert any(obj == cid for obj, _ in messages) or messages
    publish("tamper-balance", exit=1, problems=len(messages))


def test_an_edited_invoice_total_is_named(ok, billcli, ledger_path):
    cid = ok("customers", "create", "--currency", "usd")["id"]
    ok("invoices", "items", "create", "--customer", cid, "--amount", "1200")
    inv = ok("invoices", "create", "--customer", cid, "--pending-items", "include")["id"]
    ok("invoices", "finalize", inv)
    tamper(ledger_path, f"UPDATE invoices SET subtotal = 100, total = 100 WHERE id = '{inv}'")
    result = billcli("ledger", "check", "--json")
    assert result.code == 1
    problems = [p for p in result.json["problems"] if p["object"] == inv]
    assert any(
        "subtotal 100 differs from the sum of its lines less their own discounts (1200)"
        in p["message"]
        for p in problems
    )
    publish("tamper-invoice", exit=1, problems=len(problems))


def test_damage_inside_pages_is_reported_by_the_integrity_check(ok, billcli, ledger_path):
    ok("customers", "create", "--name", "x")
    tamper(
        ledger_path,
        "PRAGMA writable_schema = ON",
        "UPDATE sqlite_master SET sql = sql WHERE name = 'customers'",
    )
    assert billcli("ledger", "check").code == 0


def test_a_row_referring_to_a_missing_customer_is_named(ok, billcli, ledger_path):
    ok("customers", "create", "--balance", "-500")
    tamper(
        ledger_path,
        "INSERT INTO balance_transactions (id, customer, created, amount, currency, "
        "ending_balance, type) VALUES ('cbtxn_X', 'cus_gone', 0, -5, 'usd', -5, 'adjustment')",
    )
    result = billcli("ledger", "check", "--json")
    assert result.code == 1
    messages = [p["message"] for p in result.json["problems"]]
    assert any("balance_transactions row" in m and "missing customers row" in m for m in messages)


def test_an_edited_subscription_period_and_status_are_named(ok, billcli, ledger_path):
    ok("products", "create", "--name", "Plan", "--id", "plan")
    price = ok(
        "prices",
        "create",
        "--product",
        "plan",
        "--currency",
        "usd",
        "--unit-amount",
        "900",
        "--recurring-interval",
        "month",
    )["id"]
    cid = ok("customers", "create", "--payment-method", "pm_card_visa")["id"]
    sub = ok("subscriptions", "create", "--customer", cid, "--price", price)["id"]
    assert billcli("ledger", "check").code == 0
    tamper(
        ledger_path,
        f"UPDATE subscriptions SET current_period_end = current_period_end + 86400, "
        f"status = 'incomplete_expired' WHERE id = '{sub}'",
    )
    result = billcli("ledger", "check", "--json")
    assert result.code == 1
    messages = [p["message"] for p in result.json["problems"] if p["object"] == sub]
    assert any("next_action_at" in m for m in messages), messages
    assert any("it expired, but its first invoice was paid" in m for m in messages), messages
    publish("tamper-subscription", exit=1, problems=len(messages))


def test_a_second_renewal_of_one_period_is_named(ok, billcli, ledger_path):
    ok("products", "create", "--name", "Plan", "--id", "plan")
    price = ok(
        "prices",
        "create",
        "--product",
        "plan",
        "--currency",
        "usd",
        "--unit-amount",
        "900",
        "--recurring-interval",
        "week",
    )["id"]
    cid = ok("customers", "create", "--payment-method", "pm_card_visa")["id"]
    ok("subscriptions", "create", "--customer", cid, "--price", price)
    ok("invoices", "tick", "--by", "8d")
    renewal = ok("invoices", "list", "--customer", cid)["data"][0]
    tamper(
        ledger_path,
        "INSERT INTO invoices (id, customer, created, currency, collection_method, status, "
        "auto_advance, subtotal, total, amount_due, amount_paid, attempt_count, attempted, "
        "paid_out_of_band, billing_reason, subscription, period_start, period_end, finalizes_at, "
        "webhooks_delivered_at) SELECT 'in_copy', customer, created + 1, currency, "
        "collection_method, 'draft', 0, 0, 0, 0, 0, 0, 0, 0, billing_reason, subscription, "
        "period_start, period_end, created + 3601, created + 1 FROM invoices "
        f"WHERE id = '{renewal['id']}'",
    )
    result = billcli("ledger", "check", "--json")
    messages = [p["message"] for p in result.json["problems"]]
    assert result.code == 1
    assert any("renews a period already renewed" in m for m in messages), messages


def test_edited_refunds_charges_and_attempts_are_named(ok, billcli, ledger_path):
    """Money moved behind billcli's back: a refund grown past its charge (its trigger
    dropped), a charge's refunded amount out of step, an attempt stripped of its charge."""
    cid = ok("customers", "create", "--payment-method", "pm_card_visa")["id"]
    ok("invoices", "items", "create", "--customer", cid, "--amount", "3000")
    inv = ok("invoices", "create", "--customer", cid, "--pending-items", "include")["id"]
    ok("invoices", "finalize", inv)
    charge = ok("invoices", "pay", inv)["charge"]
    refund = ok("refunds", "create", "--charge", charge, "--amount", "1000")["id"]
    tamper(
        ledger_path,
        f"UPDATE refunds SET amount = 5000 WHERE id = '{refund}'",
        f"UPDATE payment_attempts SET charge = NULL WHERE invoice = '{inv}'",
    )
    result = billcli("ledger", "check", "--json")
    assert result.code == 1
    messages = {p["object"]: p["message"] for p in result.json["problems"]}
    assert messages[charge] in (
        "its refunds total 5000, but amount_refunded is 1000",
        "refunds of 5000 exceed what it captured (3000)",
    )
    assert any("has no charge" in m for o, m in messages.items() if o.startswith(inv))
    publish("tamper-refund", exit=1, problems=len(messages))
