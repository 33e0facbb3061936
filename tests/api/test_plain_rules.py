"""Plain rules of Stripe's API billcli keeps (its reference, rule by rule): an empty value
unsets a parameter and is refused where nothing can be unset; lists filter by `created`
and count only when asked; events filter by type, wildcard and delivery; sending a
draft finalizes it; credit notes take lines of their own; products keep the legacy type."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import httpx2 as httpx
import pytest

from tests.api.conftest import recurring_price
from tests.conftest import ledger_digest


def test_an_empty_coupon_removes_the_discount_with_customer_discount_deleted(
    http: httpx.Client, checked_ledger: Callable[[], None]
) -> None:
    http.post("/v1/coupons", data={"id": "TWENTY", "percent_off": "20"})
    cus = http.post(
        "/v1/customers", data={"coupon": "TWENTY", "description": "VIP", "metadata[a]": "1"}
    ).json()
    assert cus["discount"]["coupon"]["id"] == "TWENTY"
    cleared = http.post(
        f"/v1/customers/{cus['id']}", data={"coupon": "", "description": "", "metadata": ""}
    ).json()
    assert (cleared["discount"], cleared["description"], cleared["metadata"]) == (None, None, {})
    (deleted,) = http.get("/v1/events", params={"type": "customer.discount.deleted"}).json()["data"]
    assert deleted["data"]["object"]["coupon"]["id"] == "TWENTY"
    again = http.post(f"/v1/customers/{cus['id']}", data={"coupon": ""})  # nothing to remove
    assert again.status_code == 200
    checked_ledger()


def test_empty_default_payment_methods_unset_them_on_customers_and_subscriptions(
    http: httpx.Client, checked_ledger: Callable[[], None]
) -> None:
    cus = http.post("/v1/customers", data={"payment_method": "pm_card_visa"}).json()
    method = cus["invoice_settings"]["default_payment_method"]
    price = recurring_price(http, 700)
    sub = http.post(
        "/v1/subscriptions",
        data={"customer": cus["id"], "items[0][price]": price, "default_payment_method": method},
    ).json()
    assert sub["default_payment_method"] == method
    emptied = http.post(f"/v1/subscriptions/{sub['id']}", data={"default_payment_method": ""})
    assert emptied.json()["default_payment_method"] is None
    plain = http.post(
        f"/v1/customers/{cus['id']}", data={"invoice_settings[default_payment_method]": ""}
    ).json()
    assert plain["invoice_settings"]["default_payment_method"] is None
    checked_ledger()


@pytest.mark.parametrize(
    ("path", "data", "param"),
    [
        ("/v1/customers", {"currency": ""}, "currency"),
        ("/v1/subscriptions", {"customer": ""}, "customer"),
        ("/v1/invoiceitems", {"amount": ""}, "amount"),
        ("/v1/coupons", {"percent_off": "5", "duration": ""}, "duration"),
    ],
)
def test_an_empty_value_where_nothing_can_be_unset_is_refused_as_stripe_refuses_it(
    http: httpx.Client, ledger_path: Path, path: str, data: dict[str, str], param: str
) -> None:
    before = ledger_digest(ledger_path)
    answer = http.post(path, data=data)
    error = answer.json()["error"]
    assert (answer.status_code, error["code"], error["param"]) == (
        400,
        "parameter_invalid_empty",
        param,
    )
    assert error["message"].startswith(f"You passed an empty string for '{param}'.")
    assert ledger_digest(ledger_path) == before


def _customers_over_time(http: httpx.Client, ok: Callable[..., Any]) -> list[dict[str, Any]]:
    """Three customers a day apart on the ledger's clock, oldest first."""
    made = []
    for name in ("One", "Two", "Three"):
        made.append(http.post("/v1/customers", data={"name": name}).json())
        ok("invoices", "tick", "--by", "1d")
    return made


def test_created_filters_narrow_every_list_that_has_them(
    http: httpx.Client, ok: Callable[..., Any]
) -> None:
    one, two, three = _customers_over_time(http, ok)

    def names(**created: str) -> list[str]:
        params = {f"created[{k}]" if k != "at" else "created": v for k, v in created.items()}
        found = http.get("/v1/customers", params=params).json()["data"]
        return [c["name"] for c in found]

    assert names(gte=str(two["created"])) == ["Three", "Two"]
    assert names(gt=str(two["created"])) == ["Three"]
    assert names(lt=str(two["created"])) == ["One"]
    assert names(lte=str(two["created"]), gte=str(one["created"])) == ["Two", "One"]
    assert names(at=str(three["created"])) == ["Three"]
    events = http.get("/v1/events", params={"created[lte]": str(one["created"])}).json()["data"]
    assert {e["data"]["object"]["name"] for e in events} == {"One"}
    wrong = http.get("/v1/customers", params={"created[after]": "1"}).json()["error"]
    assert (wrong["code"], wrong["param"]) == ("parameter_unknown", "created[after]")
    not_here = http.get("/v1/webhook_endpoints", params={"created": "1"}).json()["error"]
    assert not_here["code"] == "parameter_unknown"  # Stripe's endpoint list has none


def test_a_list_carries_total_count_only_when_asked_and_counts_every_page(
    http: httpx.Client, ok: Callable[..., Any]
) -> None:
    _customers_over_time(http, ok)
    plain = http.get("/v1/customers", params={"limit": "2"}).json()
    assert "total_count" not in plain and plain["has_more"] is True
    counted = http.get("/v1/customers", params={"limit": "2", "include[]": "total_count"}).json()
    assert (counted["total_count"], len(counted["data"])) == (3, 2)
    narrowed = http.get(
        "/v1/customers",
        params={"include[]": "total_count", "created[gt]": str(plain["data"][1]["created"])},
    ).json()
    assert narrowed["total_count"] == 1
    wrong = http.get("/v1/customers", params={"include[]": "everything"}).json()["error"]
    assert wrong["param"] == "include[0]"


def test_events_filter_by_type_wildcard_types_and_failed_deliveries(
    http: httpx.Client, ok: Callable[..., Any]
) -> None:
    cus = http.post("/v1/customers", data={"name": "Ev"}).json()["id"]
    http.post("/v1/invoiceitems", data={"customer": cus, "amount": "300", "currency": "usd"})
    invoice = http.post(
        "/v1/invoices", data={"customer": cus, "pending_invoice_items_behavior": "include"}
    ).json()
    http.post(f"/v1/invoices/{invoice['id']}/finalize")

    def listed(**params: Any) -> list[dict[str, Any]]:
        return http.get("/v1/events", params={"limit": "100", **params}).json()["data"]  # type: ignore[no-any-return]

    def types(**params: Any) -> set[str]:
        return {e["type"] for e in listed(**params)}

    assert types(type="invoice.*") == {"invoice.created", "invoice.finalized"}
    assert types(**{"types[]": ["customer.created", "invoiceitem.created"]}) == {
        "customer.created",
        "invoiceitem.created",
    }
    assert types(delivery_success="false") == set()  # no endpoint: nothing failed
    ok("webhooks", "create", "--url", "http://127.0.0.1:9/hook", "--events", "customer.updated")
    http.post(f"/v1/customers/{cus}", data={"name": "Ev2"})
    ok("events", "deliver")
    (failed,) = listed(delivery_success="false")  # nobody answers there
    assert failed["type"] == "customer.updated"
    assert failed["id"] not in {e["id"] for e in listed(delivery_success="true")}
    both = http.get("/v1/events", params={"type": "a", "types[]": "b"}).json()["error"]
    assert both["message"] == "You may pass either type or types, but not both."


def test_sending_a_draft_finalizes_it_and_emails_it_once(
    http: httpx.Client, ok: Callable[..., Any], checked_ledger: Callable[[], None]
) -> None:
    cus = http.post("/v1/customers", data={"email": "bob@example.com"}).json()["id"]
    http.post("/v1/invoiceitems", data={"customer": cus, "amount": "2000", "currency": "usd"})
    draft = http.post(
        "/v1/invoices",
        data={
            "customer": cus,
            "pending_invoice_items_behavior": "include",
            "collection_method": "send_invoice",
            "days_until_due": "7",
            "auto_advance": "true",
        },
    ).json()
    sent = http.post(f"/v1/invoices/{draft['id']}/send").json()
    assert (sent["status"], sent["amount_due"]) == ("open", 2000)
    assert len(ok("invoices", "outbox")["data"]) == 1  # not twice for an auto-advancing draft
    kinds = [e["type"] for e in http.get("/v1/events", params={"type": "invoice.*"}).json()["data"]]
    assert kinds.count("invoice.sent") == 1 and "invoice.finalized" in kinds
    checked_ledger()


def test_a_credit_note_takes_custom_lines_beside_invoice_lines(
    http: httpx.Client, assert_valid: Callable[..., None], checked_ledger: Callable[[], None]
) -> None:
    cus = http.post("/v1/customers", data={"name": "Cn"}).json()["id"]
    http.post("/v1/invoiceitems", data={"customer": cus, "amount": "5000", "currency": "usd"})
    invoice = http.post(
        "/v1/invoices", data={"customer": cus, "pending_invoice_items_behavior": "include"}
    ).json()
    invoice = http.post(f"/v1/invoices/{invoice['id']}/finalize").json()
    line = invoice["lines"]["data"][0]["id"]
    note = http.post(
        "/v1/credit_notes",
        data={
            "invoice": invoice["id"],
            "lines[0][type]": "invoice_line_item",
            "lines[0][invoice_line_item]": line,
            "lines[0][amount]": "1000",
            "lines[1][type]": "custom_line_item",
            "lines[1][description]": "Goodwill",
            "lines[1][quantity]": "3",
            "lines[1][unit_amount]": "250",
        },
    ).json()
    assert_valid(note)
    custom = [x for x in note["lines"]["data"] if x["type"] == "custom_line_item"]
    assert [(x["description"], x["quantity"], x["unit_amount"], x["amount"]) for x in custom] == [
        ("Goodwill", 3, 250, 750)
    ]
    assert note["total"] == 1000 + 3 * 250
    after = http.get(f"/v1/invoices/{invoice['id']}").json()
    assert after["amount_remaining"] == 5000 - 1750
    missing = http.post(
        "/v1/credit_notes",
        data={
            "invoice": invoice["id"],
            "lines[0][type]": "custom_line_item",
            "lines[0][unit_amount]": "5",
        },
    ).json()["error"]
    assert missing["param"] == "lines[0][description]"
    checked_ledger()


def test_products_take_the_legacy_type_and_keep_it(http: httpx.Client) -> None:
    good = http.post("/v1/products", data={"name": "Mug", "type": "good"}).json()
    service = http.post("/v1/products", data={"name": "Hosting"}).json()
    assert (good["type"], service["type"]) == ("good", "service")
    wrong = http.post("/v1/products", data={"name": "X", "type": "gift"}).json()["error"]
    assert wrong["param"] == "type"
