"""A URL is always printed whole, on one line, however narrow the terminal: the hosted
invoice page in `invoices show`, the pay link in an outbox email, a portal link. So is
an id, in every detail view (issue 27: an id is never cut)."""

from __future__ import annotations

import re

import pytest


@pytest.fixture
def sent(ok, at_start, invoice_of, customer) -> dict:
    """An open send_invoice invoice, emailed to its customer."""
    return invoice_of(customer(card=None), ("4200", "Compiler review"))


def _lines_with(text: str, url: str) -> list[str]:
    return [line for line in text.splitlines() if url in line]


@pytest.mark.parametrize("width", ["60", "80"])
def test_the_hosted_invoice_url_is_printed_whole_by_invoices_show(
    billcli, monkeypatch, sent, width
) -> None:
    monkeypatch.setenv("COLUMNS", width)
    done = billcli("invoices", "show", sent["id"])
    assert done.code == 0, done.err
    assert len(sent["hosted_invoice_url"]) > 60
    assert _lines_with(done.out, sent["hosted_invoice_url"]) == [
        f"Hosted page  {sent['hosted_invoice_url']}"
    ]
    assert "…" not in done.out.split("Hosted page")[1]


@pytest.mark.parametrize("width", ["60", "80"])
def test_the_pay_link_of_an_outbox_email_is_on_one_line(
    ok, billcli, monkeypatch, sent, width
) -> None:
    email = ok("invoices", "outbox", "--invoice", sent["id"])["data"][0]
    monkeypatch.setenv("COLUMNS", width)
    done = billcli("invoices", "outbox", email["id"])
    assert done.code == 0, done.err
    (line,) = _lines_with(done.out, sent["hosted_invoice_url"])
    assert line.rstrip().endswith(f"View and pay it online: {sent['hosted_invoice_url']}")


def test_a_portal_session_link_is_printed_whole(ok, billcli, monkeypatch, sent) -> None:
    ok("portal", "configurations", "create")
    monkeypatch.setenv("COLUMNS", "60")
    done = billcli("portal", "sessions", "create", "--customer", sent["customer"])
    assert done.code == 0, done.err
    (line,) = [line for line in done.out.splitlines() if "/p/session/" in line]
    url = line.split()[-1]
    assert line.split() == ["URL", url] and url.startswith("http://127.0.0.1:4242/p/session/")
    assert len(url) > 60


ID = re.compile(r"\b[a-z]+_[0-9A-Za-z]{24}\b")


@pytest.mark.parametrize("width", [50, 60, 80])
def test_every_id_a_detail_view_shows_is_printed_whole(
    ok, billcli, monkeypatch, at_start, catalog, customer, width
) -> None:
    """`subscriptions show`, `credit-notes show`, `invoices show` and `charges show`:
    every id the view shows on a wide terminal is on one line, unbroken, at any width
    (and the subscription's item, the credit note's line, the invoice's own id among
    them)."""
    cus = customer()
    sub = ok("subscriptions", "create", "--customer", cus, "--price", f"{catalog['seat']}:2")
    invoice = ok("invoices", "show", sub["latest_invoice"])
    line = invoice["lines"]["data"][0]["id"]
    note = ok("credit-notes", "create", "--invoice", invoice["id"], "--line", f"{line}:500",
              "--refund-amount", "500")  # fmt: skip
    views = {
        ("subscriptions", "show", sub["id"]): sub["items"]["data"][0]["id"],
        ("credit-notes", "show", note["id"]): note["lines"]["data"][0]["id"],
        ("invoices", "show", invoice["id"]): invoice["id"],
        ("charges", "show", invoice["charge"]): note["refund"],
    }
    for args, expected in views.items():
        monkeypatch.setenv("COLUMNS", "1000")
        wide = set(ID.findall(billcli(*args).out))
        assert expected in wide and args[2] in wide
        monkeypatch.setenv("COLUMNS", str(width))
        done = billcli(*args)
        assert done.code == 0, done.err
        assert set(ID.findall(done.out)) == wide, (args, done.out)
