"""Tax over the API: tax rates through stripe-python, rates on items, invoices and
subscriptions as Stripe's parameters name them, and every taxed object in both shapes:
2023's `tax_amounts`/`total_tax_amounts` (the 2023 schemas) and basil's
`taxes`/`total_taxes` naming each rate in `tax_rate_details`."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import httpx2 as httpx
import pytest

from tests.api.test_payments_http import _shared_validator

BASIL = "2025-03-31.basil"
TAX_ENTRY = {"amount", "tax_behavior", "tax_rate_details", "taxability_reason",
             "taxable_amount", "type"}  # fmt: skip


def test_tax_rates_through_stripe_python(
    stripe: Any, ok: Callable[..., Any], checked_ledger: Callable[[], None]
) -> None:
    made = stripe.TaxRate.create(
        display_name="VAT", percentage=20, inclusive=True, country="DE", tax_type="vat",
        metadata={"filed": "monthly"},
    )  # fmt: skip
    assert (made.object, made.percentage, made.inclusive, made.rate_type) == (
        "tax_rate", 20, True, None,
    )  # fmt: skip
    assert ok("tax-rates", "show", made.id)["display_name"] == "VAT"
    changed = stripe.TaxRate.modify(made.id, active=False, jurisdiction="DE")
    assert (changed.active, changed.jurisdiction) == (False, "DE")
    assert [r.id for r in stripe.TaxRate.list(active=False).auto_paging_iter()] == [made.id]
    assert stripe.TaxRate.list(active=True).data == []
    with pytest.raises(stripe.InvalidRequestError) as refused:
        stripe.TaxRate.modify(made.id, percentage=19)
    assert (refused.value.code, refused.value.param) == ("parameter_unknown", "percentage")
    with pytest.raises(stripe.InvalidRequestError) as archived:
        stripe.InvoiceItem.create(customer=stripe.Customer.create().id, amount=100,
                                  currency="eur", tax_rates=[made.id])  # fmt: skip
    assert archived.value.param == "tax_rates[0]"
    checked_ledger()


def test_a_taxed_story_through_stripe_python_in_todays_shapes(
    stripe: Any, ok: Callable[..., Any], checked_ledger: Callable[[], None]
) -> None:
    vat = stripe.TaxRate.create(display_name="VAT", percentage=20, inclusive=False)
    gst = stripe.TaxRate.create(display_name="GST", percentage=5, inclusive=True)
    ada = stripe.Customer.create(name="Ada", payment_method="pm_card_visa")
    stripe.InvoiceItem.create(customer=ada.id, amount=1000, currency="usd", tax_rates=[vat.id])
    item = stripe.InvoiceItem.create(customer=ada.id, amount=2100, currency="usd")
    draft = stripe.Invoice.create(
        customer=ada.id, pending_invoice_items_behavior="include", default_tax_rates=[gst.id]
    )
    taxes = {t.tax_rate_details.tax_rate: (t.amount, t.tax_behavior) for t in draft.total_taxes}
    assert taxes == {vat.id: (200, "exclusive"), gst.id: (100, "inclusive")}
    assert (draft.total, draft.total_excluding_tax, draft.subtotal_excluding_tax) == (
        3300, 3000, 3000,
    )  # fmt: skip
    line = next(li for li in draft.lines.data if li.parent.invoice_item_details.invoice_item
                == item.id)  # fmt: skip
    assert [(t.amount, t.taxable_amount, t.type) for t in line.taxes] == [
        (100, 2000, "tax_rate_details")
    ]
    stripe.InvoiceItem.modify(item.id, tax_rates=[vat.id])
    retaxed = stripe.Invoice.retrieve(draft.id)
    assert [t.amount for t in retaxed.total_taxes] == [200 + 420]
    stripe.InvoiceItem.modify(item.id, tax_rates="")
    assert stripe.InvoiceItem.retrieve(item.id).tax_rates == []
    product = stripe.Product.create(name="Seat")
    seat = stripe.Price.create(
        product=product.id,
        unit_amount=1000,
        currency="usd",
        recurring={"interval": "month"},
        tax_behavior="exclusive",
    )
    assert seat.tax_behavior == "exclusive"
    sub = stripe.Subscription.create(
        customer=ada.id, items=[{"price": seat.id, "quantity": 2, "tax_rates": [vat.id]}],
        default_tax_rates=[gst.id],
    )  # fmt: skip
    assert [r.id for r in sub["items"].data[0].tax_rates] == [vat.id]
    assert [r.id for r in sub.default_tax_rates] == [gst.id]
    first = stripe.Invoice.retrieve(sub.latest_invoice)
    assert [(t.tax_rate_details.tax_rate, t.amount) for t in first.total_taxes] == [(vat.id, 400)]
    checked_ledger()


def _taxed(http: httpx.Client, version: str) -> dict[str, dict[str, Any]]:
    """A tax rate, a taxed invoice with its line, and a credit note with its line."""
    head = {"Stripe-Version": version}
    rate = http.post("/v1/tax_rates", data={"display_name": "VAT", "percentage": "20",
                                            "inclusive": "true"}, headers=head).json()  # fmt: skip
    cus = http.post("/v1/customers", data={"name": "V"}).json()["id"]
    http.post("/v1/invoiceitems", data={"customer": cus, "amount": "1200", "currency": "eur",
                                        "tax_rates[]": rate["id"]})  # fmt: skip
    draft = http.post(
        "/v1/invoices", data={"customer": cus, "pending_invoice_items_behavior": "include"}
    ).json()
    http.post(f"/v1/invoices/{draft['id']}/finalize")
    line = draft["lines"]["data"][0]["id"]
    note = http.post(
        "/v1/credit_notes",
        data={"invoice": draft["id"], "lines[0][type]": "invoice_line_item",
              "lines[0][invoice_line_item]": line, "lines[0][amount]": "600"},
        headers=head,
    ).json()  # fmt: skip
    invoice = http.get(f"/v1/invoices/{draft['id']}", headers=head).json()
    return {
        "tax_rate": rate,
        "invoice": invoice,
        "line_item": invoice["lines"]["data"][0],
        "credit_note": note,
        "credit_note_line_item": note["lines"]["data"][0],
    }


@pytest.mark.parametrize("version", ["2023-08-16", BASIL])
def test_every_taxed_object_has_its_shape_in_each_version(
    http: httpx.Client, extract: dict[str, Any], assert_valid: Any, version: str
) -> None:
    found = _taxed(http, version)
    rate_id = found["tax_rate"]["id"]
    if version == "2023-08-16":
        for obj in found.values():
            assert_valid(obj)
        assert found["invoice"]["total_tax_amounts"][0]["tax_rate"] == rate_id
        assert (
            found["invoice"]["tax"] == 200
            and found["credit_note"]["tax_amounts"][0]["amount"] == 100
        )
        return
    fixture = set(extract["x-current-fixtures"]["resources"]["tax_rate"])
    assert fixture <= set(found["tax_rate"])
    errors = list(_shared_validator(extract, "tax_rate").iter_errors(found["tax_rate"]))
    assert not errors, [e.message for e in errors[:3]]
    entries = {
        "invoice": found["invoice"]["total_taxes"],
        "line_item": found["line_item"]["taxes"],
        "credit_note": found["credit_note"]["total_taxes"],
        "credit_note_line_item": found["credit_note_line_item"]["taxes"],
    }
    for name, (entry,) in entries.items():
        assert set(entry) == TAX_ENTRY, name
        assert entry["tax_rate_details"] == {"tax_rate": rate_id}, name
        assert (entry["tax_behavior"], entry["type"]) == ("inclusive", "tax_rate_details"), name
        assert entry["taxability_reason"] == "not_available", name
    assert [e[0]["amount"] for e in entries.values()] == [200, 200, 100, 100]
    for name in ("invoice", "credit_note"):
        assert "total_tax_amounts" not in found[name] and "tax_amounts" not in found[name]
    assert "tax_amounts" not in found["line_item"] and "tax_rates" not in found["line_item"]


def test_a_tax_amounts_rate_expands_to_the_rate(http: httpx.Client) -> None:
    found = _taxed(http, "2023-08-16")
    invoice = http.get(
        f"/v1/invoices/{found['invoice']['id']}",
        params={"expand[]": "total_tax_amounts.tax_rate"},
    ).json()
    assert invoice["total_tax_amounts"][0]["tax_rate"] == found["tax_rate"]


def test_inline_prices_and_added_items_take_their_own_rates_over_the_api(
    http: httpx.Client, checked_ledger: Callable[[], None]
) -> None:
    """`items[n][price_data]` with `items[n][tax_rates]`, `add_invoice_items[n][tax_rates]`,
    and a subscription item's rates changed by `items[n][id]` with `tax_rates`."""
    vat = http.post("/v1/tax_rates", data={"display_name": "VAT", "percentage": "20",
                                           "inclusive": "false"}).json()["id"]  # fmt: skip
    gst = http.post("/v1/tax_rates", data={"display_name": "GST", "percentage": "10",
                                           "inclusive": "false"}).json()["id"]  # fmt: skip
    prod = http.post("/v1/products", data={"name": "Pro"}).json()["id"]
    one_time = http.post("/v1/prices", data={"product": prod, "currency": "usd",
                                             "unit_amount": "500"}).json()["id"]  # fmt: skip
    cus = http.post("/v1/customers", data={"name": "T", "payment_method": "pm_card_visa"}).json()
    made = http.post("/v1/subscriptions", data={
        "customer": cus["id"],
        "items[0][price_data][currency]": "usd",
        "items[0][price_data][product]": prod,
        "items[0][price_data][unit_amount]": "1000",
        "items[0][price_data][recurring][interval]": "month",
        "items[0][tax_rates][0]": vat,
        "add_invoice_items[0][price]": one_time,
        "add_invoice_items[0][tax_rates][0]": gst,
    })  # fmt: skip
    assert made.status_code == 200, made.text
    sub = made.json()
    (item,) = sub["items"]["data"]
    assert [r["id"] for r in item["tax_rates"]] == [vat]
    invoice = http.get(f"/v1/invoices/{sub['latest_invoice']}").json()
    taxes = sorted((t["tax_rate"], t["amount"]) for t in invoice["total_tax_amounts"])
    assert taxes == sorted([(vat, 200), (gst, 50)])
    changed = http.post(f"/v1/subscriptions/{sub['id']}", data={
        "items[0][id]": item["id"], "items[0][tax_rates][0]": gst, "proration_behavior": "none",
    })  # fmt: skip
    assert changed.status_code == 200, changed.text
    assert [r["id"] for r in changed.json()["items"]["data"][0]["tax_rates"]] == [gst]
    checked_ledger()
