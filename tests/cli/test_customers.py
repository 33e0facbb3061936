"""`billcli customers` end to end: objects, paging, updates, deletion, payment methods."""

import pytest
from freezegun import freeze_time


def test_create_prints_a_customer_that_validates_with_every_property(
    ok, assert_valid, checked_ledger
):
    customer = ok("customers", "create", "--name", "Ada", "--email", "ada@example.com")
    assert_valid(customer)
    assert customer["id"].startswith("cus_") and len(customer["id"]) == 28
    assert customer["name"] == "Ada" and customer["balance"] == 0
    assert customer["livemode"] is False
    assert customer["next_invoice_sequence"] == 1
    assert len(customer["invoice_prefix"]) == 8
    checked_ledger()


def test_initial_balance_writes_an_initial_transaction(ok, checked_ledger):
    customer = ok("customers", "create", "--balance", "-5.00", "--currency", "eur")
    assert customer["balance"] == -500 and customer["currency"] == "eur"
    txns = ok("balance", "list", customer["id"])["data"]
    assert [(t["type"], t["amount"], t["ending_balance"]) for t in txns] == [
        ("initial", -500, -500)
    ]
    checked_ledger()


def test_balance_without_currency_takes_the_ledger_default(ok, billcli):
    assert billcli("ledger", "config", "default_currency", "gbp").code == 0
    customer = ok("customers", "create", "--balance", "250")
    assert (customer["currency"], customer["balance"]) == ("gbp", 250)


def test_update_balance_records_an_adjustment_for_the_difference(ok, checked_ledger):
    cid = ok("customers", "create", "--balance", "-500")["id"]
    updated = ok("customers", "update", cid, "--balance", "-200")
    assert updated["balance"] == -200
    txns = ok("balance", "list", cid)["data"]
    assert [(t["type"], t["amount"]) for t in txns] == [("adjustment", 300), ("initial", -500)]
    checked_ledger()


def test_update_changes_fields_merges_metadata_and_clears_with_empty(ok):
    cid = ok("customers", "create", "--name", "A", "--phone", "123", "-m", "a=1", "-m", "b=2")["id"]
    updated = ok("customers", "update", cid, "--name", "B", "--phone", "", "-m", "a=", "-m", "c=3")
    assert updated["name"] == "B" and updated["phone"] is None
    assert updated["metadata"] == {"b": "2", "c": "3"}


def test_payment_method_becomes_the_default_for_invoices(ok):
    customer = ok("customers", "create", "--payment-method", "pm_card_visa")
    assert customer["invoice_settings"]["default_payment_method"].startswith("pm_")


def test_chargecustomerfail_attaches_because_it_only_declines_charges(ok):
    customer = ok("customers", "create", "--payment-method", "pm_card_chargeCustomerFail")
    assert customer["invoice_settings"]["default_payment_method"]


def test_a_decline_card_cannot_be_attached_exit_4_nothing_written(billcli, ledger_path):
    from tests.conftest import ledger_digest

    billcli("ledger", "init")
    before = ledger_digest(ledger_path)
    result = billcli(
        "customers", "create", "--payment-method", "pm_card_visa_chargeDeclined", "--json"
    )
    assert result.code == 4
    assert result.json["error"]["type"] == "card_error"
    assert result.json["error"]["decline_code"] == "generic_decline"
    assert ledger_digest(ledger_path) == before


def test_invoice_prefix_is_kept_and_must_be_unique(ok, billcli):
    assert ok("customers", "create", "--invoice-prefix", "ACME")["invoice_prefix"] == "ACME"
    result = billcli("customers", "create", "--invoice-prefix", "ACME")
    assert result.code == 1 and "already used" in result.err


def test_deleted_customer_shows_the_stub_and_leaves_lists(
    ok, billcli, assert_valid, checked_ledger
):
    cid = ok("customers", "create", "--name", "Gone", "--balance", "-100")["id"]
    deleted = ok("customers", "delete", cid)
    assert deleted == {"id": cid, "object": "customer", "deleted": True}
    assert_valid(deleted)
    assert ok("customers", "show", cid) == deleted
    assert ok("customers", "list")["data"] == []
    for args in (
        ("customers", "update", cid, "--name", "x"),
        ("customers", "delete", cid),
        ("balance", "create", cid, "--amount", "5"),
    ):
        result = billcli(*args)
        assert result.code == 6, args
        assert "No such customer" in result.err
    checked_ledger()


def test_list_filters_by_exact_email(ok):
    ok("customers", "create", "--email", "a@example.com")
    ok("customers", "create", "--email", "b@example.com")
    found = ok("customers", "list", "--email", "b@example.com")["data"]
    assert [c["email"] for c in found] == ["b@example.com"]


def test_25_customers_page_both_ways_as_stripe_does(ok, billcli):
    made = []
    for i in range(25):
        with freeze_time(f"2026-05-01 10:00:{i:02d}"):
            made.append(ok("customers", "create", "--name", f"c{i}")["id"])
    newest = made[::-1]
    first = ok("customers", "list", "--limit", "2")
    assert first["url"] == "/v1/customers" and first["object"] == "list"
    assert [c["id"] for c in first["data"]] == newest[:2] and first["has_more"] is True
    second = ok("customers", "list", "--limit", "2", "--starting-after", newest[1])
    assert [c["id"] for c in second["data"]] == newest[2:4] and second["has_more"]
    back = ok("customers", "list", "--limit", "2", "--ending-before", newest[2])
    assert [c["id"] for c in back["data"]] == newest[:2] and back["has_more"] is False
    last = ok("customers", "list", "--limit", "2", "--starting-after", newest[23])
    assert [c["id"] for c in last["data"]] == newest[24:] and last["has_more"] is False
    walked = ok("customers", "list", "--all")
    assert [c["id"] for c in walked["data"]] == newest and walked["has_more"] is False
    csv = billcli("customers", "list", "--all", "--csv")
    lines = csv.out.strip().splitlines()
    assert lines[0].startswith("id,created,name") and len(lines) == 26


def test_table_output_shows_balance_in_words(billcli, ok):
    cid = ok("customers", "create", "--name", "Ada", "--balance", "-500")["id"]
    shown = billcli("customers", "show", cid)
    assert shown.code == 0
    assert "credit of $5.00" in shown.out and "Ada" in shown.out
    owes = ok("customers", "create", "--balance", "300", "--currency", "jpy")["id"]
    assert "owes ¥300" in billcli("customers", "show", owes).out


def test_events_record_created_updated_and_deleted(ok):
    cid = ok("customers", "create", "--name", "E")["id"]
    ok("customers", "update", cid, "--name", "F")
    ok("customers", "delete", cid)
    events = ok("events", "list")["data"]
    assert [e["type"] for e in events] == [
        "customer.deleted",
        "customer.updated",
        "customer.created",
    ]
    updated = ok("events", "show", events[1]["id"])
    assert updated["data"]["object"]["name"] == "F"
    assert updated["data"]["previous_attributes"] == {"name": "E"}
    assert (
        ok("events", "list", "--type", "customer.created")["data"][0]["data"]["object"]["id"] == cid
    )


@pytest.mark.parametrize("shown", ["table", "json"])
def test_an_update_that_changes_nothing_records_no_event(ok, billcli, shown):
    cid = ok("customers", "create", "--name", "Same")["id"]
    args = ["customers", "update", cid, "--name", "Same"] + (["--json"] if shown == "json" else [])
    assert billcli(*args).code == 0
    assert len(ok("events", "list")["data"]) == 1
