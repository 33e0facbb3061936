"""`billcli customers tax-ids`: the same tax IDs as the API's, with one-line errors and
the contract's exit codes (1 a bad value, 6 a missing id), nothing written on a refusal,
and TAB completing types and the customer's `txi_` ids."""

from __future__ import annotations

import shutil
import sqlite3
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from tests.cli.test_completions import bash_complete
from tests.conftest import Result, ledger_digest


def test_add_list_show_and_delete_a_customers_tax_id(
    ok: Callable[..., Any],
    billcli: Callable[..., Result],
    assert_valid: Callable[..., None],
    checked_ledger: Callable[[], None],
) -> None:
    cus = ok("customers", "create", "--name", "Hans")["id"]
    made = ok("customers", "tax-ids", "add", cus, "--type", "eu_vat", "--value", "DE123456710")
    assert_valid(made)
    assert (made["country"], made["verification"]["status"]) == ("DE", "unverified")
    listed = ok("customers", "tax-ids", "list", cus)
    assert [t["id"] for t in listed["data"]] == [made["id"]]
    assert ok("customers", "tax-ids", "show", cus, made["id"]) == made
    table = billcli("customers", "tax-ids", "list", cus)
    assert table.code == 0
    assert "DE123456710" in table.out and "unverified" in table.out
    gone = ok("customers", "tax-ids", "delete", cus, made["id"])
    assert gone == {"id": made["id"], "object": "tax_id", "deleted": True}
    missing = billcli("customers", "tax-ids", "show", cus, made["id"])
    assert missing.code == 6
    assert missing.err.strip().splitlines() == [
        f"error: No such tax ID: '{made['id']}'; see `billcli customers tax-ids list CUSTOMER`"
    ]
    checked_ledger()


@pytest.mark.parametrize(
    ("args", "named"),
    [
        (("--type", "us_ein", "--value", "123456789"), "us_ein"),
        (("--type", "vat", "--value", "DE123456789"), "type"),
    ],
)
def test_a_refused_tax_id_is_one_line_exit_1_and_writes_nothing(
    ok: Callable[..., Any],
    billcli: Callable[..., Result],
    ledger_path: Path,
    checked_ledger: Callable[[], None],
    args: tuple[str, ...],
    named: str,
) -> None:
    cus = ok("customers", "create", "--name", "Hans")["id"]
    before = ledger_digest(ledger_path)
    refused = billcli("customers", "tax-ids", "add", cus, *args)
    assert refused.code == 1
    lines = refused.err.strip().splitlines()
    assert len(lines) == 1 and named in lines[0] and "Traceback" not in refused.err
    assert ledger_digest(ledger_path) == before
    checked_ledger()


def test_a_malformed_tax_id_is_a_bad_value_and_an_unknown_customer_is_missing(
    ok: Callable[..., Any], billcli: Callable[..., Result]
) -> None:
    cus = ok("customers", "create", "--name", "Hans")["id"]
    assert billcli("customers", "tax-ids", "show", cus, "txi_no!").code == 1
    unknown = "cus_000000000000000000000000"
    assert billcli("customers", "tax-ids", "list", unknown).code == 6


@pytest.mark.skipif(shutil.which("bash") is None, reason="bash is not installed")
def test_tab_completes_tax_id_types_and_the_customers_own_tax_ids(
    tmp_path: Path, ledger_path: Path, ok: Callable[..., Any]
) -> None:
    hans = ok("customers", "create", "--name", "Hans")["id"]
    other = ok("customers", "create", "--name", "Other")["id"]
    vat = ok("customers", "tax-ids", "add", hans, "--type", "eu_vat", "--value", "DE123456789")
    ok("customers", "tax-ids", "add", other, "--type", "gb_vat", "--value", "GB123456789")
    line = f"billcli customers tax-ids add {hans} --type eu_"
    assert bash_complete(tmp_path, ledger_path, line) == ["eu_oss_vat", "eu_vat"]
    line = f"billcli customers tax-ids show {hans} txi_"
    assert bash_complete(tmp_path, ledger_path, line) == [vat["id"]]


@pytest.mark.sqlite_only("tampers with the SQLite file to make what billcli never writes")
def test_ledger_check_names_a_customer_over_the_limit_and_a_tax_id_without_its_customer(
    ok: Callable[..., Any], billcli: Callable[..., Result], ledger_path: Path
) -> None:
    cus = ok("customers", "create", "--name", "Hans")["id"]
    for n in range(25):
        ok("customers", "tax-ids", "add", cus, "--type", "us_ein", "--value", f"12-{n:07d}")
    assert ok("ledger", "check")["ok"] is True

    def tamper(tax_id: str, customer: str, type_: str = "us_ein") -> set[tuple[str, str]]:
        conn = sqlite3.connect(ledger_path)
        conn.execute(
            "INSERT INTO tax_ids (id, customer, created, type, value, country, "
            "verification_status) VALUES (?, ?, 0, ?, '12-3456789', 'US', 'unavailable')",
            [tax_id, customer, type_],
        )
        conn.commit()
        conn.close()
        checked = billcli("ledger", "check", "--json")
        assert checked.code == 1
        return {(p["object"], p["message"]) for p in checked.json["problems"]}

    extra = "txi_000000000000000000000extra"
    assert tamper(extra, cus, "xx_tin") == {
        (cus, "it holds 26 tax IDs, more than 25"),
        (extra, "its type xx_tin is unknown"),
    }
    orphan = tamper("txi_00000000000000000000orphan", "cus_000000000000000000000gone")
    assert orphan == {("ledger file", "tax_ids row 27 refers to a missing customers row")}
