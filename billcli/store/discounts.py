"""Coupons and discounts."""

from __future__ import annotations

from typing import TYPE_CHECKING

from billcli.core.pagination import PageRequest
from billcli.store.mapping import Mapper, Table
from billcli.store.pages import fetch_page

if TYPE_CHECKING:
    from billcli.core.records.discounts import Coupon, Discount

RECORDS = "billcli.core.records.discounts"
COUPONS = Mapper["Coupon"](RECORDS, "Coupon", "coupons")
DISCOUNTS = Mapper["Discount"](RECORDS, "Discount", "discounts")


class Coupons(Table["Coupon"]):
    mapper = COUPONS

    def page(self, request: PageRequest) -> tuple[list[Coupon], bool]:
        return fetch_page(
            self.conn, COUPONS, kind="coupon", where="deleted = 0", params=[], request=request
        )


class Discounts(Table["Discount"]):
    mapper = DISCOUNTS
    owner = "customer"

    def of_invoice(self, invoice_id: str) -> Discount | None:
        """The discount made for one invoice (`invoices create --coupon`)."""
        return DISCOUNTS.find(self.conn, "invoice", invoice_id)
