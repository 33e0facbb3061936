"""`billcli balance`: the seed's customer balance transaction endpoints."""

from tests.conftest import ledger_digest

SEED_TRANSACTION = {
    "object": "customer_balance_transaction",
    "amount": -500,
    "credit_note": None,
    "currency": "usd",
    "description": None,
    "ending_balance": -500,
    "invoice": None,
    "livemode": False,
    "metadata": {},
    "type": "adjustment",
}


def test_the_seed_example_is_reproduced_field_for_field(ok, assert_valid, checked_ledger):
    cid = ok("customers", "create")["id"]
    txn = ok("balance", "create", cid, "--amount", "-500", "--currency", "usd")
    assert_valid(txn)
    assert {
        k: v for k, v in txn.items() if k not in ("id", "created", "customer")
    } == SEED_TRANSACTION
    assert txn["customer"] == cid and txn["id"].startswith("cbtxn_")
    listed = ok("balance", "list", cid)
    assert listed == {
        "object": "list",
        "url": f"/v1/customers/{cid}/balance_transactions",
        "has_more": False,
        "data": [txn],
    }
    assert ok("balance", "show", cid, txn["id"]) == txn
    assert ok("customers", "show", cid)["balance"] == -500
    checked_ledger()


def test_first_transaction_sets_the_customer_currency(ok):
    cid = ok("customers", "create")["id"]
    ok("balance", "create", cid, "--amount", "300", "--currency", "jpy")
    assert ok("customers", "show", cid)["currency"] == "jpy"


def test_update_changes_only_description_and_metadata(ok, billcli, checked_ledger):
    cid = ok("customers", "create")["id"]
    txn = ok("balance", "create", cid, "--amount", "-500", "-m", "a=1")
    updated = ok("balance", "update", cid, txn["id"], "--description", "Refund", "-m", "b=2")
    assert updated == {**txn, "description": "Refund", "metadata": {"a": "1", "b": "2"}}
    usage = billcli("balance", "update", cid, txn["id"], "--amount", "5")
    assert usage.code == 2 and "--amount" in usage.err
    checked_ledger()


def test_another_customers_transaction_is_missing(ok, billcli, ledger_path):
    a = ok("customers", "create")["id"]
    b = ok("customers", "create")["id"]
    txn = ok("balance", "create", a, "--amount", "-5")
    before = ledger_digest(ledger_path)
    for args in (
        ("balance", "show", b, txn["id"]),
        ("balance", "update", b, txn["id"], "--description", "x"),
    ):
        result = billcli(*args)
        assert result.code == 6 and "No such customer balance transaction" in result.err
    assert ledger_digest(ledger_path) == before


def test_list_table_shows_amounts_in_the_currency(ok, billcli):
    cid = ok("customers", "create", "--currency", "eur")["id"]
    ok("balance", "create", cid, "--amount", "-12.30", "--description", "Goodwill")
    table = billcli("balance", "list", cid)
    assert "-€12.30" in table.out and "Goodwill" in table.out and "adjustment" in table.out
