"""Money where multi-currency prices meet Checkout: a session for a customer billed in
euros (or asked for in euros, `currency=eur`) charges each price's euro option, and the
payment, the subscription and its first invoice it makes are in euros for the amounts
the session showed (Stripe: a price's `currency_options` give its amount in each
currency, on every path that prices it)."""

from __future__ import annotations

import html
from collections.abc import Callable
from typing import Any

from billcli.services.checkout import completion, sessions
from billcli.store.ledger import Ledger

SUCCESS = "https://shop.example/done"


def _catalog(ok: Callable[..., Any]) -> dict[str, str]:
    ok("products", "create", "--name", "Pro plan", "--id", "pro")
    ok("products", "create", "--name", "Manual", "--id", "manual")
    monthly = ok("prices", "create", "--product", "pro", "--currency", "usd",
                 "--unit-amount", "2000", "--recurring-interval", "month",
                 "--currency-option", "eur:1800")  # fmt: skip
    manual = ok("prices", "create", "--product", "manual", "--currency", "usd",
                "--unit-amount", "1000", "--currency-option", "eur:900")  # fmt: skip
    ok("coupons", "create", "--id", "FIVE", "--amount-off", "500", "--currency", "usd",
       "--currency-option", "eur:400", "--duration", "forever")  # fmt: skip
    vat = ok("tax-rates", "create", "--display-name", "VAT", "--percentage", "19")
    return {"monthly": monthly["id"], "manual": manual["id"], "vat": vat["id"]}


def _euro_customer(ok: Callable[..., Any]) -> str:
    made = ok("customers", "create", "--name", "Émile", "--email", "emile@example.com",
              "--currency", "eur")  # fmt: skip
    return str(made["id"])


def _create(ledger_path: Any, **given: Any) -> dict[str, Any]:
    with Ledger(ledger_path) as ledger:
        return sessions.create(ledger, sessions.SessionInput(success_url=SUCCESS, **given))


def _paid(ledger_path: Any, made: dict[str, Any]) -> None:
    with Ledger(ledger_path) as ledger:
        secret = made["url"].rsplit("/c/", 1)[1]
        assert completion.pay(ledger, secret, "pm_card_visa", "emile@example.com").completed


def test_a_payment_session_of_a_euro_customer_charges_the_euro_options(
    ok: Callable[..., Any], at_start: int, ledger_path: Any, checked_ledger: Callable[[], None]
) -> None:
    price = _catalog(ok)
    cus = _euro_customer(ok)
    made = _create(ledger_path, mode="payment", customer=cus,
                   line_items=((price["manual"], 2),), coupons=("FIVE",),
                   line_item_tax_rates=((price["vat"],),))  # fmt: skip
    # 2 × €9.00, €4.00 off, 19% of €14.00
    assert (made["currency"], made["amount_subtotal"], made["amount_total"]) == ("eur", 1800, 1666)
    assert made["total_details"]["amount_discount"] == 400
    assert made["total_details"]["amount_tax"] == 266
    shown = ok("checkout", "sessions", "show", made["id"])
    (line,) = shown["line_items"]["data"]
    assert (line["currency"], line["amount_subtotal"], line["amount_total"]) == ("eur", 1800, 1666)
    _paid(ledger_path, made)
    (charge,) = ok("charges", "list", "--customer", cus)["data"]
    assert (charge["currency"], charge["amount"]) == ("eur", 1666)
    checked_ledger()


def test_a_subscription_session_bills_the_euro_option_it_showed(
    ok: Callable[..., Any], at_start: int, ledger_path: Any, checked_ledger: Callable[[], None]
) -> None:
    price = _catalog(ok)
    for given in ({"customer": _euro_customer(ok)}, {"currency": "eur"}):
        made = _create(ledger_path, mode="subscription", coupons=("FIVE",),
                       line_items=((price["monthly"], 2), (price["manual"], 1)),
                       **given)  # fmt: skip
        # 2 × €18.00 + €9.00, €4.00 off
        assert (made["currency"], made["amount_total"]) == ("eur", 4100)
        _paid(ledger_path, made)
        done = ok("checkout", "sessions", "show", made["id"])
        sub = ok("subscriptions", "show", done["subscription"])
        invoice = ok("invoices", "show", sub["latest_invoice"])
        assert (sub["currency"], invoice["currency"]) == ("eur", "eur")
        assert (invoice["subtotal"], invoice["total"], invoice["amount_paid"]) == (4500, 4100, 4100)
    checked_ledger()


def test_the_hosted_page_of_a_euro_session_shows_euro_amounts(
    ok: Callable[..., Any], at_start: int, ledger_path: Any, client: Any
) -> None:
    price = _catalog(ok)
    made = _create(ledger_path, mode="payment", customer=_euro_customer(ok),
                   line_items=((price["manual"], 2),), coupons=("FIVE",),
                   line_item_tax_rates=((price["vat"],),))  # fmt: skip
    page = client.get(made["url"].removeprefix("http://127.0.0.1:4242"))
    assert page.status_code == 200
    text = html.unescape(page.text)
    assert "€9.00" in text and "€18.00" in text and "€16.66 due today" in text
    assert "$" not in text


def test_a_euro_payment_session_with_invoice_creation_invoices_what_it_charged(
    ok: Callable[..., Any], at_start: int, ledger_path: Any, checked_ledger: Callable[[], None]
) -> None:
    from billcli.core.checkout_page import PageInput

    price = _catalog(ok)
    cus = _euro_customer(ok)
    made = _create(ledger_path, mode="payment", customer=cus,
                   line_items=((price["manual"], 3),), coupons=("FIVE",),
                   line_item_tax_rates=((price["vat"],),),
                   page=PageInput(invoice_creation=True))  # fmt: skip
    # 3 × €9.00 = €27.00, €4.00 off, 19% of €23.00 = €4.37
    assert (made["currency"], made["amount_total"]) == ("eur", 2737)
    _paid(ledger_path, made)
    (invoice,) = ok("invoices", "list", "--customer", cus)["data"]
    assert (invoice["currency"], invoice["subtotal"], invoice["tax"]) == ("eur", 2700, 437)
    assert (invoice["total"], invoice["amount_paid"], invoice["status"]) == (2737, 2737, "paid")
    (charge,) = ok("charges", "list", "--customer", cus)["data"]
    assert (charge["currency"], charge["amount"], charge["invoice"]) == ("eur", 2737, invoice["id"])
    checked_ledger()


def test_the_cli_makes_a_session_in_the_currency_it_is_asked_for(
    ok: Callable[..., Any], billcli: Any, at_start: int, checked_ledger: Callable[[], None]
) -> None:
    """`checkout sessions create --currency eur`, as the API's `currency=eur`: the lines
    at the prices' euro options; a currency a price has no amount in is refused, naming
    the price."""
    price = _catalog(ok)
    made = ok("checkout", "sessions", "create", "--mode", "payment", "--currency", "EUR",
              "--price", f"{price['manual']}:2", "--success-url", SUCCESS)  # fmt: skip
    assert (made["currency"], made["amount_subtotal"], made["amount_total"]) == ("eur", 1800, 1800)
    refused = billcli("checkout", "sessions", "create", "--mode", "payment", "--currency",
                      "gbp", "--price", price["manual"], "--success-url", SUCCESS,
                      "--json")  # fmt: skip
    assert refused.code == 1 and refused.json["error"]["param"] == "currency"
    assert f"{price['manual']} has no amount in gbp" in refused.err
    checked_ledger()
