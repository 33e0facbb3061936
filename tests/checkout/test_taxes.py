"""Tax on Checkout Sessions: a line item's own rates, else `subscription_data
[default_tax_rates]`, each line taxed on its amount less its share of the discount (as
an invoice taxes it). The session's `amount_tax` and `amount_total` show it, and the
subscription and its first invoice carry the same rates and the same money. Every
amount is computed here from the prices and the percentages."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

SUCCESS = "https://shop.example/done?session={CHECKOUT_SESSION_ID}"


def _rate(ok: Callable[..., Any], name: str, percentage: str, *inclusive: str) -> str:
    made = ok("tax-rates", "create", "--display-name", name, "--percentage", percentage,
              *inclusive)  # fmt: skip
    return str(made["id"])


def test_a_subscription_session_is_taxed_as_its_first_invoice_is(
    ok, monthly, fill_in, checked_ledger
):
    sales = _rate(ok, "Sales tax", "8.25")
    vat = _rate(ok, "VAT", "20", "--inclusive")
    ok("coupons", "create", "--id", "TENPC", "--percent-off", "10", "--duration", "forever")
    seats = ok("prices", "create", "--product", "pro", "--currency", "usd", "--unit-amount",
               "1200", "--recurring-interval", "month")["id"]  # fmt: skip
    made = ok("checkout", "sessions", "create", "--success-url", SUCCESS,
              "--mode", "subscription", "--price", f"{monthly}:2", "--price", seats,
              "--coupon", "TENPC", "--default-tax-rate", sales,
              "--item-tax-rate", f"{seats}={vat}")  # fmt: skip
    # Plan: 2 × 20.00 = 40.00, less 10% = 36.00, plus 8.25% sales tax = 2.97.
    # Seats: 12.00, less 10% = 10.80, of which 20% VAT (inclusive) is 10.80 × 20/120 = 1.80.
    plan_tax, seat_tax = 3600 * 825 // 10000, 1080 * 20 // 120
    assert (plan_tax, seat_tax) == (297, 180)
    assert made["amount_subtotal"] == 4000 + 1200
    assert made["total_details"]["amount_discount"] == 400 + 120
    assert made["total_details"]["amount_tax"] == plan_tax + seat_tax
    assert made["amount_total"] == 3600 + plan_tax + 1080 == 4977

    items = ok("checkout", "sessions", "show", made["id"])["line_items"]["data"]
    assert [(i["amount_tax"], i["amount_total"]) for i in items] == [
        (plan_tax, 3600 + plan_tax), (seat_tax, 1080),
    ]  # fmt: skip
    assert [[(t["rate"]["id"], t["taxable_amount"]) for t in i["taxes"]] for i in items] == [
        [(sales, 3600)], [(vat, 1080 - seat_tax)],
    ]  # fmt: skip

    assert fill_in(made["url"]).status_code == 200
    done = ok("checkout", "sessions", "show", made["id"])
    assert (done["status"], done["amount_total"]) == ("complete", 4977)
    sub = ok("subscriptions", "show", done["subscription"])
    assert [r["id"] for r in sub["default_tax_rates"]] == [sales]
    by_price = {i["price"]["id"]: [r["id"] for r in i["tax_rates"]] for i in sub["items"]["data"]}
    assert by_price == {monthly: [], seats: [vat]}
    invoice = ok("invoices", "show", done["invoice"])
    assert (invoice["tax"], invoice["total"], invoice["amount_paid"]) == (477, 4977, 4977)
    checked_ledger()


def test_a_payment_session_charges_its_items_tax(ok, one_time, fill_in, checked_ledger):
    rate = _rate(ok, "Sales tax", "7")
    made = ok("checkout", "sessions", "create", "--success-url", SUCCESS, "--mode", "payment",
              "--price", f"{one_time}:2", "--item-tax-rate", f"{one_time}={rate}")  # fmt: skip
    # 2 × 15.00 = 30.00; 7% = 2.10.
    assert (made["total_details"]["amount_tax"], made["amount_total"]) == (210, 3210)
    assert fill_in(made["url"]).status_code == 200
    done = ok("checkout", "sessions", "show", made["id"])
    assert ok("payment-intents", "show", done["payment_intent"])["amount_received"] == 3210
    checked_ledger()


def test_a_trial_session_owes_no_tax_today(ok, monthly, fill_in, checked_ledger):
    rate = _rate(ok, "Sales tax", "10")
    made = ok("checkout", "sessions", "create", "--success-url", SUCCESS, "--mode",
              "subscription", "--price", monthly, "--trial-days", "7",
              "--default-tax-rate", rate)  # fmt: skip
    assert (made["total_details"]["amount_tax"], made["amount_total"]) == (0, 0)
    assert fill_in(made["url"]).status_code == 200
    done = ok("checkout", "sessions", "show", made["id"])
    sub = ok("subscriptions", "show", done["subscription"])
    assert (sub["status"], [r["id"] for r in sub["default_tax_rates"]]) == ("trialing", [rate])
    checked_ledger()


def test_bad_tax_rates_are_refused_and_nothing_is_written(ok, monthly, one_time, refused):
    rate = _rate(ok, "Sales tax", "5")
    ok("tax-rates", "update", rate, "--no-active")
    base = ["checkout", "sessions", "create", "--success-url", SUCCESS]
    cases = [
        ([*base, "--mode", "subscription", "--price", monthly, "--default-tax-rate", rate], 1,
         "is archived"),
        ([*base, "--mode", "subscription", "--price", monthly, "--default-tax-rate",
          "txr_" + "0" * 24], 6, "No such tax_rate"),
        ([*base, "--mode", "payment", "--price", one_time, "--default-tax-rate", rate], 1,
         "`subscription_data` can only be used in `subscription` mode."),
        ([*base, "--mode", "payment", "--price", one_time, "--item-tax-rate",
          f"{monthly}={rate}"], 1, "none of the session's prices"),
    ]  # fmt: skip
    for args, code, message in cases:
        refused(args, code, message)
    assert ok("checkout", "sessions", "list")["data"] == []


def test_a_bad_item_tax_rate_option_is_named_as_typed(ok, monthly, billcli):
    """The command line's error names `--item-tax-rate`, not the API's parameter."""
    rate = _rate(ok, "Sales tax", "5")
    base = ["checkout", "sessions", "create", "--success-url", SUCCESS, "--mode",
            "subscription", "--price", monthly]  # fmt: skip
    for spec, words in [
        ("bogus", "Invalid item_tax_rate: --item-tax-rate 'bogus' (ITEM=TXR"),
        (f"price_{'0' * 24}={rate}", f"--item-tax-rate names price_{'0' * 24}, none of"),
        (f"{monthly}=", f"--item-tax-rate '{monthly}=' names no tax rate"),
    ]:
        result = billcli(*base, "--item-tax-rate", spec, "--json")
        assert result.code == 1 and words in result.err, result.err
        assert len(result.err.strip().splitlines()) == 1
        assert result.json["error"]["param"] == "item_tax_rate"
        assert "item_tax_rates[" not in result.err
    assert ok("checkout", "sessions", "list")["data"] == []


def test_an_item_tax_rate_the_ledger_lacks_is_named_as_the_option_with_exit_6(ok, monthly, billcli):
    """Exit 6 (not found), naming `--item-tax-rate` and what was typed, not the API's
    `line_items[0][tax_rates][0]`; the hint says a Checkout Session takes a price."""
    missing = "txr_" + "0" * 24
    base = ["checkout", "sessions", "create", "--success-url", SUCCESS, "--mode",
            "subscription", "--price", monthly]  # fmt: skip
    result = billcli(*base, "--item-tax-rate", f"{monthly}={missing}", "--json")
    assert result.code == 6, result.err
    assert result.json["error"]["param"] == "item_tax_rate"
    assert f"--item-tax-rate {monthly}={missing}" in result.json["error"]["message"]
    assert "line_items[" not in result.err and len(result.err.strip().splitlines()) == 1
    bad = billcli(*base, "--item-tax-rate", "bogus")
    assert bad.code == 1 and "(ITEM=TXR: a price id, and a tax rate)" in bad.err, bad.err
    assert ok("checkout", "sessions", "list")["data"] == []
