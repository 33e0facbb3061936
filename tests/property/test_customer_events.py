"""The `customer.updated` event of a balance change is the same however it is built."""

from dataclasses import replace
from types import SimpleNamespace

from hypothesis import given
from hypothesis import strategies as st

from billcli.core.records import Customer
from billcli.services.ledger.events import balance_changed, customer_updated

currencies = st.sampled_from([None, "usd", "eur", "jpy"])
balances = st.integers(-99_999_999, 99_999_999)


@given(balances, currencies, balances, currencies)
def test_a_balance_change_event_equals_the_whole_object_comparison(
    balance, currency, new_balance, new_currency
):
    before = Customer(
        id="cus_A", created=1, name="Ada", balance=balance, currency=currency, metadata={"k": "v"}
    )
    after = replace(before, balance=new_balance, currency=new_currency)
    tx = SimpleNamespace(now=5)
    quick, whole = balance_changed(tx, before, after), customer_updated(tx, before, after)
    if whole is None:
        assert quick is None
        return
    assert quick is not None
    assert (quick.type, quick.object, quick.previous_attributes) == (
        whole.type,
        whole.object,
        whole.previous_attributes,
    )
    assert quick.previous_attributes
