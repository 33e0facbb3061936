"""`billcli webhooks`: endpoints, their secrets, and bad input."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from tests.conftest import ledger_digest


def test_create_shows_the_secret_once_and_show_reveals_it_on_request(
    ok: Callable[..., Any], billcli: Callable[..., Any]
) -> None:
    hook = ok("webhooks", "create", "--url", "https://hooks.example/in",
              "--events", "invoice.paid,invoice.created", "--description", "ERP")  # fmt: skip
    assert hook["id"].startswith("we_") and hook["secret"].startswith("whsec_")
    assert len(hook["secret"]) >= 6 + 43
    assert hook["enabled_events"] == ["invoice.paid", "invoice.created"]
    assert hook["status"] == "enabled" and hook["object"] == "webhook_endpoint"
    assert "secret" not in ok("webhooks", "show", hook["id"])
    assert ok("webhooks", "show", hook["id"], "--reveal")["secret"] == hook["secret"]
    listed = ok("webhooks", "list")["data"]
    assert [h["id"] for h in listed] == [hook["id"]] and "secret" not in listed[0]
    table = billcli("webhooks", "list")
    shown = billcli("webhooks", "show", hook["id"])
    assert hook["secret"] not in table.out + shown.out
    assert hook["secret"] in billcli("webhooks", "show", hook["id"], "--reveal").out


def test_default_is_every_event_and_update_changes_events_and_status(
    ok: Callable[..., Any],
) -> None:
    hook = ok("webhooks", "create", "--url", "http://127.0.0.1:9/x")
    assert hook["enabled_events"] == ["*"]
    updated = ok("webhooks", "update", hook["id"], "--events", "customer.created", "--disable")
    assert (updated["enabled_events"], updated["status"]) == (["customer.created"], "disabled")
    deleted = ok("webhooks", "delete", hook["id"])
    assert deleted == {"id": hook["id"], "object": "webhook_endpoint", "deleted": True}
    assert ok("webhooks", "list")["data"] == []


def test_events_created_while_disabled_are_not_queued(
    ok: Callable[..., Any], ledger_path: Path
) -> None:
    hook = ok("webhooks", "create", "--url", "http://127.0.0.1:9/x")
    ok("webhooks", "update", hook["id"], "--disable")
    event_count = len(ok("events", "list")["data"])
    ok("customers", "create")
    report = ok("events", "deliver")
    assert report["attempts"] == []
    assert len(ok("events", "list")["data"]) == event_count + 1


@pytest.mark.parametrize(
    ("args", "param", "message"),
    [
        (["--url", "not a url"], "url", "is not an http:// or https:// URL"),
        (["--url", "file:///etc/passwd"], "url", "is not an http:// or https:// URL"),
        (["--url", "ftp://files.example/in"], "url", "is not an http:// or https:// URL"),
        (["--url", "https://user:pw@hooks.example/"], "url", "credentials"),
        (
            ["--url", "https://h.example/", "--events", "invoice.exploded"],
            "enabled_events",
            "'invoice.exploded' is not an event type",
        ),
        (["--url", "https://h.example/", "--events", ","], "enabled_events", "at least one"),
    ],
)
def test_bad_endpoints_are_refused_naming_the_parameter(
    billcli: Callable[..., Any], ledger_path: Path, args: list[str], param: str, message: str
) -> None:
    billcli("ledger", "init")
    before = ledger_digest(ledger_path)
    result = billcli("webhooks", "create", *args, "--json")
    assert result.code == 1, result.err
    assert result.json["error"]["param"] == param
    assert message in result.err
    assert ledger_digest(ledger_path) == before


@pytest.mark.parametrize("command", ["show", "delete", "rotate-secret", "update"])
def test_unknown_endpoint_ids_are_not_found(
    billcli: Callable[..., Any], ledger_path: Path, command: str
) -> None:
    billcli("ledger", "init")
    before = ledger_digest(ledger_path)
    missing = billcli("webhooks", command, "we_missing")
    assert missing.code == 6
    assert "No such webhook_endpoint: 'we_missing'" in missing.err
    malformed = billcli("webhooks", command, "nope")
    assert malformed.code == 1
    assert ledger_digest(ledger_path) == before


def test_deliveries_of_an_unknown_event_is_not_found(billcli: Callable[..., Any]) -> None:
    billcli("ledger", "init")
    assert billcli("events", "deliveries", "evt_missing").code == 6


def test_bad_webhook_settings_are_refused(billcli: Callable[..., Any]) -> None:
    for key, value in (("webhooks.timeout", "0"), ("webhooks.timeout", "1.5"),
                       ("webhooks.concurrency", "500")):  # fmt: skip
        result = billcli("ledger", "config", key, value)
        assert result.code == 1
        assert f"Invalid {key}" in result.err
