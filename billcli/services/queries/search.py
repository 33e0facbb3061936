"""Search: a query in Stripe's language, one page of matching objects, newest first.

`next_page` is a token naming where the next page starts, for this query on this
ledger only: it carries a hash of the query and is signed with the ledger's own key,
so a token of another query, or one altered by hand, is refused rather than read.
Search only reads; it is as fresh as the last write (no indexing lag, unlike Stripe).
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
from collections.abc import Callable, Iterator
from typing import Any

from billcli.core import catalog_objects
from billcli.core.pagination import MAX_LIMIT, Page
from billcli.core.search import parse
from billcli.errors import InvalidRequest
from billcli.store.ledger import Ledger, Tx

PAGE_KEY = "search.page_key"
URLS = {
    "customer": "/v1/customers/search",
    "invoice": "/v1/invoices/search",
    "subscription": "/v1/subscriptions/search",
    "price": "/v1/prices/search",
    "product": "/v1/products/search",
    "charge": "/v1/charges/search",
    "payment_intent": "/v1/payment_intents/search",
}


def _serializer(resource: str) -> Callable[[Tx, Any], dict[str, Any]]:
    """The one function that prints each resource, as every other command prints it."""
    if resource == "customer":
        # startup: a search loads only its own resource's serializer
        from billcli.services.discounts.applicable import customer_object

        return customer_object
    if resource == "invoice":
        # startup: a search loads only its own resource's serializer
        from billcli.services.invoicing.objects import invoice_object

        return invoice_object
    if resource == "subscription":
        # startup: a search loads only its own resource's serializer
        from billcli.services.subscriptions.records import subscription_object

        return subscription_object
    if resource in ("charge", "payment_intent"):
        # startup: a search loads only its own resource's serializer
        from billcli.services.payments.objects import charge_object, intent_object

        return charge_object if resource == "charge" else intent_object
    if resource == "price":
        return lambda _, price: catalog_objects.price(price)
    return lambda _, product: catalog_objects.product(product)


def search(
    ledger: Ledger, resource: str, query: str, *, limit: int = 10, page: str | None = None
) -> Page:
    """One page of `resource` objects matching `query`."""
    # startup: a search loads only its own resource's serializer
    from billcli.store.search import search as run

    if not 1 <= limit <= MAX_LIMIT:
        raise InvalidRequest(
            f"Invalid limit: {limit} (it must be between 1 and {MAX_LIMIT})", param="limit"
        )
    parsed = parse(query, resource)
    show = _serializer(resource)
    with ledger.read() as tx:
        key = _key(tx)
        after = None if page is None else _read_token(page, key, resource, query)
        records, has_more, edge = run(tx.conn, resource, parsed, limit, after)
        data = [show(tx, record) for record in records]
    token = None if edge is None else _token(key, resource, query, edge)
    return Page(URLS[resource], data, has_more, next_page=token, object_type="search_result")


def pages(
    ledger: Ledger, resource: str, query: str, *, limit: int, page: str | None
) -> Iterator[Page]:
    """Every page from `page` on, one at a time (`--all` in constant memory)."""
    while True:
        found = search(ledger, resource, query, limit=limit, page=page)
        yield found
        if found.next_page is None:
            return
        page = found.next_page


def _key(tx: Tx) -> bytes:
    value = tx.meta.get(PAGE_KEY)
    assert value is not None, "migration 8 stores the page key"
    return bytes.fromhex(value)


def _fingerprint(resource: str, query: str) -> str:
    return hashlib.sha256(f"{resource}\0{query}".encode()).hexdigest()[:16]


def _sign(key: bytes, body: bytes) -> str:
    return hmac.new(key, body, hashlib.sha256).hexdigest()[:32]


def _token(key: bytes, resource: str, query: str, edge: tuple[int, int]) -> str:
    body = json.dumps([_fingerprint(resource, query), *edge], separators=(",", ":")).encode()
    return base64.urlsafe_b64encode(body).decode().rstrip("=") + "." + _sign(key, body)


def _read_token(token: str, key: bytes, resource: str, query: str) -> tuple[int, int]:
    """Where a page starts, from a token this ledger made for this very query."""
    encoded, _, signature = token.partition(".")
    fingerprint: Any = None
    created: Any = None
    seq: Any = None
    try:
        body = base64.urlsafe_b64decode(encoded + "=" * (-len(encoded) % 4))
        valid = hmac.compare_digest(_sign(key, body), signature)
        if valid:
            fingerprint, created, seq = json.loads(body)
    except (ValueError, TypeError):
        valid = False
    if not valid or not isinstance(created, int) or not isinstance(seq, int):
        raise InvalidRequest(
            "Invalid page: not a next_page token of this ledger (it was altered, or comes "
            "from elsewhere)",
            param="page",
        )
    if fingerprint != _fingerprint(resource, query):
        raise InvalidRequest(
            "Invalid page: this token belongs to another query; page with the query that gave it",
            param="page",
        )
    return created, seq
