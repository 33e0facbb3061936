"""`billcli promotion-codes`, `billcli plans` and the older rules on the command line: the
same services as the API, one-line refusals with the contract's exit codes, nothing
written, every object valid against its schema."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

from tests.conftest import ledger_digest


def _refused(billcli: Callable[..., Any], ledger_path: Path, code: int, *args: str) -> str:
    before = ledger_digest(ledger_path)
    done = billcli(*args)
    assert done.code == code, done.out + done.err
    assert len(done.err.strip().splitlines()) == 1, done.err
    assert ledger_digest(ledger_path) == before
    return str(done.err)


def test_a_code_typed_by_its_text_redeems_on_customers_and_subscriptions(
    ok: Callable[..., Any],
    catalog: dict[str, str],
    assert_valid: Callable[..., None],
    checked_ledger: Callable[[], None],
) -> None:
    ok("coupons", "create", "--id", "TENOFF", "--amount-off", "1000", "--currency", "usd",
       "--duration", "forever")  # fmt: skip
    promo = ok("promotion-codes", "create", "--coupon", "TENOFF", "--code", "WELCOME",
               "--max-redemptions", "2")  # fmt: skip
    assert_valid(promo)
    ada = ok("customers", "create", "--name", "Ada", "--payment-method", "pm_card_visa")
    sub = ok("subscriptions", "create", "--customer", ada["id"], "--price", catalog["monthly"],
             "--promotion-code", "welcome")  # fmt: skip
    assert sub["discount"]["promotion_code"] == promo["id"]
    first = ok("invoices", "show", sub["latest_invoice"])
    assert first["total"] == 2000 - 1000  # $20.00 a month, $10.00 off
    bo = ok("customers", "create", "--name", "Bo", "--promotion-code", promo["id"])
    assert bo["discount"]["coupon"]["id"] == "TENOFF"
    shown = ok("promotion-codes", "show", promo["id"])
    assert (shown["times_redeemed"], shown["max_redemptions"]) == (2, 2)
    listed = ok("promotion-codes", "list", "--code", "WELCOME")["data"]
    assert [p["id"] for p in listed] == [promo["id"]]
    off = ok("promotion-codes", "update", promo["id"], "--no-active")
    assert off["active"] is False
    assert ok("promotion-codes", "list", "--active")["data"] == []
    checked_ledger()


def test_refused_codes_say_why_in_one_line_and_write_nothing(
    ok: Callable[..., Any], billcli: Callable[..., Any], ledger_path: Path, at_start: int
) -> None:
    ok("coupons", "create", "--id", "BIG", "--percent-off", "10")
    err = _refused(billcli, ledger_path, 1, "promotion-codes", "create", "--coupon", "BIG",
                   "--minimum-amount", "5000")  # fmt: skip
    assert "minimum_amount_currency" in err
    _refused(billcli, ledger_path, 6, "promotion-codes", "create", "--coupon", "NOPE")
    ok("promotion-codes", "create", "--coupon", "BIG", "--code", "BIGGER", "--minimum-amount",
       "100.00", "--minimum-amount-currency", "usd")  # fmt: skip
    err = _refused(billcli, ledger_path, 1, "customers", "create", "--name", "Cy",
                   "--promotion-code", "BIGGER")  # fmt: skip
    assert "minimum amount" in err
    _refused(billcli, ledger_path, 6, "customers", "create", "--promotion-code", "NOSUCH")
    err = _refused(billcli, ledger_path, 1, "customers", "create", "--coupon", "BIG",
                   "--promotion-code", "BIGGER")  # fmt: skip
    assert "coupon, promotion_code" in err


def test_plans_are_made_listed_and_subscribed_to_where_a_price_goes(
    ok: Callable[..., Any],
    billcli: Callable[..., Any],
    ledger_path: Path,
    at_start: int,
    assert_valid: Callable[..., None],
    checked_ledger: Callable[[], None],
) -> None:
    plan = ok("plans", "create", "--id", "gold", "--product-name", "Gold", "--currency", "usd",
              "--amount", "25.00", "--interval", "month", "--trial-period-days", "7")  # fmt: skip
    assert_valid(plan)
    assert (plan["amount"], plan["trial_period_days"]) == (2500, 7)
    assert [p["id"] for p in ok("plans", "list")["data"]] == ["gold"]
    assert ok("plans", "show", "gold")["product"] == plan["product"]
    cus = ok("customers", "create", "--name", "Di", "--payment-method", "pm_card_visa")["id"]
    sub = ok("subscriptions", "create", "--customer", cus, "--price", "gold")
    assert sub["items"]["data"][0]["plan"]["id"] == "gold"
    err = _refused(billcli, ledger_path, 1, "invoices", "items", "create", "--customer", cus,
                   "--price", "gold")  # fmt: skip
    assert "type=one_time" in err
    _refused(billcli, ledger_path, 6, "plans", "show", "nothing")
    checked_ledger()


def test_credit_notes_take_custom_lines_and_sending_a_draft_finalizes_it(
    ok: Callable[..., Any],
    billcli: Callable[..., Any],
    ledger_path: Path,
    at_start: int,
    checked_ledger: Callable[[], None],
) -> None:
    cus = ok("customers", "create", "--name", "Ed", "--email", "ed@example.com")["id"]
    ok("invoices", "items", "create", "--customer", cus, "--amount", "3000")
    draft = ok("invoices", "create", "--customer", cus, "--pending-items", "include",
               "--collection-method", "send_invoice", "--no-auto-advance")  # fmt: skip
    sent = ok("invoices", "send", draft["id"])
    assert (sent["status"], sent["number"] is not None) == ("open", True)
    assert len(ok("invoices", "outbox")["data"]) == 1
    note = ok("credit-notes", "create", "--invoice", draft["id"], "--custom-line",
              "400x2:Late delivery", "--custom-line", "150:Gift wrap")  # fmt: skip
    assert [(x["description"], x["quantity"], x["amount"]) for x in note["lines"]["data"]] == [
        ("Late delivery", 2, 800),
        ("Gift wrap", 1, 150),
    ]
    assert ok("invoices", "show", draft["id"])["amount_remaining"] == 3000 - 950
    err = _refused(billcli, ledger_path, 1, "credit-notes", "create", "--invoice", draft["id"],
                   "--custom-line", "400x2")  # fmt: skip
    assert "custom_lines[0]" in err
    good = ok("products", "create", "--name", "Mug", "--type", "good")
    assert good["type"] == "good"
    checked_ledger()
