"""Bad input about test clocks: one line naming the parameter, the contract's exit code,
and the ledger left as it was. Mixing objects of two clocks is refused as Stripe
refuses it."""

from __future__ import annotations

import os
import socket
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from tests.conftest import ledger_digest, raw_connection

CLOCK = "clock_" + "0" * 24  # well formed, never created


@pytest.fixture
def world(
    ok: Callable[..., Any],
    new_clock: Callable[..., str],
    clock_customer: Callable[..., str],
    catalog: dict[str, str],
    ledger_path: Path,
) -> dict[str, str]:
    """Two clocks with a customer each, and a customer on the ledger clock; each
    customer with a pending item, a draft, a subscription and a card."""
    x, y = new_clock(name="x"), new_clock("2021-06-01", name="y")
    ada, bob = clock_customer(x, "Ada"), clock_customer(y, "Bob")
    lee = ok("customers", "create", "--name", "Lee", "--payment-method", "pm_card_visa")["id"]
    made = {"{x}": x, "{y}": y, "{ada}": ada, "{bob}": bob, "{lee}": lee}
    for key, customer in (("ada", ada), ("bob", bob), ("lee", lee)):
        ok("invoices", "items", "create", "--customer", customer, "--amount", "700")
        made[f"{{{key}_draft}}"] = ok("invoices", "create", "--customer", customer)["id"]
        sub = ok("subscriptions", "create", "--customer", customer, "--price", catalog["monthly"])
        made[f"{{{key}_sub}}"] = sub["id"]
        card = ok("payment-methods", "list", "--customer", customer)["data"][0]["id"]
        made[f"{{{key}_card}}"] = card
    return made


MIXED = "objects of two clocks never mix"
ATTACHED = "must be attached to the customer"
MIXING = [
    # (args, fragment of stderr): the clocks' rule, or Stripe's own that comes first
    (["invoices", "items", "create", "--customer", "{ada}", "--amount", "100",
      "--invoice", "{bob_draft}"], MIXED),
    (["invoices", "items", "create", "--customer", "{lee}", "--amount", "100",
      "--invoice", "{ada_draft}"], MIXED),
    (["invoices", "upcoming", "--customer", "{ada}", "--subscription", "{bob_sub}"], MIXED),
    (["invoices", "upcoming", "--customer", "{lee}", "--subscription", "{ada_sub}"], MIXED),
    (["portal", "sessions", "create", "--customer", "{bob}", "--flow", "subscription_cancel",
      "--flow-subscription", "{ada_sub}"], "is not a current subscription of"),
    (["subscriptions", "create", "--customer", "{bob}", "--price", "{monthly}",
      "--default-payment-method", "{ada_card}"], ATTACHED),
    (["customers", "update", "{ada}", "--default-payment-method", "{lee_card}"], ATTACHED),
]  # fmt: skip


@pytest.mark.parametrize(("args", "fragment"), MIXING, ids=lambda a: str(a)[:50])
def test_objects_of_two_clocks_never_mix(
    billcli: Callable[..., Any],
    world: dict[str, str],
    catalog: dict[str, str],
    ledger_path: Path,
    args: list[str],
    fragment: str,
) -> None:
    ok_ = billcli("portal", "configurations", "create", "--subscription-cancel")
    assert ok_.code == 0, ok_.err
    line = [_filled(a, world | {"{monthly}": catalog["monthly"]}) for a in args]
    before = ledger_digest(ledger_path)
    done = billcli(*line)
    assert done.code == 1, done.err
    assert fragment in done.err
    assert len(done.err.strip().splitlines()) == 1
    assert ledger_digest(ledger_path) == before


def _filled(arg: str, values: dict[str, str]) -> str:
    for placeholder, value in values.items():
        arg = arg.replace(placeholder, value)
    return arg


BAD = [
    # (args, exit code, fragment of stderr)
    (["clocks", "advance", "{x}", "--to", "2020-01-01"], 1, "only moves forward"),
    (["clocks", "advance", "{x}", "--to", "2020-01-31T12:00:00Z"], 1, "only moves forward"),
    (["clocks", "advance", "{x}", "--by", "0s"], 1, "only moves forward"),
    (["clocks", "advance", "{x}", "--by", "-3d"], 1, "Invalid by"),
    (["clocks", "advance", "{x}", "--to", "9999-06-01"], 1, "outside the times billcli"),
    (["clocks", "advance", "{x}", "--to", "next week"], 1, "Invalid to"),
    (["clocks", "advance", "{x}"], 1, "give --to or --by"),
    (["clocks", "advance", "{x}", "--by", "1d", "--to", "2021-01-01"], 1, "give --to or --by"),
    (["clocks", "advance", CLOCK, "--by", "1d"], 6, "No such test clock"),
    (["clocks", "advance", "cus_123", "--by", "1d"], 1, "not a test clock id"),
    (["clocks", "show", CLOCK], 6, "No such test clock"),
    (["clocks", "delete", CLOCK], 6, "No such test clock"),
    (["clocks", "create", "--frozen-time", "-5"], 1, "outside the times billcli"),
    (["clocks", "create", "--frozen-time", "yesterday"], 1, "Invalid frozen_time"),
    (["clocks", "create", "--frozen-time", "2020-01-01", "--name", "n" * 301], 1, "at most 300"),
    (["customers", "create", "--clock", CLOCK], 6, "No such test clock"),
    (["customers", "list", "--clock", CLOCK], 6, "No such test clock"),
    (["subscriptions", "list", "--clock", CLOCK], 6, "No such test clock"),
    (["customers", "update", "{lee}", "--clock", "{x}"], 1, "only when it is created"),
    (["customers", "update", "{ada}", "--clock", "{y}"], 1, "only when it is created"),
]


@pytest.mark.parametrize(("args", "code", "fragment"), BAD, ids=lambda v: str(v)[:60])
def test_bad_clock_input_is_refused_in_one_line_and_changes_nothing(
    billcli: Callable[..., Any],
    world: dict[str, str],
    ledger_path: Path,
    args: list[str],
    code: int,
    fragment: str,
) -> None:
    line = [_filled(a, world) for a in args]
    before = ledger_digest(ledger_path)
    done = billcli(*line)
    assert done.code == code, done.err
    assert fragment in done.err
    assert len(done.err.strip().splitlines()) == 1
    assert ledger_digest(ledger_path) == before


def _advancing(ledger: Path, clock: str, by: str) -> None:
    """The clock as an advance running elsewhere leaves it (claimed by `by`)."""
    conn = raw_connection(ledger)
    conn.execute(
        "UPDATE test_clocks SET status = 'advancing', target_frozen_time = frozen_time + 86400, "
        "advanced_by = ?, lease_until = 1e12 WHERE id = ?",
        [by, clock],
    )
    conn.commit()
    conn.close()


def test_a_clock_an_advance_holds_can_be_neither_deleted_nor_advanced(
    billcli: Callable[..., Any], world: dict[str, str], ledger_path: Path
) -> None:
    """Held by this very process, alive: the claim stands (a process on another host
    would hold it until its lease lapses)."""
    _advancing(ledger_path, world["{x}"], f"{socket.gethostname()}:{os.getpid()}")
    before = ledger_digest(ledger_path)
    for line in (
        ["clocks", "delete", world["{x}"]],
        ["clocks", "advance", world["{x}"], "--by", "1d"],
    ):
        done = billcli(*line)
        assert (done.code, len(done.err.strip().splitlines())) == (1, 1), done.err
        assert "is advancing" in done.err
    assert ledger_digest(ledger_path) == before


def test_a_clock_that_failed_to_advance_cannot_advance_again(
    billcli: Callable[..., Any], world: dict[str, str], ledger_path: Path
) -> None:
    conn = raw_connection(ledger_path)
    conn.execute("UPDATE test_clocks SET status = 'internal_failure' WHERE id = ?", [world["{x}"]])
    conn.commit()
    conn.close()
    before = ledger_digest(ledger_path)
    done = billcli("clocks", "advance", world["{x}"], "--by", "1d")
    assert done.code == 1 and "internal_failure" in done.err
    assert ledger_digest(ledger_path) == before
