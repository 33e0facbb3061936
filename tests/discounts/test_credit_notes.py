"""Credit notes: before payment they lower what is due; after it they move exactly
their total to the balance, the card or elsewhere; together never more than the
invoice; voiding one gives back what it took."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from pypdf import PdfReader

from tests.conftest import ledger_digest
from tests.discounts.conftest import percent_of


@pytest.fixture
def open_invoice(ok, at_start, customer, invoice_of):
    """An open send_invoice invoice of 3 seats at $10 and a $50 setup line."""
    return invoice_of(customer(), ("1000x3", "Seats"), ("5000", "Setup"))


@pytest.fixture
def paid_invoice(ok, at_start, customer, invoice_of):
    """A paid invoice (by card) of 3 seats at $10 and a $50 setup line."""
    invoice = invoice_of(customer(), ("1000x3", "Seats"), ("5000", "Setup"))
    return ok("invoices", "pay", invoice["id"])


def line(invoice, n):
    return invoice["lines"]["data"][n]["id"]


def test_before_payment_a_credit_note_lowers_what_is_due_and_settles_it_at_zero(
    ok, open_invoice, events, assert_valid, checked_ledger
) -> None:
    first = ok(
        "credit-notes",
        "create",
        "--invoice",
        open_invoice["id"],
        "--amount",
        "3000",
        "--reason",
        "order_change",
        "--memo",
        "Fewer seats",
    )
    assert_valid(first)
    assert (first["type"], first["status"], first["total"], first["amount"]) == (
        "pre_payment",
        "issued",
        3000,
        3000,
    )
    assert first["number"] == f"{open_invoice['number']}-CN-01"
    assert first["customer_balance_transaction"] is None and first["refund"] is None
    assert first["lines"]["data"][0]["type"] == "custom_line_item"
    invoice = ok("invoices", "show", open_invoice["id"])
    assert (invoice["status"], invoice["amount_due"], invoice["amount_remaining"]) == (
        "open",
        5000,
        5000,
    )
    assert invoice["pre_payment_credit_notes_amount"] == 3000
    (updated,) = events("invoice.updated")
    assert updated["data"]["previous_attributes"]["amount_due"] == 8000
    second = ok("credit-notes", "create", "--invoice", open_invoice["id"], "--amount", "5000")
    assert second["number"] == f"{open_invoice['number']}-CN-02"
    settled = ok("invoices", "show", open_invoice["id"])
    assert (settled["status"], settled["amount_due"], settled["amount_paid"]) == ("paid", 0, 0)
    assert settled["attempt_count"] == 0  # nothing was charged
    assert [e["data"]["object"]["id"] for e in events("invoice.paid")] == [open_invoice["id"]]
    assert [e["data"]["object"]["number"] for e in events("credit_note.created")] == [
        first["number"],
        second["number"],
    ]
    checked_ledger()


def test_after_payment_the_total_goes_to_balance_card_and_elsewhere_exactly(
    ok, paid_invoice, events, assert_valid, checked_ledger
) -> None:
    cn = ok(
        "credit-notes",
        "create",
        "--invoice",
        paid_invoice["id"],
        "--amount",
        "4000",
        "--credit-amount",
        "2500",
        "--refund-amount",
        "1000",
        "--out-of-band-amount",
        "500",
    )
    assert_valid(cn)
    assert (cn["type"], cn["total"], cn["out_of_band_amount"]) == ("post_payment", 4000, 500)
    assert cn["refund"].startswith("re_")
    txn = next(
        t
        for t in ok("balance", "list", paid_invoice["customer"])["data"]
        if t["id"] == cn["customer_balance_transaction"]
    )
    assert_valid(txn)
    assert (txn["type"], txn["amount"], txn["credit_note"], txn["invoice"]) == (
        "credit_note",
        -2500,
        cn["id"],
        paid_invoice["id"],
    )
    assert txn["ending_balance"] == -2500
    assert ok("customers", "show", paid_invoice["customer"])["balance"] == -2500
    invoice = ok("invoices", "show", paid_invoice["id"])
    assert (invoice["status"], invoice["amount_due"], invoice["amount_paid"]) == (
        "paid",
        8000,
        8000,
    )
    assert invoice["post_payment_credit_notes_amount"] == 4000
    default = ok("credit-notes", "create", "--invoice", paid_invoice["id"], "--amount", "1000")
    assert default["customer_balance_transaction"] is not None  # all to the balance
    assert ok("customers", "show", paid_invoice["customer"])["balance"] == -3500
    checked_ledger()


def test_lines_are_credited_by_quantity_or_amount_net_of_their_discount(
    ok, at_start, customer, invoice_of, checked_ledger
) -> None:
    ok("coupons", "create", "--id", "SEVEN", "--percent-off", "7", "--duration", "forever")
    ada = customer()
    ok("customers", "update", ada, "--coupon", "SEVEN")
    invoice = invoice_of(ada, ("1001x3", "Seats"), ("5000", "Setup"))
    seats, setup = invoice["lines"]["data"]
    seat_discount = percent_of(3003, "7")
    assert seats["discount_amounts"][0]["amount"] == seat_discount == 210
    shares = []
    for _ in range(3):
        cn = ok("credit-notes", "create", "--invoice", invoice["id"], "--line", f"{seats['id']}:x1")
        (cn_line,) = cn["lines"]["data"]
        assert (cn_line["quantity"], cn_line["unit_amount"], cn_line["amount"]) == (1, 1001, 1001)
        assert cn["discount_amount"] == cn_line["discount_amount"]
        assert cn["total"] == 1001 - cn["discount_amount"]
        shares.append(cn["discount_amount"])
    assert sum(shares) == seat_discount  # the whole line gives back its whole discount
    assert shares == [70, 70, 70]
    part = ok(
        "credit-notes", "create", "--invoice", invoice["id"], "--line", f"{setup['id']}:12.34"
    )
    assert (part["subtotal"], part["discount_amount"]) == (1234, 5000 * 7 // 100 * 1234 // 5000)
    checked_ledger()


def test_an_item_made_with_an_amount_is_one_unit_and_can_be_credited_by_quantity(
    ok, at_start, customer, invoice_of, assert_valid, checked_ledger
) -> None:
    """Stripe shows `--amount 5000` as quantity 1 at a unit amount of 50.00
    (`unit_amount_excluding_tax` "5000"), so `--line IL:x1` credits all of it."""
    invoice = invoice_of(customer(), ("5000", "Setup"))
    (setup,) = invoice["lines"]["data"]
    assert (setup["quantity"], setup["unit_amount_excluding_tax"]) == (1, "5000")
    item = ok("invoices", "items", "show", setup["invoice_item"])
    assert (item["quantity"], item["unit_amount"], item["unit_amount_decimal"]) == (1, 5000, "5000")
    cn = ok("credit-notes", "create", "--invoice", invoice["id"], "--line", f"{setup['id']}:x1")
    assert_valid(cn)
    (cn_line,) = cn["lines"]["data"]
    assert (cn_line["quantity"], cn_line["unit_amount"], cn_line["amount"]) == (1, 5000, 5000)
    assert ok("invoices", "show", invoice["id"])["status"] == "paid"  # nothing left to pay
    checked_ledger()


@pytest.mark.parametrize(
    ("args", "param"),
    [
        (("--amount", "8001"), "amount"),
        (("--amount", "0"), "amount"),
        (("--credit-amount", "100", "--amount", "100"), "credit_amount"),
        (("--refund-amount", "100", "--amount", "100"), "refund_amount"),
        (("--out-of-band-amount", "100", "--amount", "100"), "out_of_band_amount"),
        (("--line", "il_nope:100"), "lines[0]"),
        (("--line", "LINE0:x4"), "lines[0][quantity]"),
        (("--line", "LINE0:3001"), "lines[0][amount]"),
        (("--line", "LINE1:x1"), "lines[0][quantity]"),  # no single unit price? it has one
        (("--line", "LINE0:x0"), "lines[0][quantity]"),
        (("--line", "garbage"), "lines[0]"),
        (("--line", "LINE0:1000", "--amount", "999"), "amount"),
        (("--amount", "100", "--reason", "bored"), "reason"),
        (("--amount", "100", "--memo", "m" * 5001), "memo"),
        ((), "amount"),
    ],
)
def test_bad_credit_notes_on_an_open_invoice_are_refused_and_write_nothing(
    billcli, open_invoice, ledger_path: Path, args, param
) -> None:
    if args == ("--line", "LINE1:x1"):
        args, param = ("--line", "LINE1:x2"), "lines[0][quantity]"  # setup has quantity 1
    named = [
        a.replace("LINE0", line(open_invoice, 0)).replace("LINE1", line(open_invoice, 1))
        for a in args
    ]
    before = ledger_digest(ledger_path)
    for command in ("create", "preview"):
        done = billcli("credit-notes", command, "--invoice", open_invoice["id"], *named, "--json")
        assert done.code == 1, (command, done.err)
        assert done.json["error"]["param"] == param, done.json
        assert len(done.err.strip().splitlines()) == 1
    assert ledger_digest(ledger_path) == before


def test_credit_notes_are_refused_on_drafts_and_void_invoices_and_unknown_ids_are_6(
    ok, billcli, at_start, customer, invoice_of, ledger_path: Path
) -> None:
    ada = customer()
    draft = invoice_of(ada, ("1000", "Draft"), finalize=False)
    voided = invoice_of(ada, ("1000", "Void"))
    ok("invoices", "void", voided["id"])
    before = ledger_digest(ledger_path)
    for invoice in (draft, voided):
        done = billcli(
            "credit-notes", "create", "--invoice", invoice["id"], "--amount", "100", "--json"
        )
        assert (done.code, done.json["error"]["param"]) == (1, "invoice")
    assert billcli("credit-notes", "create", "--invoice", "in_missing", "--amount", "1").code == 6
    for command in ("show", "void", "lines"):
        assert billcli("credit-notes", command, "cn_missing").code == 6
    assert ledger_digest(ledger_path) == before


def test_after_payment_amounts_must_add_up_and_refunds_stay_within_the_card_payment(
    ok, billcli, at_start, customer, invoice_of, ledger_path: Path, checked_ledger
) -> None:
    ada = customer()
    ok("customers", "update", ada, "--balance", "-3000", "--currency", "usd")
    invoice = invoice_of(ada, ("8000", "Work"), send=False)
    invoice = ok("invoices", "pay", invoice["id"])
    assert (invoice["total"], invoice["amount_paid"]) == (8000, 5000)  # $30 came from credit
    before = ledger_digest(ledger_path)
    cases = [
        (("--amount", "1000", "--credit-amount", "500"), "credit_amount"),
        (("--amount", "1000", "--refund-amount", "600", "--credit-amount", "600"), "credit_amount"),
        (("--amount", "1000", "--refund-amount", "-1000"), "refund_amount"),
        (("--amount", "6000", "--refund-amount", "6000"), "refund_amount"),
    ]
    for args, param in cases:
        done = billcli("credit-notes", "create", "--invoice", invoice["id"], *args, "--json")
        assert (done.code, done.json["error"]["param"]) == (1, param), (args, done.json)
    assert ledger_digest(ledger_path) == before
    ok(
        "credit-notes",
        "create",
        "--invoice",
        invoice["id"],
        "--amount",
        "6000",
        "--refund-amount",
        "5000",
        "--credit-amount",
        "1000",
    )
    over = billcli(
        "credit-notes",
        "create",
        "--invoice",
        invoice["id"],
        "--amount",
        "100",
        "--refund-amount",
        "100",
        "--json",
    )
    assert (over.code, over.json["error"]["param"]) == (1, "refund_amount")
    beyond = billcli(
        "credit-notes", "create", "--invoice", invoice["id"], "--amount", "2001", "--json"
    )
    assert (beyond.code, beyond.json["error"]["param"]) == (1, "amount")
    assert "$20.00" in beyond.json["error"]["message"]
    checked_ledger()


def test_voiding_gives_back_what_it_took_and_only_before_payment(
    ok, billcli, open_invoice, paid_invoice, events, checked_ledger
) -> None:
    cn = ok("credit-notes", "create", "--invoice", open_invoice["id"], "--amount", "2000")
    voided = ok("credit-notes", "void", cn["id"])
    assert (voided["status"], voided["voided_at"] is not None) == ("void", True)
    invoice = ok("invoices", "show", open_invoice["id"])
    assert (invoice["amount_due"], invoice["pre_payment_credit_notes_amount"]) == (8000, 0)
    assert [e["data"]["object"]["id"] for e in events("credit_note.voided")] == [cn["id"]]
    again = billcli("credit-notes", "void", cn["id"], "--json")
    assert (again.code, again.json["error"]["param"]) == (1, "id")
    whole = ok("credit-notes", "create", "--invoice", open_invoice["id"], "--amount", "8000")
    assert whole["number"].endswith("-CN-02")
    assert ok("invoices", "show", open_invoice["id"])["status"] == "paid"
    paid_note = ok("credit-notes", "create", "--invoice", paid_invoice["id"], "--amount", "100")
    for note in (whole, paid_note):
        refused = billcli("credit-notes", "void", note["id"], "--json")
        assert (refused.code, refused.json["error"]["param"]) == (1, "id")
    checked_ledger()


def test_a_preview_writes_nothing_and_agrees_with_the_credit_note_made(
    ok, open_invoice, ledger_path: Path
) -> None:
    args = (
        "--invoice",
        open_invoice["id"],
        "--line",
        f"{line(open_invoice, 0)}:x2",
        "--reason",
        "duplicate",
    )
    before = ledger_digest(ledger_path)
    preview = ok("credit-notes", "preview", *args)
    assert ledger_digest(ledger_path) == before
    made = ok("credit-notes", "create", *args)
    same = ("number", "subtotal", "total", "discount_amount", "reason", "type", "status")
    assert {k: preview[k] for k in same} == {k: made[k] for k in same}
    assert [(x["amount"], x["quantity"]) for x in preview["lines"]["data"]] == [(2000, 2)]


def test_memo_and_metadata_change_and_lists_filter(
    ok, open_invoice, paid_invoice, events, checked_ledger
) -> None:
    cn = ok("credit-notes", "create", "--invoice", open_invoice["id"], "--amount", "100")
    other = ok("credit-notes", "create", "--invoice", paid_invoice["id"], "--amount", "100")
    changed = ok("credit-notes", "update", cn["id"], "--memo", "Typo fixed", "-m", "ticket=42")
    assert (changed["memo"], changed["metadata"]) == ("Typo fixed", {"ticket": "42"})
    (updated,) = events("credit_note.updated")
    assert updated["data"]["previous_attributes"] == {"memo": None, "metadata": {}}
    assert [n["id"] for n in ok("credit-notes", "list")["data"]] == [other["id"], cn["id"]]
    by_invoice = ok("credit-notes", "list", "--invoice", open_invoice["id"])["data"]
    assert [n["id"] for n in by_invoice] == [cn["id"]]
    by_customer = ok("credit-notes", "list", "--customer", paid_invoice["customer"])["data"]
    assert [n["id"] for n in by_customer] == [other["id"]]
    listed = ok("credit-notes", "lines", cn["id"])
    assert [x["amount"] for x in listed["data"]] == [100] and listed["url"].endswith("/lines")
    checked_ledger()


def test_an_idempotent_retry_issues_one_credit_note(ok, billcli, paid_invoice) -> None:
    args = (
        "credit-notes",
        "create",
        "--invoice",
        paid_invoice["id"],
        "--amount",
        "500",
        "--idempotency-key",
        "refund-ticket-7",
    )
    first, second = ok(*args), ok(*args)
    assert first == second
    assert len(ok("credit-notes", "list")["data"]) == 1
    other = billcli(*args[:-2], "--amount", "600", "--idempotency-key", "refund-ticket-7", "--json")
    assert other.code == 5 and other.json["error"]["type"] == "idempotency_error"


def test_the_hosted_page_and_both_pdfs_show_the_credit_notes(
    ok, billcli, open_invoice, tmp_path: Path, ledger_path
) -> None:
    from starlette.testclient import TestClient

    from billcli.web.app import create_app

    cn = ok(
        "credit-notes",
        "create",
        "--invoice",
        open_invoice["id"],
        "--line",
        f"{line(open_invoice, 0)}:x1",
        "--reason",
        "product_unsatisfactory",
        "--memo",
        "Broken",
    )
    target = tmp_path / "cn.pdf"
    done = billcli("credit-notes", "pdf", cn["id"], "-o", str(target))
    assert done.code == 0, done.err
    text = PdfReader(target).pages[0].extract_text()
    for expected in (
        f"Credit note {cn['number']}",
        open_invoice["number"],
        "Seats",
        "$10.00",
        "product unsatisfactory",
        "Broken",
        "Taken off the invoice",
    ):
        assert expected in text, expected
    client = TestClient(
        create_app(ledger_path, bound={"127.0.0.1:4242"}), base_url="http://127.0.0.1:4242"
    )
    page = client.get(open_invoice["hosted_invoice_url"].removeprefix("http://127.0.0.1:4242"))
    assert cn["number"] in page.text and "-$10.00" in page.text
    served = client.get(cn["pdf"].removeprefix("http://127.0.0.1:4242"))
    assert served.headers["content-type"] == "application/pdf"
    assert cn["number"] in PdfReader(io.BytesIO(served.content)).pages[0].extract_text()
    invoice_pdf = client.get(open_invoice["invoice_pdf"].removeprefix("http://127.0.0.1:4242"))
    invoice_text = PdfReader(io.BytesIO(invoice_pdf.content)).pages[0].extract_text()
    assert f"Credit note {cn['number']} (issued)" in invoice_text
    assert "Credit notes" in invoice_text  # the totals count it
    forged = client.get(
        cn["pdf"]
        .removeprefix("http://127.0.0.1:4242")
        .replace(open_invoice["hosted_invoice_url"].rsplit("/", 1)[1], "x" * 43)
    )
    assert forged.status_code == 404
