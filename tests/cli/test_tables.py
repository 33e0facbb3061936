"""Every list command at 60, 80, 120 and 200 columns (golden files), and the one rule
they follow: ids, names, statuses and amounts are never hidden, free text is shortened
before a column goes, and a footer names what was hidden.

`BILLCLI_UPDATE_GOLDEN=1` rewrites the golden files; read the difference before
committing it.
"""

from __future__ import annotations

import json
import sqlite3
from contextlib import closing
from pathlib import Path
from typing import Any

import pytest

from billcli.render.columns import KEEP
from billcli.render.views import COLUMNS
from tests.golden import assert_golden, normalized

GOLDEN = Path(__file__).with_name("golden")
WIDTHS = (60, 80, 120, 200)


def _customer(ok, name: str, email: str, prefix: str, *more: str) -> str:
    created = ok("customers", "create", "--name", name, "--email", email, "--invoice-prefix",
                 prefix, *more)  # fmt: skip
    return str(created["id"])


# The books, made once per test process (some fifty commands) and copied for each test.
_MADE: dict[str, Any] = {}


@pytest.fixture
def books(request: pytest.FixtureRequest, ledger_path: Path) -> dict[str, Any]:
    """A small ledger with one of everything a list shows, on a frozen clock: made by
    the first test that asks in this process, a copy of it for the others (SQLite)."""
    if "ids" in _MADE and isinstance(ledger_path, Path):
        _copied(_MADE["file"], ledger_path)
        return dict(_MADE["ids"])
    made = _made(
        *(request.getfixturevalue(f) for f in ("ok", "catalog", "invoice_of", "monkeypatch"))
    )
    if isinstance(ledger_path, Path):
        _MADE["file"] = request.getfixturevalue("tmp_path_factory").mktemp("books") / "ledger.db"
        _copied(ledger_path, _MADE["file"])
        _MADE["ids"] = made
    return dict(made)


def _copied(source: Path, target: Path) -> None:
    with closing(sqlite3.connect(source)) as read, closing(sqlite3.connect(target)) as write:
        read.backup(write)


def _made(ok, catalog, invoice_of, monkeypatch) -> dict[str, Any]:
    from billcli.services.webhooks import http

    monkeypatch.setattr(
        http,
        "post_all",
        lambda requests, **_: [http.Sent(r.seq, 12, 200, None, "ok") for r in requests],
    )
    ok("clocks", "create", "--frozen-time", "2020-01-01", "--name", "Annual plan rehearsal")
    ok("meters", "create", "--event-name", "api_requests", "--display-name",
       "API requests, all regions", "--aggregation", "sum")  # fmt: skip
    seats = ok("meters", "create", "--event-name", "seats_in_use", "--display-name", "Seats",
               "--aggregation", "last", "--customer-key", "account", "--value-key", "seats",
               "--event-time-window", "day")  # fmt: skip
    ok("meters", "deactivate", seats["id"])
    ada = _customer(ok, "Ada Lovelace, Countess of Lovelace", "ada@example.com", "ADA",
                    "--payment-method", "pm_card_visa")  # fmt: skip
    ok("customers", "tax-ids", "add", ada, "--type", "eu_vat", "--value", "DE123456789")
    ok("customers", "tax-ids", "add", ada, "--type", "ch_vat", "--value", "CHE-123.456.789 MWST")
    grace = _customer(ok, "Grace Hopper", "grace@navy.example", "COBOL")
    _customer(ok, "株式会社テスト", "info@test.example.jp", "TEST", "--currency", "jpy")
    ok("tax-rates", "create", "--display-name", "VAT", "--percentage", "20", "--inclusive",
       "--country", "GB", "--tax-type", "vat")  # fmt: skip
    sales = ok("tax-rates", "create", "--display-name", "Sales tax", "--percentage", "8.875",
               "--country", "US", "--state", "NY", "--jurisdiction", "New York City and state",
               "--tax-type", "sales_tax", "--description", "City and state")  # fmt: skip
    ok("tax-rates", "update", sales["id"], "--no-active")
    ok("webhooks", "create", "--url", "https://hooks.example/stripe/events", "--events",
       "invoice.paid,customer.created", "--description", "Production receiver")  # fmt: skip
    ok("balance", "create", ada, "--amount", "-500", "--description", "Goodwill credit")
    ok("balance", "create", ada, "--amount", "1250",
       "--description", "Late fee for the invoice of the long January")  # fmt: skip
    paid = invoice_of(ada, ("8000", "Analytical engine consulting"), ("1500x2", "Punched cards"),
                      send=False)  # fmt: skip
    paid = ok("invoices", "pay", paid["id"])
    invoice_of(grace, ("4200", "Compiler review"))
    ok("invoices", "items", "create", "--customer", grace, "--amount", "990",
       "--description", "Pending: a nanosecond of wire")  # fmt: skip
    ok("products", "update", "pro", "--description", "Everything in the plan, and support")
    ok("prices", "update", catalog["monthly"], "--nickname", "Pro monthly (the usual one)",
       "--lookup-key", "pro_monthly")  # fmt: skip
    sub = ok("subscriptions", "create", "--customer", ada, "--price", f"{catalog['seat']}:3")
    ok("subscription-schedules", "create", "--from-subscription", sub["id"])
    ok("coupons", "create", "--id", "launch", "--percent-off", "25", "--name", "Launch week",
       "--duration", "repeating", "--duration-in-months", "3")  # fmt: skip
    ok("coupons", "create", "--id", "tenoff", "--amount-off", "10.00", "--currency", "usd",
       "--name", "Ten dollars off")  # fmt: skip
    ok("promotion-codes", "create", "--coupon", "launch", "--code", "LAUNCH25",
       "--max-redemptions", "100", "--expires-at", "2027-03-01")  # fmt: skip
    ok("promotion-codes", "create", "--coupon", "tenoff", "--code", "WELCOME-BACK-TEN",
       "--first-time-transaction", "--minimum-amount", "50.00", "--minimum-amount-currency", "usd",
       "--customer", grace)  # fmt: skip
    line = ok("invoices", "lines", paid["id"])["data"][0]["id"]
    ok("credit-notes", "create", "--invoice", paid["id"], "--line", f"{line}:2000",
       "--reason", "product_unsatisfactory", "--memo", "Two hours were not delivered")  # fmt: skip
    ok("portal", "configurations", "create", "--headline", "Acme billing",
       "--default-return-url", "https://acme.example/account")  # fmt: skip
    ok("checkout", "sessions", "create", "--mode", "subscription", "--price",
       f"{catalog['seat']}:2", "--success-url", "https://acme.example/welcome")  # fmt: skip
    ok("invoices", "tick", "--by", "1h")
    charge = ok("charges", "list")["data"][-1]["id"]
    ok("refunds", "create", "--charge", charge, "--amount", "500", "--reason",
       "requested_by_customer")  # fmt: skip
    ok("setup-intents", "create", "--customer", ada, "--payment-method", "pm_card_mastercard",
       "--confirm")  # fmt: skip
    event = ok("events", "list", "--type", "invoice.paid")["data"][0]["id"]
    credit_note = ok("credit-notes", "list")["data"][0]["id"]
    return {"ada": ada, "paid": paid["id"], "sub": sub["id"], "event": event, "cn": credit_note}


LINES = {
    "balance list": ["balance", "list", "{ada}"],
    "charges list": ["charges", "list"],
    "charges search": ["charges", "search", "status:'succeeded'"],
    "checkout sessions list": ["checkout", "sessions", "list"],
    "clocks list": ["clocks", "list"],
    "coupons list": ["coupons", "list"],
    "credit-notes lines": ["credit-notes", "lines", "{cn}"],
    "credit-notes list": ["credit-notes", "list"],
    "customers list": ["customers", "list"],
    "customers search": ["customers", "search", "email~'example'"],
    "customers tax-ids list": ["customers", "tax-ids", "list", "{ada}"],
    "events deliveries": ["events", "deliveries", "{event}"],
    "events list": ["events", "list", "--limit", "6"],
    "invoices items list": ["invoices", "items", "list"],
    "invoices lines": ["invoices", "lines", "{paid}"],
    "invoices list": ["invoices", "list"],
    "invoices outbox": ["invoices", "outbox"],
    "invoices search": ["invoices", "search", "total>0"],
    "meters list": ["meters", "list"],
    "payment-intents list": ["payment-intents", "list"],
    "payment-intents search": ["payment-intents", "search", "status:'succeeded'"],
    "payment-methods list": ["payment-methods", "list", "--customer", "{ada}"],
    "portal configurations list": ["portal", "configurations", "list"],
    "prices list": ["prices", "list", "--limit", "4"],
    "prices search": ["prices", "search", "active:'true'", "--limit", "3"],
    "promotion-codes list": ["promotion-codes", "list"],
    "plans list": ["plans", "list", "--limit", "4"],
    "products list": ["products", "list"],
    "products search": ["products", "search", "active:'true'"],
    "refunds list": ["refunds", "list"],
    "setup-intents list": ["setup-intents", "list"],
    "subscription-schedules list": ["subscription-schedules", "list"],
    "subscriptions list": ["subscriptions", "list"],
    "subscriptions search": ["subscriptions", "search", "status:'active'"],
    "tax-rates list": ["tax-rates", "list"],
    "webhooks list": ["webhooks", "list"],
}


def _rendered(billcli, monkeypatch, books, line: list[str], width: int) -> str:
    monkeypatch.setenv("COLUMNS", str(width))
    done = billcli(*(word.format(**books) for word in line))
    assert done.code == 0, done.err
    return done.out


def test_every_list_command_has_a_golden_file() -> None:
    from billcli.cli.signature_table import TABLE

    ends = (" list", " search", " lines", " outbox", " deliveries")
    listed = {name for name in json.loads(TABLE.read_text()) if name.endswith(ends)}
    assert listed == set(LINES)


@pytest.mark.parametrize("name", sorted(LINES))
def test_lists_at_60_80_120_and_200_columns_as_the_golden_files_show(
    billcli, monkeypatch, books, name
) -> None:
    shown = "".join(
        f"=== {width} columns\n"
        + normalized(_rendered(billcli, monkeypatch, books, LINES[name], width))
        for width in WIDTHS
    )
    assert_golden(shown, GOLDEN / f"{name.replace(' ', '_')}.txt")


KINDS = {
    "customers list": "customer",
    "invoices list": "invoice",
    "prices list": "price",
    "events list": "event",
    "subscriptions list": "subscription",
    "balance list": "customer_balance_transaction",
    "meters list": "billing.meter",
}


@pytest.mark.parametrize("name", sorted(KINDS))
@pytest.mark.parametrize("width", WIDTHS)
def test_a_table_keeps_ids_names_statuses_and_amounts_and_names_what_it_hid(
    ok, billcli, monkeypatch, books, name, width
) -> None:
    out = _rendered(billcli, monkeypatch, books, LINES[name], width)
    rows = ok(*(word.format(**books) for word in LINES[name]))["data"]
    lines = out.splitlines()
    assert all(len(line.rstrip()) <= width for line in lines), out
    header = lines[0].split()
    columns = [c for c in COLUMNS[KINDS[name]] if c.in_table and any(c.human(r) for r in rows)]
    for column in columns:
        if column.priority >= KEEP:
            assert column.header in header, (column.header, out)
    hidden = [c.header for c in columns if c.header not in header]
    said = " ".join(out.split())
    if hidden:
        assert f"hidden at {width} columns: {', '.join(hidden)} — widen the terminal" in said
    else:
        assert "hidden at" not in said


# What identifies a payment row and its money (issue 27's rule: the id, the status, the
# main amount), never hidden, whatever the terminal; references to other objects go first.
PAYMENT_KEEPS = {
    "charges list": ("id", "status", "amount"),
    "payment-intents list": ("id", "status", "amount"),
    "refunds list": ("id", "amount", "status"),
    "setup-intents list": ("id", "status"),
    "payment-methods list": ("id",),
}


@pytest.mark.parametrize("name", sorted(PAYMENT_KEEPS))
def test_a_narrow_payment_list_keeps_its_ids_statuses_and_amounts(
    billcli, monkeypatch, books, name
) -> None:
    out = _rendered(billcli, monkeypatch, books, LINES[name], 60)
    header = out.splitlines()[0].split()
    assert [h for h in header if h in PAYMENT_KEEPS[name]] == list(PAYMENT_KEEPS[name]), out
    assert all(len(line.rstrip()) <= 60 for line in out.splitlines()), out
    if name == "refunds list":  # the charge it refunds is a reference: it goes first
        assert "charge" not in header and "hidden at 60 columns" in " ".join(out.split())


@pytest.mark.parametrize("name", ["credit-notes list", "balance list", "invoices items list"])
def test_a_piped_table_keeps_every_column_and_whole_text(billcli, monkeypatch, books, name) -> None:
    """Piped (no terminal, no COLUMNS), there is no width to fit: every column is shown
    and no text is shortened, however wide the rows (these are wider than 160)."""
    wide = _rendered(billcli, monkeypatch, books, LINES[name], 1000)
    monkeypatch.delenv("COLUMNS")
    done = billcli(*(word.format(**books) for word in LINES[name]))
    assert done.code == 0, done.err
    assert "hidden at" not in done.out and "…" not in done.out
    assert max(len(line.rstrip()) for line in done.out.splitlines()) > 160
    assert [line.rstrip() for line in done.out.splitlines()] == [
        line.rstrip() for line in wide.splitlines()
    ]
