"""Customer tax IDs, from Stripe's reference (`/v1/customers/{customer}/tax_ids`) and its
tax ID guide: a value must fit its type's format (`tax_id_invalid`), the country comes
from the type (an EU VAT number's from its prefix), the documented test values settle
verification, a customer holds at most 25, a deletion answers `deleted: true`, and the
customer's invoices carry the tax IDs they had when finalized."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import httpx2 as httpx
import pytest

from tests.conftest import ledger_digest


def _customer(http: httpx.Client, **data: str) -> str:
    return str(http.post("/v1/customers", data={"name": "Hans", **data}).json()["id"])


def _add(http: httpx.Client, cus: str, type_: str, value: str) -> httpx.Response:
    return http.post(f"/v1/customers/{cus}/tax_ids", data={"type": type_, "value": value})


@pytest.mark.parametrize(
    ("value", "status"),
    [("DE123456789", "verified"), ("DE123456710", "unverified"), ("DE111111111", "unavailable")],
)
def test_an_eu_vat_number_is_verified_at_once_by_stripes_test_values(
    http: httpx.Client,
    ok: Callable[..., Any],
    assert_valid: Callable[..., None],
    checked_ledger: Callable[[], None],
    value: str,
    status: str,
) -> None:
    ok("invoices", "tick", "--to", "2027-01-31T12:00:00Z")  # one instant for both objects
    cus = _customer(http)
    made = _add(http, cus, "eu_vat", value).json()
    assert_valid(made)
    assert made["id"].startswith("txi_")
    assert (made["type"], made["value"], made["country"], made["customer"]) == (
        "eu_vat",
        value,
        "DE",
        cus,
    )
    assert made["verification"] == {
        "status": status,
        "verified_address": None,
        "verified_name": None,
    }
    assert (made["livemode"], made["owner"]) == (False, {"type": "customer", "customer": cus})
    assert made["created"] == http.get(f"/v1/customers/{cus}").json()["created"]
    assert http.get(f"/v1/customers/{cus}/tax_ids/{made['id']}").json() == made
    checked_ledger()


@pytest.mark.parametrize(
    ("type_", "value", "country"),
    [
        ("eu_vat", "FRAB123456789", "FR"),
        ("eu_vat", "EL123456789", "GR"),  # Greece's VAT prefix
        ("gb_vat", "GB123456789", "GB"),
        ("us_ein", "12-3456789", "US"),
        ("au_abn", "12345678912", "AU"),
        ("ca_bn", "123456789", "CA"),
        ("ch_vat", "CHE-123.456.789 MWST", "CH"),
        ("no_vat", "123456789MVA", "NO"),
        ("in_gst", "12ABCDE3456FGZH", "IN"),
        ("jp_cn", "1234567891234", "JP"),
        ("br_cnpj", "01.234.456/5432-10", "BR"),
    ],
)
def test_each_type_takes_its_documented_format_and_names_its_country(
    http: httpx.Client,
    assert_valid: Callable[..., None],
    type_: str,
    value: str,
    country: str,
) -> None:
    made = _add(http, _customer(http), type_, value).json()
    assert_valid(made)
    assert (made["type"], made["value"], made["country"]) == (type_, value, country)


def test_a_type_without_a_registry_is_unavailable_never_pending(http: httpx.Client) -> None:
    made = _add(http, _customer(http), "us_ein", "12-3456789").json()
    assert made["verification"]["status"] == "unavailable"


@pytest.mark.parametrize(
    ("type_", "value", "param"),
    [
        ("eu_vat", "DE12345", "value"),  # a German VAT number has nine digits
        ("eu_vat", "US123456789", "value"),  # no EU country's prefix
        ("us_ein", "123456789", "value"),  # the dash is part of the format
        ("gb_vat", "DE123456789", "value"),
        ("xx_tin", "123", "type"),
    ],
)
def test_a_value_out_of_its_format_or_an_unknown_type_is_tax_id_invalid_and_writes_nothing(
    http: httpx.Client,
    ledger_path: Path,
    checked_ledger: Callable[[], None],
    type_: str,
    value: str,
    param: str,
) -> None:
    cus = _customer(http)
    before = ledger_digest(ledger_path)
    refused = _add(http, cus, type_, value)
    error = refused.json()["error"]
    assert (refused.status_code, error["type"], error["code"], error["param"]) == (
        400,
        "invalid_request_error",
        "tax_id_invalid",
        param,
    )
    assert ledger_digest(ledger_path) == before
    checked_ledger()


def test_a_customer_holds_at_most_twenty_five_tax_ids(
    http: httpx.Client, ledger_path: Path, checked_ledger: Callable[[], None]
) -> None:
    cus = _customer(http)
    for n in range(25):
        assert _add(http, cus, "us_ein", f"12-{n:07d}").status_code == 200
    before = ledger_digest(ledger_path)
    refused = _add(http, cus, "us_ein", "12-9999999")
    assert (refused.status_code, refused.json()["error"]["code"]) == (400, "tax_id_invalid")
    assert ledger_digest(ledger_path) == before
    checked_ledger()


def test_tax_ids_list_newest_first_and_page_by_cursor(http: httpx.Client) -> None:
    cus = _customer(http)
    made = [_add(http, cus, "us_ein", f"12-000000{n}").json()["id"] for n in range(3)]
    first = http.get(f"/v1/customers/{cus}/tax_ids", params={"limit": 2}).json()
    assert (first["url"], first["has_more"]) == (f"/v1/customers/{cus}/tax_ids", True)
    assert [t["id"] for t in first["data"]] == [made[2], made[1]]
    rest = http.get(
        f"/v1/customers/{cus}/tax_ids", params={"limit": 2, "starting_after": made[1]}
    ).json()
    assert ([t["id"] for t in rest["data"]], rest["has_more"]) == ([made[0]], False)


def test_a_deleted_tax_id_answers_deleted_and_is_then_missing(
    http: httpx.Client,
    assert_valid: Callable[..., None],
    checked_ledger: Callable[[], None],
    events: Callable[..., list[dict[str, Any]]],
) -> None:
    cus = _customer(http)
    made = _add(http, cus, "eu_vat", "DE123456789").json()
    gone = http.delete(f"/v1/customers/{cus}/tax_ids/{made['id']}").json()
    assert_valid(gone)
    assert gone == {"id": made["id"], "object": "tax_id", "deleted": True}
    missing = http.get(f"/v1/customers/{cus}/tax_ids/{made['id']}")
    assert (missing.status_code, missing.json()["error"]["code"]) == (404, "resource_missing")
    assert http.get(f"/v1/customers/{cus}/tax_ids").json()["data"] == []
    assert [e["data"]["object"]["id"] for e in events("customer.tax_id.created")] == [made["id"]]
    assert [e["data"]["object"]["id"] for e in events("customer.tax_id.deleted")] == [made["id"]]
    checked_ledger()


def test_another_customers_tax_id_and_a_deleted_customers_are_missing(
    http: httpx.Client, checked_ledger: Callable[[], None]
) -> None:
    owner, other = _customer(http), _customer(http)
    made = _add(http, owner, "gb_vat", "GB123456789").json()["id"]
    assert http.get(f"/v1/customers/{other}/tax_ids/{made}").status_code == 404
    assert http.delete(f"/v1/customers/{other}/tax_ids/{made}").status_code == 404
    http.delete(f"/v1/customers/{owner}")
    for answer in (
        http.get(f"/v1/customers/{owner}/tax_ids/{made}"),
        http.get(f"/v1/customers/{owner}/tax_ids"),
        _add(http, owner, "gb_vat", "GB123456789"),
    ):
        assert (answer.status_code, answer.json()["error"]["param"]) == (404, "customer")
    checked_ledger()


def test_tax_id_data_makes_the_tax_ids_with_the_customer_or_nothing(
    http: httpx.Client, ledger_path: Path, checked_ledger: Callable[[], None]
) -> None:
    made = http.post(
        "/v1/customers",
        data={
            "name": "Hans",
            "tax_id_data[0][type]": "eu_vat",
            "tax_id_data[0][value]": "DE123456789",
            "tax_id_data[1][type]": "us_ein",
            "tax_id_data[1][value]": "12-3456789",
        },
    ).json()
    listed = http.get(f"/v1/customers/{made['id']}/tax_ids").json()["data"]
    assert [(t["type"], t["value"]) for t in listed] == [
        ("us_ein", "12-3456789"),
        ("eu_vat", "DE123456789"),
    ]
    assert "tax_ids" not in made  # shown only when expanded, as in Stripe
    expanded = http.get(f"/v1/customers/{made['id']}", params={"expand[]": "tax_ids"}).json()
    assert [t["id"] for t in expanded["tax_ids"]["data"]] == [t["id"] for t in listed]
    before = ledger_digest(ledger_path)
    refused = http.post(
        "/v1/customers",
        data={
            "tax_id_data[0][type]": "eu_vat",
            "tax_id_data[0][value]": "DE123456789",
            "tax_id_data[1][type]": "eu_vat",
            "tax_id_data[1][value]": "DE1",
        },
    )
    error = refused.json()["error"]
    assert (refused.status_code, error["code"], error["param"]) == (
        400,
        "tax_id_invalid",
        "tax_id_data[1][value]",
    )
    assert ledger_digest(ledger_path) == before
    checked_ledger()


def test_an_invoice_keeps_the_tax_ids_its_customer_had_when_finalized(
    http: httpx.Client, assert_valid: Callable[..., None], checked_ledger: Callable[[], None]
) -> None:
    cus = _customer(http)
    vat = _add(http, cus, "eu_vat", "DE123456789").json()
    http.post("/v1/invoiceitems", data={"customer": cus, "amount": "1000", "currency": "eur"})
    draft = http.post(
        "/v1/invoices",
        data={"customer": cus, "collection_method": "send_invoice", "days_until_due": "30"},
    ).json()
    assert draft["customer_tax_ids"] == [{"type": "eu_vat", "value": "DE123456789"}]
    finalized = http.post(f"/v1/invoices/{draft['id']}/finalize").json()
    http.delete(f"/v1/customers/{cus}/tax_ids/{vat['id']}")
    shown = http.get(f"/v1/invoices/{finalized['id']}").json()
    assert_valid(shown)
    assert shown["customer_tax_ids"] == [{"type": "eu_vat", "value": "DE123456789"}]
    checked_ledger()


def test_stripe_python_creates_lists_retrieves_and_deletes_tax_ids(
    stripe: Any, checked_ledger: Callable[[], None]
) -> None:
    cus = stripe.Customer.create(name="Hans").id
    made = stripe.Customer.create_tax_id(cus, type="au_abn", value="12345678913")
    assert (made.country, made.verification.status) == ("AU", "unverified")
    assert [t.id for t in stripe.Customer.list_tax_ids(cus).data] == [made.id]
    assert stripe.Customer.retrieve_tax_id(cus, made.id).value == "12345678913"
    assert stripe.Customer.delete_tax_id(cus, made.id).deleted is True
    with pytest.raises(stripe.InvalidRequestError) as invalid:
        stripe.Customer.create_tax_id(cus, type="au_abn", value="1234")
    assert (invalid.value.http_status, invalid.value.code) == (400, "tax_id_invalid")
    checked_ledger()


def test_a_tax_id_is_created_at_its_customers_test_clock_time(http: httpx.Client) -> None:
    frozen = 1_767_225_600  # 2026-01-01, far from the ledger's clock
    clock = http.post("/v1/test_helpers/test_clocks", data={"frozen_time": str(frozen)}).json()
    cus = _customer(http, test_clock=clock["id"])
    made = _add(http, cus, "gb_vat", "GB123456789").json()
    assert (made["created"], made["verification"]["status"]) == (frozen, "verified")
