"""Coupons and discounts."""

from __future__ import annotations

from typing import TYPE_CHECKING

from billcli.core.pagination import PageRequest
from billcli.store.mapping import Mapper, Table
from billcli.store.pages import fetch_page

if TYPE_CHECKING:
    from billcli.core.records.discounts import Coupon, Discount, PromotionCode

RECORDS = "billcli.core.records.discounts"
COUPONS = Mapper["Coupon"](RECORDS, "Coupon", "coupons")
DISCOUNTS = Mapper["Discount"](RECORDS, "Discount", "discounts")
PROMOTION_CODES = Mapper["PromotionCode"](RECORDS, "PromotionCode", "promotion_codes")


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

    def redemptions_of_code(self, promotion_code_id: str) -> int:
        """How many discounts the promotion code was redeemed for."""
        row = self.conn.execute(
            "SELECT count(*) FROM discounts WHERE promotion_code = ?", [promotion_code_id]
        )
        return int(row.fetchone()[0])


class PromotionCodes(Table["PromotionCode"]):
    mapper = PROMOTION_CODES

    def with_code(self, code: str) -> list[PromotionCode]:
        """The codes written `code`, whatever their case, oldest first."""
        rows = self.conn.execute(
            f"{PROMOTION_CODES.select} WHERE code = ? COLLATE NOCASE ORDER BY seq", [code]
        )
        return [PROMOTION_CODES.record(row) for row in rows]

    def page(
        self,
        request: PageRequest,
        *,
        code: str | None = None,
        coupon: str | None = None,
        customer: str | None = None,
        active: bool | None = None,
    ) -> tuple[list[PromotionCode], bool]:
        clauses: list[str] = ["TRUE"]
        params: list[str | int] = []
        if code is not None:
            clauses.append("code = ? COLLATE NOCASE")
            params.append(code)
        for column, value in (("coupon", coupon), ("customer", customer)):
            if value is not None:
                clauses.append(f"{column} = ?")
                params.append(value)
        if active is not None:
            clauses.append("active = ?")
            params.append(int(active))
        return fetch_page(
            self.conn,
            PROMOTION_CODES,
            kind="promotion_code",
            where=" AND ".join(clauses),
            params=params,
            request=request,
        )
