"""Property tests: any sequence of balance operations keeps every ledger invariant."""

import tempfile
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from billcli.core.pagination import PageRequest, walk
from billcli.services.customers import balance, balance_import, customers
from billcli.services.customers.balance import AdjustmentInput
from billcli.services.customers.customers import CustomerInput
from billcli.services.queries.check import check
from billcli.store.ledger import Ledger

amounts = st.integers(-50_000, 50_000).filter(lambda a: a != 0)
operations = st.lists(
    st.one_of(
        st.tuples(st.just("create"), st.integers(0, 2), amounts),
        st.tuples(
            st.just("import"),
            st.lists(st.tuples(st.integers(0, 2), amounts), min_size=1, max_size=6),
        ),
        st.tuples(st.just("describe"), st.integers(0, 2), st.text(max_size=20)),
        st.tuples(st.just("set_balance"), st.integers(0, 2), st.integers(-99_999, 99_999)),
    ),
    max_size=12,
)


def all_transactions(ledger, customer_id, limit, backwards):
    if backwards:
        newest = balance.list_transactions(ledger, customer_id, PageRequest(100)).data
        if not newest:
            return []
        oldest = newest[-1]["id"]
        pages = walk(
            lambda r: balance.list_transactions(ledger, customer_id, r),
            PageRequest(limit, ending_before=oldest),
        )
        return [oldest] + [t["id"] for p in pages for t in reversed(p.data)]
    pages = walk(lambda r: balance.list_transactions(ledger, customer_id, r), PageRequest(limit))
    return [t["id"] for p in pages for t in p.data]


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(ops=operations, limit=st.integers(1, 4))
def test_balances_chains_and_pagination_survive_any_sequence(ops, limit):
    with tempfile.TemporaryDirectory() as folder, Ledger(Path(folder) / "l.db") as ledger:
        ids = [customers.create(ledger, CustomerInput(currency="usd"))["id"] for _ in range(3)]
        expected = [0, 0, 0]
        for op in ops:
            if op[0] == "create":
                _, who, amount = op
                balance.create(ledger, AdjustmentInput(ids[who], str(amount)))
                expected[who] += amount
            elif op[0] == "import":
                file = Path(folder) / "rows.csv"
                file.write_text(
                    "customer,amount\n" + "".join(f"{ids[who]},{amount}\n" for who, amount in op[1])
                )
                balance_import.import_file(ledger, file)
                for who, amount in op[1]:
                    expected[who] += amount
            elif op[0] == "describe":
                _, who, text = op
                txns = balance.list_transactions(ledger, ids[who], PageRequest(1)).data
                if txns:
                    balance.update(ledger, ids[who], txns[0]["id"], description=text, metadata=())
            else:
                _, who, target = op
                customers.update(ledger, ids[who], CustomerInput(balance=str(target)))
                expected[who] = target
        assert check(ledger) == []
        for who, customer_id in enumerate(ids):
            assert customers.show(ledger, customer_id)["balance"] == expected[who]
            forward = all_transactions(ledger, customer_id, limit, backwards=False)
            backward = all_transactions(ledger, customer_id, limit, backwards=True)
            assert len(forward) == len(set(forward))
            assert backward[::-1] == forward or (not forward and not backward)
