"""Invoices end to end: every amount rule, every transition, every refusal."""

import pytest

from tests.conftest import ledger_digest


@pytest.fixture
def customer(ok):
    def make(balance=None, card="pm_card_visa", prefix=None, email="a@example.com"):
        args = ["customers", "create", "--currency", "usd", "--email", email]
        if balance is not None:
            args += ["--balance", str(balance)]
        if card:
            args += ["--payment-method", card]
        if prefix:
            args += ["--invoice-prefix", prefix]
        return ok(*args)["id"]

    return make


@pytest.fixture
def invoice(ok):
    """A draft holding one item per amount (finalized when asked)."""

    def make(customer_id, *amounts, finalize=False, **options):
        for amount in amounts:
            ok("invoices", "items", "create", "--customer", customer_id, "--amount", str(amount))
        args = ["invoices", "create", "--customer", customer_id, "--pending-items", "include"]
        for key, value in options.items():
            args += [f"--{key.replace('_', '-')}", str(value)]
        draft = ok(*args)
        return ok("invoices", "finalize", draft["id"]) if finalize else draft

    return make


def linked(ok, customer_id, invoice_id):
    return [
        (t["type"], t["amount"])
        for t in ok("balance", "list", customer_id)["data"]
        if t["invoice"] == invoice_id
    ]


def test_credit_smaller_than_the_total_lowers_the_amount_due(ok, customer, invoice, checked_ledger):
    cid = customer(balance=-500)
    inv = invoice(cid, 2000, finalize=True)
    assert (inv["status"], inv["amount_due"], inv["starting_balance"], inv["ending_balance"]) == (
        "open",
        1500,
        -500,
        0,
    )
    assert linked(ok, cid, inv["id"]) == [("applied_to_invoice", 500)]
    assert ok("customers", "show", cid)["balance"] == 0
    checked_ledger()


def test_credit_larger_than_the_total_pays_the_invoice_at_finalization(
    ok, customer, invoice, checked_ledger
):
    cid = customer(balance=-5000)
    inv = invoice(cid, 2000, finalize=True)
    assert (inv["status"], inv["amount_due"], inv["paid"]) == ("paid", 0, True)
    assert inv["status_transitions"]["paid_at"] is not None
    assert ok("customers", "show", cid)["balance"] == -3000
    assert [e["type"] for e in ok("events", "list", "--type", "invoice.paid")["data"]] == [
        "invoice.paid"
    ]
    checked_ledger()


def test_a_debit_balance_is_added_to_the_amount_due(ok, customer, invoice, checked_ledger):
    cid = customer(balance=300)
    inv = invoice(cid, 1000, finalize=True)
    assert inv["amount_due"] == 1300
    assert ok("customers", "show", cid)["balance"] == 0
    assert linked(ok, cid, inv["id"]) == [("applied_to_invoice", -300)]
    checked_ledger()


def test_the_minimum_charge_moves_30_cents_to_the_next_invoice(
    ok, customer, invoice, checked_ledger
):
    cid = customer()
    small = invoice(cid, 30, finalize=True)
    assert (small["status"], small["amount_due"]) == ("paid", 0)
    assert linked(ok, cid, small["id"]) == [("invoice_too_small", 30)]
    assert ok("customers", "show", cid)["balance"] == 30
    following = invoice(cid, 1000, finalize=True)
    assert following["amount_due"] == 1030
    checked_ledger()


def test_a_negative_total_is_credited_to_the_customer(ok, customer, invoice, checked_ledger):
    cid = customer()
    inv = invoice(cid, 500, -1200, finalize=True)
    assert (inv["total"], inv["amount_due"], inv["status"]) == (-700, 0, "paid")
    assert ok("customers", "show", cid)["balance"] == -700
    checked_ledger()


def test_void_gives_the_credit_back(ok, customer, invoice, checked_ledger):
    cid = customer(balance=-500)
    inv = invoice(cid, 2000, finalize=True)
    voided = ok("invoices", "void", inv["id"])
    assert voided["status"] == "void" and voided["status_transitions"]["voided_at"]
    assert linked(ok, cid, inv["id"]) == [
        ("unapplied_from_invoice", -500),
        ("applied_to_invoice", 500),
    ]
    assert ok("customers", "show", cid)["balance"] == -500
    checked_ledger()


def test_numbers_advance_per_customer_and_drafts_have_none(ok, customer, invoice):
    cid = customer(prefix="ACME")
    other = customer(prefix="BETA")
    draft = invoice(cid, 1000)
    assert draft["number"] is None and draft["hosted_invoice_url"] is None
    first = ok("invoices", "finalize", draft["id"])
    second = invoice(cid, 1000, finalize=True)
    elsewhere = invoice(other, 1000, finalize=True)
    assert (first["number"], second["number"], elsewhere["number"]) == (
        "ACME-0001",
        "ACME-0002",
        "BETA-0001",
    )
    assert ok("customers", "show", cid)["next_invoice_sequence"] == 3
    assert first["hosted_invoice_url"].startswith("http://127.0.0.1:4242/i/")
    assert first["invoice_pdf"] == first["hosted_invoice_url"] + "/pdf"


def test_pay_with_the_default_card_and_out_of_band(ok, customer, invoice, checked_ledger):
    cid = customer()
    inv = invoice(cid, 1000, finalize=True)
    paid = ok("invoices", "pay", inv["id"])
    assert (
        paid["status"],
        paid["amount_paid"],
        paid["amount_remaining"],
        paid["attempt_count"],
        paid["attempted"],
    ) == ("paid", 1000, 0, 1, True)
    types = [e["type"] for e in ok("events", "list", "--limit", "3")["data"]]
    assert types[:2] == ["invoice.paid", "invoice.payment_succeeded"]
    other = invoice(cid, 700, finalize=True)
    oob = ok("invoices", "pay", other["id"], "--paid-out-of-band")
    assert (oob["status"], oob["paid_out_of_band"], oob["amount_paid"]) == ("paid", True, 700)
    checked_ledger()


def test_a_declined_card_exits_4_records_the_attempt_and_leaves_it_open(
    ok, billcli, customer, invoice, checked_ledger
):
    cid = customer(card="pm_card_chargeCustomerFail")
    inv = invoice(cid, 1000, finalize=True)
    result = billcli("invoices", "pay", inv["id"], "--json")
    assert result.code == 4
    assert result.json["error"]["type"] == "card_error"
    assert result.json["error"]["decline_code"] == "generic_decline"
    after = ok("invoices", "show", inv["id"])
    assert (after["status"], after["attempt_count"], after["attempted"]) == ("open", 1, True)
    again = billcli(
        "invoices",
        "pay",
        inv["id"],
        "--payment-method",
        "pm_card_visa_chargeDeclinedInsufficientFunds",
        "--json",
    )
    assert again.code == 4 and again.json["error"]["decline_code"] == "insufficient_funds"
    assert ok("invoices", "show", inv["id"])["attempt_count"] == 1  # manual retries do not count
    assert ok("events", "list", "--type", "invoice.payment_failed")["data"]
    assert ok("invoices", "pay", inv["id"], "--payment-method", "pm_card_visa")["status"] == "paid"
    checked_ledger()


def test_send_writes_the_outbox_and_mark_uncollectible_then_pay(
    ok, customer, invoice, checked_ledger
):
    cid = customer()
    inv = invoice(cid, 2500, finalize=True, collection_method="send_invoice", days_until_due=14)
    assert inv["due_date"] == inv["created"] + 14 * 86400
    ok("invoices", "send", inv["id"])
    mail = ok("invoices", "outbox")["data"][0]
    assert mail["to"] == "a@example.com" and mail["url"] == inv["hosted_invoice_url"]
    assert inv["number"] in mail["subject"] and "$25.00" in mail["subject"]
    assert ok("invoices", "outbox", mail["id"]) == mail
    bad = ok("invoices", "mark-uncollectible", inv["id"])
    assert bad["status"] == "uncollectible" and bad["auto_advance"] is False
    assert ok("invoices", "pay", inv["id"])["status"] == "paid"
    checked_ledger()


def test_every_json_object_validates_against_its_schema(ok, customer, invoice, assert_valid):
    cid = customer(balance=-100)
    item = ok(
        "invoices",
        "items",
        "create",
        "--customer",
        cid,
        "--unit-amount",
        "250",
        "--quantity",
        "4",
        "--description",
        "Seats",
        "-m",
        "k=v",
    )
    assert item["amount"] == 1000 and item["invoice"] is None
    draft = ok("invoices", "create", "--customer", cid, "--pending-items", "include")
    final = ok("invoices", "finalize", draft["id"])
    lines = ok("invoices", "lines", final["id"])
    objects = [ok("invoices", "items", "show", item["id"]), draft, final, *lines["data"]]
    for obj in objects:
        assert_valid(obj)
    assert lines["url"] == f"/v1/invoices/{final['id']}/lines"
    assert final["lines"]["data"] == lines["data"]
    other = ok("invoices", "create", "--customer", cid)
    assert_valid(ok("invoices", "delete", other["id"]))
    spare = ok("invoices", "items", "create", "--customer", cid, "--amount", "5")
    assert_valid(ok("invoices", "items", "delete", spare["id"]))


def test_draft_auto_advance_finalizes_an_hour_after_creation(ok, customer):
    cid = customer()
    draft = ok("invoices", "create", "--customer", cid)
    assert draft["auto_advance"] is True
    assert draft["automatically_finalizes_at"] == draft["created"] + 3600
    manual = ok("invoices", "create", "--customer", cid, "--no-auto-advance")
    assert manual["automatically_finalizes_at"] is None
    assert draft["billing_reason"] == "manual"


def test_items_pending_lists_and_updates(ok, customer, invoice):
    cid = customer()
    item = ok("invoices", "items", "create", "--customer", cid, "--amount", "300")
    assert [i["id"] for i in ok("invoices", "items", "list", "--pending")["data"]] == [item["id"]]
    updated = ok(
        "invoices",
        "items",
        "update",
        item["id"],
        "--unit-amount",
        "150",
        "--quantity",
        "3",
        "--description",
        "Three",
    )
    assert (updated["amount"], updated["quantity"], updated["description"]) == (450, 3, "Three")
    draft = ok("invoices", "create", "--customer", cid, "--pending-items", "include")
    assert draft["total"] == 450
    assert ok("invoices", "items", "list", "--pending")["data"] == []
    ok("invoices", "delete", draft["id"])
    assert len(ok("invoices", "items", "list", "--pending")["data"]) == 1


def test_update_rules_for_drafts_and_finalized_invoices(ok, billcli, customer, invoice):
    cid = customer()
    draft = invoice(cid, 1000)
    changed = ok(
        "invoices",
        "update",
        draft["id"],
        "--collection-method",
        "send_invoice",
        "--days-until-due",
        "7",
        "--description",
        "Memo",
    )
    assert (changed["collection_method"], changed["description"]) == ("send_invoice", "Memo")
    opened = ok("invoices", "finalize", changed["id"])
    assert ok("invoices", "update", opened["id"], "-m", "po=42")["metadata"] == {"po": "42"}
    locked = billcli("invoices", "update", opened["id"], "--days-until-due", "9", "--json")
    assert locked.code == 1 and locked.json["error"]["code"] == "invoice_not_editable"


CUS = "cus_" + "0" * 24


@pytest.fixture
def states(ok, customer, invoice):
    """One invoice in each state, plus a usd customer and a deleted one."""
    cid = customer()
    gone = customer()
    ok("customers", "delete", gone)
    draft = invoice(cid, 1000)
    opened = invoice(cid, 1000, finalize=True)
    paid = invoice(cid, 1000, finalize=True)
    ok("invoices", "pay", paid["id"])
    return {
        "{cus}": cid,
        "{gone}": gone,
        "{draft}": draft["id"],
        "{open}": opened["id"],
        "{paid}": paid["id"],
    }


BAD = [
    (["invoices", "finalize", "{open}"], 1, "only finalize an invoice that is draft"),
    (["invoices", "pay", "{paid}"], 1, "is paid"),
    (["invoices", "void", "{draft}"], 1, "only void an invoice that is open or uncollectible"),
    (["invoices", "void", "{paid}"], 1, "is paid"),
    (["invoices", "mark-uncollectible", "{draft}"], 1, "is draft"),
    (["invoices", "delete", "{open}"], 1, "only delete an invoice that is draft"),
    (
        [
            "invoices",
            "items",
            "create",
            "--customer",
            "{cus}",
            "--amount",
            "5",
            "--invoice",
            "{open}",
        ],
        1,
        "only draft invoices accept items",
    ),
    (
        ["invoices", "create", "--customer", "{cus}", "--days-until-due", "5"],
        1,
        "Invalid days_until_due",
    ),
    (
        [
            "invoices",
            "items",
            "create",
            "--customer",
            "{cus}",
            "--amount",
            "5",
            "--currency",
            "eur",
        ],
        1,
        "keeps its balance in usd",
    ),
    (
        [
            "invoices",
            "items",
            "create",
            "--customer",
            "{cus}",
            "--unit-amount",
            "5",
            "--quantity",
            "-1",
        ],
        1,
        "Invalid quantity",
    ),
    (
        [
            "invoices",
            "items",
            "create",
            "--customer",
            "{cus}",
            "--amount",
            "5",
            "--unit-amount",
            "5",
        ],
        1,
        "not both",
    ),
    (["invoices", "create", "--customer", "{gone}"], 6, "No such customer"),
    (
        ["invoices", "create", "--customer", "{cus}", "--pending-items", "include_and_require"],
        1,
        "no pending invoice items",
    ),
    (
        ["invoices", "create", "--customer", "{cus}", "--pending-items", "sometimes"],
        1,
        "Invalid pending_invoice_items_behavior",
    ),
    (
        [
            "invoices",
            "create",
            "--customer",
            "{cus}",
            "--collection-method",
            "send_invoice",
            "--due-date",
            "2001-01-01",
        ],
        1,
        "Invalid due_date",
    ),
    (["invoices", "show", "in_" + "0" * 24], 6, "No such invoice"),
    (["invoices", "list", "--status", "late"], 1, "Invalid status"),
    (
        ["invoices", "pay", "{open}", "--payment-method", "pm_card_visa_chargeDeclined"],
        4,
        "declined",
    ),
    (["invoices", "pay", "{open}", "--payment-method", "pm_nonsense"], 6, "No such PaymentMethod"),
    (
        ["invoices", "pay", "{open}", "--payment-method", "pm_card_bogus"],
        6,
        "No such PaymentMethod",
    ),
    (["invoices", "pay", "{open}", "--payment-method", "pm-visa"], 1, "not a payment method id"),
    (["invoices", "items", "update", "ii_" + "0" * 24, "--amount", "5"], 6, "No such invoiceitem"),
]


@pytest.mark.parametrize(("args", "code", "fragment"), BAD, ids=[" ".join(b[0])[:50] for b in BAD])
def test_bad_invoice_input_is_refused_and_changes_nothing(
    billcli, states, ledger_path, args, code, fragment
):
    for placeholder, value in states.items():
        args = [a.replace(placeholder, value) for a in args]
    before = ledger_digest(ledger_path) if code != 4 else None
    result = billcli(*args)
    assert result.code == code, result.err
    assert fragment in result.err
    assert "Traceback" not in result.err
    if before is not None:
        assert ledger_digest(ledger_path) == before


def test_the_251st_item_is_refused(billcli, customer, invoice, ledger_path):
    from billcli.services.invoicing import items as invoice_items
    from billcli.services.invoicing.items import ItemInput
    from billcli.store.ledger import Ledger

    cid = customer()
    full = invoice(cid, 1)
    with Ledger(ledger_path) as ledger:
        for _ in range(249):
            invoice_items.create(ledger, ItemInput(cid, amount="1", invoice=full["id"]))
    before = ledger_digest(ledger_path)
    result = billcli(
        "invoices", "items", "create", "--customer", cid, "--amount", "5", "--invoice", full["id"]
    )
    assert result.code == 1 and "already has 250 items" in result.err
    assert ledger_digest(ledger_path) == before
    assert billcli("invoices", "lines", full["id"], "--all", "--json").out.count('"il_') == 250


def test_a_decline_on_pay_leaves_the_invoice_open_with_the_attempt_recorded(
    ok, billcli, states, checked_ledger
):
    result = billcli(
        "invoices", "pay", states["{open}"], "--payment-method", "pm_card_visa_chargeDeclined"
    )
    assert result.code == 4
    assert ok("invoices", "show", states["{open}"])["status"] == "open"
    checked_ledger()
