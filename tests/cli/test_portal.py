"""`billcli portal configurations` and `portal sessions` from the command line."""

from __future__ import annotations

import sqlite3
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from tests.conftest import ledger_digest


def test_first_configuration_is_the_default_with_every_feature_shown(
    ok: Callable[..., Any], assert_valid: Callable[[dict[str, Any]], None], checked_ledger: Any
) -> None:
    config = ok("portal", "configurations", "create", "--headline", "Acme",
                "--privacy-policy-url", "https://acme.test/privacy",
                "--customer-update", "email,name,address", "--subscription-cancel",
                "--cancellation-mode", "immediately", "--cancellation-reasons",
                "unused,too_expensive", "--subscription-update-allows", "price,quantity",
                "-m", "team=billing")  # fmt: skip
    assert_valid(config)
    assert config["id"].startswith("bpc_")
    assert (config["is_default"], config["active"]) == (True, True)
    features = config["features"]
    assert features["customer_update"] == {
        "allowed_updates": ["address", "email", "name"],
        "enabled": True,
    }
    assert features["invoice_history"] == {"enabled": True}
    assert features["subscription_cancel"]["mode"] == "immediately"
    assert features["subscription_cancel"]["cancellation_reason"] == {
        "enabled": True,
        "options": ["too_expensive", "unused"],
    }
    assert features["subscription_update"]["default_allowed_updates"] == ["price", "quantity"]
    assert config["business_profile"]["privacy_policy_url"] == "https://acme.test/privacy"
    assert config["login_page"] == {"enabled": False, "url": None}
    assert config["metadata"] == {"team": "billing"}
    event = ok("events", "list", "--type", "billing_portal.configuration.created")["data"][0]
    assert event["data"]["object"] == config
    checked_ledger()


def test_default_moves_and_exactly_one_default_remains(
    ok: Callable[..., Any], checked_ledger: Any
) -> None:
    first = ok("portal", "configurations", "create")
    second = ok("portal", "configurations", "create", "--default")
    assert second["is_default"]
    assert not ok("portal", "configurations", "show", first["id"])["is_default"]
    defaults = ok("portal", "configurations", "list", "--default")["data"]
    assert [c["id"] for c in defaults] == [second["id"]]
    ok("portal", "configurations", "update", first["id"], "--default")
    defaults = ok("portal", "configurations", "list", "--default")["data"]
    assert [c["id"] for c in defaults] == [first["id"]]
    checked_ledger()


def test_the_default_cannot_be_deactivated(
    ok: Callable[..., Any], billcli: Callable[..., Any], ledger_path: Path
) -> None:
    config = ok("portal", "configurations", "create")
    before = ledger_digest(ledger_path)
    result = billcli("portal", "configurations", "update", config["id"], "--inactive", "--json")
    assert result.code == 1
    assert result.json["error"]["param"] == "active"
    assert "default configuration and cannot be deactivated" in result.err
    assert ledger_digest(ledger_path) == before


def test_update_records_previous_attributes_and_list_filters_by_active(
    ok: Callable[..., Any], checked_ledger: Any
) -> None:
    ok("portal", "configurations", "create")
    other = ok("portal", "configurations", "create", "--headline", "Old")
    updated = ok("portal", "configurations", "update", other["id"], "--inactive",
                 "--headline", "New", "--no-invoice-history")  # fmt: skip
    assert updated["active"] is False
    assert updated["business_profile"]["headline"] == "New"
    event = ok("events", "list", "--type", "billing_portal.configuration.updated")["data"][0]
    assert event["data"]["previous_attributes"]["active"] is True
    assert event["data"]["previous_attributes"]["business_profile"]["headline"] == "Old"
    inactive = ok("portal", "configurations", "list", "--inactive")["data"]
    assert [c["id"] for c in inactive] == [other["id"]]
    checked_ledger()


def test_session_uses_the_default_and_its_return_url(
    ok: Callable[..., Any], assert_valid: Callable[[dict[str, Any]], None], ledger_path: Path
) -> None:
    config = ok("portal", "configurations", "create", "--default-return-url",
                "https://acme.test/account")  # fmt: skip
    customer = ok("customers", "create", "--name", "Ada")
    session = ok("portal", "sessions", "create", "--customer", customer["id"], "--locale", "fr")
    assert_valid(session)
    assert session["configuration"] == config["id"]
    assert session["return_url"] == "https://acme.test/account"
    assert session["locale"] == "fr"
    secret = session["url"].rsplit("/", 1)[1]
    assert session["url"] == f"http://127.0.0.1:4242/p/session/{secret}"
    assert len(secret) >= 43
    event = ok("events", "list", "--type", "billing_portal.session.created")["data"][0]
    assert event["data"]["object"]["id"] == session["id"]
    dump = "\n".join(sqlite3.connect(ledger_path).iterdump())
    assert secret not in dump, "the ledger keeps only a hash of the session secret"


def test_an_update_is_checked_against_the_configuration_it_makes(
    ok: Callable[..., Any], billcli: Callable[..., Any], ledger_path: Path
) -> None:
    """create_prorations needs cancellations made at once; an update that gives only the
    proration is valid when the stored mode is already `immediately`, and refused
    (nothing written) when it is not."""
    now = ok("portal", "configurations", "create", "--cancellation-mode", "immediately")
    updated = ok("portal", "configurations", "update", now["id"],
                 "--cancellation-proration", "create_prorations")  # fmt: skip
    cancel = updated["features"]["subscription_cancel"]
    assert (cancel["mode"], cancel["proration_behavior"]) == ("immediately", "create_prorations")
    later = ok("portal", "configurations", "create")
    before = ledger_digest(ledger_path)
    done = billcli("portal", "configurations", "update", later["id"],
                   "--cancellation-proration", "create_prorations", "--json")  # fmt: skip
    assert done.code == 1 and done.json["error"]["param"] == "cancellation_proration"
    assert ledger_digest(ledger_path) == before
    back = billcli("portal", "configurations", "update", now["id"], "--cancellation-mode",
                   "at_period_end", "--json")  # fmt: skip
    assert back.code == 1 and back.json["error"]["param"] == "cancellation_proration"


def test_session_return_url_overrides_the_configuration(ok: Callable[..., Any]) -> None:
    ok("portal", "configurations", "create", "--default-return-url", "https://a.test")
    customer = ok("customers", "create")
    session = ok("portal", "sessions", "create", "--customer", customer["id"],
                 "--return-url", "https://b.test/back")  # fmt: skip
    assert session["return_url"] == "https://b.test/back"


BAD_CONFIGURATIONS = [
    (["--customer-update", "email,shoe_size"], "customer_update"),
    (["--default-return-url", "ftp://x"], "default_return_url"),
    (["--privacy-policy-url", "not a url"], "privacy_policy_url"),
    (["--cancellation-mode", "someday"], "cancellation_mode"),
    (["--cancellation-reasons", "bored"], "cancellation_reasons"),
    (["--subscription-proration", "sometimes"], "subscription_proration"),
    (["--metadata", "novalue"], "metadata"),
]


@pytest.mark.parametrize(("args", "param"), BAD_CONFIGURATIONS)
def test_bad_configuration_options_name_the_parameter_and_change_nothing(
    billcli: Callable[..., Any], ledger_path: Path, args: list[str], param: str
) -> None:
    billcli("ledger", "init")
    before = ledger_digest(ledger_path)
    result = billcli("portal", "configurations", "create", *args, "--json")
    assert result.code == 1, result.err
    assert result.json["error"]["param"] == param
    assert len(result.err.strip().splitlines()) == 1
    assert ledger_digest(ledger_path) == before


def test_a_session_on_an_inactive_configuration_is_refused(
    ok: Callable[..., Any], billcli: Callable[..., Any], ledger_path: Path
) -> None:
    ok("portal", "configurations", "create")
    spare = ok("portal", "configurations", "create")
    ok("portal", "configurations", "update", spare["id"], "--inactive")
    customer = ok("customers", "create")
    before = ledger_digest(ledger_path)
    result = billcli("portal", "sessions", "create", "--customer", customer["id"],
                     "--configuration", spare["id"])  # fmt: skip
    assert result.code == 1
    assert f"{spare['id']} is inactive" in result.err
    assert ledger_digest(ledger_path) == before


def test_a_session_needs_a_configuration_and_says_how_to_make_one(
    ok: Callable[..., Any], billcli: Callable[..., Any]
) -> None:
    customer = ok("customers", "create")
    result = billcli("portal", "sessions", "create", "--customer", customer["id"])
    assert result.code == 1
    assert "billcli portal configurations create" in result.err


@pytest.mark.parametrize(
    ("args", "code", "message"),
    [
        (["--customer", "cus_deleted"], 6, "No such customer"),
        (["--customer", "nope"], 1, "Invalid customer"),
        (["--locale", "xx"], 1, "Invalid locale"),
        (["--return-url", "file:///etc/passwd"], 1, "Invalid return_url"),
        (["--configuration", "bpc_missing"], 6, "No such billing_portal.configuration"),
    ],
)
def test_bad_session_options_are_refused(
    ok: Callable[..., Any],
    billcli: Callable[..., Any],
    ledger_path: Path,
    args: list[str],
    code: int,
    message: str,
) -> None:
    ok("portal", "configurations", "create")
    customer = ok("customers", "create")
    if "--customer" not in args:
        args = ["--customer", customer["id"], *args]
    before = ledger_digest(ledger_path)
    result = billcli("portal", "sessions", "create", *args)
    assert result.code == code, result.err
    assert message in result.err
    assert ledger_digest(ledger_path) == before


def test_a_session_for_a_deleted_customer_is_refused(
    ok: Callable[..., Any], billcli: Callable[..., Any]
) -> None:
    ok("portal", "configurations", "create")
    customer = ok("customers", "create")
    ok("customers", "delete", customer["id"])
    result = billcli("portal", "sessions", "create", "--customer", customer["id"])
    assert result.code == 6


def test_configuration_table_and_details_render(
    ok: Callable[..., Any], billcli: Callable[..., Any]
) -> None:
    config = ok("portal", "configurations", "create", "--headline", "Acme")
    listed = billcli("portal", "configurations", "list")
    assert config["id"] in listed.out and "invoice_history" in listed.out
    shown = billcli("portal", "configurations", "show", config["id"])
    assert "Portal configuration" in shown.out and "Acme" in shown.out
