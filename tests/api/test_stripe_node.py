"""The official stripe-node library (npm `stripe`, 23.x) against `billcli api serve`:
a smaller story than stripe-python's, to show the encoding is not tuned to one client.

`.ci/run` installs it (`npm install` in tests/api/node) and sets BILLCLI_REQUIRE_NODE,
so a missing Node or library fails there instead of skipping."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
from pathlib import Path
from typing import Any

import pytest

FOLDER = Path(__file__).with_name("node")


def test_stripe_node_runs_a_billing_story(api: str, api_key: str, ok: Any) -> None:
    node = shutil.which("node")
    if node is None or not (FOLDER / "node_modules" / "stripe").exists():
        if os.environ.get("BILLCLI_REQUIRE_NODE"):
            pytest.fail("node and npm `stripe` are required here (.ci/run installs them)")
        pytest.skip("stripe-node is not installed (npm install in tests/api/node)")
    done = subprocess.run(
        [node, str(FOLDER / "story.mjs")],
        env={**os.environ, "BILLCLI_API_BASE": api, "BILLCLI_API_KEY": api_key},
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 0, done.stderr
    story = json.loads(done.stdout.strip().splitlines()[-1])
    assert story["balances"] == [-300, -200, -100]
    assert (story["latestInvoiceStatus"], story["quantity"]) == ("paid", 2)
    assert (story["finalStatus"], story["finalDue"]) == ("open", 700)
    assert story["missing"] == {
        "type": "StripeInvalidRequestError",
        "status": 404,
        "code": "resource_missing",
    }
    assert story["idempotent"] is True
    shown = ok("customers", "show", story["customer"])
    assert (shown["metadata"], shown["balance"]) == ({"via": "node"}, 0)  # the $6 went
    kinds = [t["type"] for t in ok("balance", "list", story["customer"])["data"]]
    assert kinds == ["applied_to_invoice", "adjustment", "adjustment", "adjustment"]
    assert ok("subscriptions", "show", story["subscription"])["status"] == "active"
    # The clock customer: created at the clock's 2020-01-31, renewed at the month's end
    # (Stripe clamps the 31st to February's 29th), charged an hour after each invoice's
    # creation, all before the advance's target of 2020-03-01 02:00.
    jan_31, feb_29 = 1_580_428_800, 1_580_428_800 + 29 * 86_400
    clock = story["clock"]
    assert clock["created"] == ["test_helpers.test_clock", "ready", jan_31, 30 * 86_400]
    assert clock["customerCreated"] == [jan_31, True]
    assert clock["advanced"] == ["ready", 1_583_028_000]
    assert clock["invoices"] == [[jan_31, "paid", 1500], [feb_29, "paid", 1500]]
    assert clock["listed"] is True
    assert clock["deleted"] == [True, True]
