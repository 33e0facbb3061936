"""Finding the customer a write names: deleted customers are as good as missing."""

from __future__ import annotations

from billcli.core.ids import check_id
from billcli.core.records import Customer
from billcli.errors import NotFound
from billcli.store.ledger import Tx


def live_customer(tx: Tx, customer_id: str, *, param: str = "customer") -> Customer:
    """The customer a write may change; deleted or unknown ones are `resource_missing`."""
    check_id(customer_id, "customer", param=param)
    customer = tx.customers.get(customer_id)
    if customer is None or customer.deleted:
        raise NotFound("customer", customer_id, param=param)
    return customer
