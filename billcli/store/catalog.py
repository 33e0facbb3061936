"""Products and prices."""

from __future__ import annotations

from typing import TYPE_CHECKING

from billcli.core.pagination import PageRequest
from billcli.store.mapping import Mapper, Table
from billcli.store.pages import fetch_page

if TYPE_CHECKING:
    from billcli.core.records.catalog import Price, Product

RECORDS = "billcli.core.records.catalog"
PRODUCTS = Mapper["Product"](RECORDS, "Product", "products")
PRICES = Mapper["Price"](RECORDS, "Price", "prices")


class Products(Table["Product"]):
    mapper = PRODUCTS

    def page(
        self,
        request: PageRequest,
        *,
        active: bool | None = None,
        ids: tuple[str, ...] = (),
        shippable: bool | None = None,
        url: str | None = None,
    ) -> tuple[list[Product], bool]:
        where, params = "deleted = 0", []
        for column, value in (("active", active), ("shippable", shippable), ("url", url)):
            if value is not None:
                where += f" AND {column} = ?"
                params.append(int(value) if isinstance(value, bool) else value)
        if ids:
            where += f" AND id IN ({', '.join('?' * len(ids))})"
            params += ids
        return fetch_page(
            self.conn, PRODUCTS, kind="product", where=where, params=params, request=request
        )


class Prices(Table["Price"]):
    mapper = PRICES

    def by_lookup_key(self, key: str) -> Price | None:
        return PRICES.find(self.conn, "lookup_key", key)

    def count_of_product(self, product_id: str) -> int:
        row = self.conn.execute("SELECT count(*) FROM prices WHERE product = ?", [product_id])
        return int(row.fetchone()[0])

    def page(
        self,
        request: PageRequest,
        *,
        product: str | None = None,
        active: bool | None = None,
        type_: str | None = None,
        lookup_keys: tuple[str, ...] = (),
        currency: str | None = None,
        interval: str | None = None,
    ) -> tuple[list[Price], bool]:
        clauses, params = ["TRUE"], []
        given = (
            ("product", product),
            ("active", active),
            ("type", type_),
            ("currency", currency),
            ("interval", interval),
        )
        for column, value in given:
            if value is not None:
                clauses.append(f"{column} = ?")
                params.append(int(value) if isinstance(value, bool) else value)
        if lookup_keys:
            clauses.append(f"lookup_key IN ({', '.join('?' * len(lookup_keys))})")
            params += lookup_keys
        return fetch_page(
            self.conn,
            PRICES,
            kind="price",
            where=" AND ".join(clauses),
            params=params,
            request=request,
        )
