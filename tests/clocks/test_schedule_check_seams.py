"""`ledger check` holds a subscription schedule to its customer's clock as it holds
invoices and subscriptions: the clock it carries (which decides whose advance looks at
it) agrees with its customer's, and it is not dated after that clock's time."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from tests.clocks.conftest import CLOCK_START, ts
from tests.conftest import raw_connection

CASES = [
    ("UPDATE subscription_schedules SET test_clock = NULL WHERE id = '{schedule}'",
     "this subscription schedule says test clock None, its customer lives on {clock}"),
    (f"UPDATE subscription_schedules SET created = {ts(CLOCK_START) + 60} "
     "WHERE id = '{schedule}'", "after its test clock {clock}"),
]  # fmt: skip


@pytest.mark.parametrize(("statement", "fragment"), CASES, ids=["clock", "created"])
def test_ledger_check_names_a_schedule_off_its_customers_clock(
    ok: Callable[..., Any],
    billcli: Callable[..., Any],
    new_clock: Callable[..., str],
    clock_customer: Callable[..., str],
    catalog: dict[str, str],
    ledger_path: Path,
    statement: str,
    fragment: str,
) -> None:
    clock = new_clock()
    ada = clock_customer(clock)
    schedule = ok("subscription-schedules", "create", "--customer", ada,
                  "--phase", f"{catalog['monthly']} iterations=2")["id"]  # fmt: skip
    assert billcli("ledger", "check").code == 0
    conn = raw_connection(ledger_path)
    conn.execute(statement.format(schedule=schedule))
    conn.commit()
    conn.close()
    done = billcli("ledger", "check", "--json")
    assert done.code == 1
    wanted = fragment.format(clock=clock)
    found = [p for p in done.json["problems"] if wanted in p["message"]]
    assert [p["object"] for p in found] == [schedule], done.json["problems"]
