"""Every request parameter Stripe documents for an operation billcli serves is recognized.

The parameters are those of both OpenAPI extracts (request bodies and query parameters,
API 2023-08-16) and, for what that spec predates, of the installed stripe-python's
typed parameters (`tests/api/documented.py`). Each is sent once, with a value shaped by
its schema, added to a request that succeeds without it (`param_requests.py`), to a
running `api serve`. None may be answered `parameter_unknown`; a refusal must name the
parameter sent (or a key inside it), so that no error about another parameter hides an
unknown one. Refusals of what billcli does not model say so by name (`api/unmodelled.py`).

Left out, each with the reason: parameters other engineers of this wave build
(`ELSEWHERE`, wherever they appear; `ELSEWHERE_ON`, on one operation). Each list must
stay exact, so it shrinks as their work lands; every operation of the extracts is
served.
"""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from typing import Any

import httpx2 as httpx
import pytest

from billcli.api.app import routes
from tests.api.conftest import free_port
from tests.api.documented import form, from_extracts, from_library, operation_key, value_of
from tests.api.param_requests import REQUESTS
from tests.api.param_world import World
from tests.conftest import spec_dir

CLOCKS = "test clocks as objects (issue 30)"
# Parameters other engineers build, wherever they are (top level or inside an object).
ELSEWHERE = {
    "test_clock": CLOCKS,
    "schedule": "subscription schedules (issue 36)",
    "schedule_details": "subscription schedules (issue 36)",
}
# What the upcoming invoice previews beside a subscription update: not served yet.
_PREVIEWS = {
    "subscription_cancel_now": "previews of an immediate cancellation (not built yet)",
    "subscription_resume_at": "previews of a paused subscription's resume (not built yet)",
    "subscription_start_date": "previews of a subscription not made yet (not built yet)",
}
# Parameters other engineers build, on one operation.
ELSEWHERE_ON: dict[tuple[str, str], dict[str, str]] = {
    ("POST", "/v1/test_helpers/test_clocks"): {"customer": CLOCKS},
    ("GET", "/v1/invoices/upcoming"): _PREVIEWS,
    ("GET", "/v1/invoices/upcoming/lines"): _PREVIEWS,
}
# Served with a refusal whatever is sent, and why.
REFUSED_OPERATIONS = {
    ("POST", "/v1/charges"): "the legacy Charges API: billcli charges through PaymentIntents",
}
# Operations whose bodies are JSON, not forms: the Stripe CLI's v1.billing.meter.* trigger
# fixtures send them (tests/api/test_stripe_cli_triggers.py).
JSON_BODIES = {
    ("POST", "/v2/billing/meter_events"),
    ("POST", "/v2/billing/meter_event_adjustments"),
    ("POST", "/v2/billing/meter_event_session"),
    ("POST", "/v2/billing/meter_event_stream"),
}
# Keys Stripe documents as alternatives: a value names the first only, so that a
# refusal of the pair hides none of the keys sent beside it.
ALTERNATIVES = (
    ("unit_amount", "unit_amount_decimal"),
    ("flat_amount", "flat_amount_decimal"),
    ("coupon", "discount", "promotion_code"),
    ("price", "price_data", "plan"),
    ("amount", "amount_decimal"),
)
# What a parameter needs beside it to mean anything (a due date needs send_invoice),
# and what it replaces of the request it is added to (an amount off, a percentage).
COMPANIONS = {
    "days_until_due": {"collection_method": "send_invoice"},
    "amount_off": {"currency": "usd"},
    "confirm": {"payment_method": "pm_card_visa"},
    "tiers": {"billing_scheme": "tiered", "tiers_mode": "graduated"},
    "customer_mapping": {"value_settings[event_payload_key]": "amount"},
}
REPLACES = {
    "amount_off": ("percent_off",),
    "pricing": ("amount",),
    "price": ("amount",),
    "price_data": ("amount", "price"),
    "unit_amount": ("amount",),
    "unit_amount_decimal": ("amount", "unit_amount"),
    "tiers": ("unit_amount",),
    "payment_intent": ("charge",),
    "product_data": ("product",),
    "lines": ("amount",),  # a credit note's lines make its amount
}
# Operations that refuse whatever is sent, beside a parameter_unknown.
ALWAYS_REFUSED = {
    ("POST", "/v1/refunds/{}/cancel"): "refunds succeed at once: none can be canceled",
    ("DELETE", "/v1/test_helpers/test_clocks/{}"): "the ledger clock cannot be deleted",
}

# Parameters whose value leaves nothing to answer (Stripe answers the same), and why.
NOTHING_LEFT = {
    "subscription_cancel_at": "a subscription ending by its period end has no next invoice",
    "subscription_cancel_at_period_end": "a subscription ending at its period end has none",
}


def _shaped(value: Any) -> Any:
    """`value` with the keys of other engineers' parameters and all but the first of
    each pair of alternatives left out, all the way down."""
    if isinstance(value, list):
        return [_shaped(v) for v in value]
    if not isinstance(value, dict):
        return value
    kept = {k: _shaped(v) for k, v in value.items() if k not in ELSEWHERE}
    for group in ALTERNATIVES:
        present = [k for k in group if k in kept]
        for extra in present[1:]:
            kept.pop(extra)
    return kept


def _related(param: str | None, name: str) -> bool:
    """Whether an error's `param` is the parameter sent or a key inside it."""
    return param is not None and (param == name or param.startswith(f"{name}["))


@pytest.fixture(scope="module")
def documented() -> dict[tuple[str, str], dict[str, Any]]:
    folder = spec_dir()
    if folder is None:
        if os.environ.get("BILLCLI_REQUIRE_SPEC"):
            pytest.fail("the schema extract is required here")
        pytest.skip("no schema extract (set BILLCLI_SPEC_DIR, or place ../shared/spec)")
    extract, library = from_extracts(folder), from_library()
    return {op: {**library.get(op, {}), **extract.get(op, {})} for op in {*extract, *library}}


@pytest.fixture(scope="module")
def world(tmp_path_factory: pytest.TempPathFactory) -> Iterator[World]:
    """One `api serve` and the objects the requests name."""
    folder = tmp_path_factory.mktemp("every-parameter")
    env = {**os.environ, "BILLCLI_LEDGER": str(folder / "ledger.db")}
    billcli = [sys.executable, "-m", "billcli"]
    subprocess.run([*billcli, "ledger", "init"], env=env, check=True, capture_output=True)
    made = subprocess.run(
        [*billcli, "api", "key", "--json"], env=env, check=True, capture_output=True, text=True
    )
    key = json.loads(made.stdout)["key"]
    port = free_port()
    log = folder / "server.log"  # a file: a thousand requests' lines would fill a pipe
    process = subprocess.Popen(
        [*billcli, "api", "serve", "--port", str(port)], env=env, stderr=log.open("w")
    )
    deadline = time.monotonic() + 20
    while time.monotonic() < deadline:
        try:
            socket.create_connection(("127.0.0.1", port), timeout=0.2).close()
            break
        except OSError:
            time.sleep(0.05)
    client = httpx.Client(
        base_url=f"http://127.0.0.1:{port}",
        headers={"Authorization": f"Bearer {key}"},
        timeout=60,
    )
    try:
        yield World(client)
    finally:
        client.close()
        process.terminate()
        process.wait(timeout=10)
        assert "Traceback" not in log.read_text(), log.read_text()[-5000:]


def _send(w: World, op: tuple[str, str], name: str, schema: dict[str, Any]) -> httpx.Response:
    path, base = REQUESTS[op](w)
    ids = w.ids()
    now = int(w.get("/v1/test_helpers/test_clocks/clock_ledger")["frozen_time"])
    ids["frozen_time"] = str(now + 60)
    if name in ("add_invoice_items", "invoice_items", "pricing"):  # one-time prices
        ids["price"] = w.price_once
    if isinstance(base.get(name), str):  # what the request needs it to be
        ids[name] = base[name]
    if op == ("POST", "/v1/refunds") and name == "payment_intent":  # one not refunded yet
        ids[name] = w.make_paid_intent()["id"]
    value = _shaped(value_of(name, schema, ids, now))
    dropped = (name, *REPLACES.get(name, ()))
    params = {
        k: v for k, v in base.items() if not any(k == d or k.startswith(f"{d}[") for d in dropped)
    }
    pairs = [*params.items(), *COMPANIONS.get(name, {}).items(), *form(name, value)]
    if op[0] == "POST":
        return w.http.post(
            path,
            content=str(httpx.QueryParams(pairs)),
            headers={"Content-Type": "application/x-www-form-urlencoded"},
        )
    return w.http.request(op[0], path, params=pairs)


def test_the_operations_left_to_others_are_exactly_those_not_served(
    documented: dict[tuple[str, str], dict[str, Any]],
) -> None:
    folder = spec_dir()
    assert folder is not None
    in_extracts = set(from_extracts(folder))
    served = {operation_key(r.method, r.path) for r in routes()}
    assert in_extracts - served == set(), "every operation of the extracts is served"
    assert served - set(REFUSED_OPERATIONS) - JSON_BODIES == set(REQUESTS), "a request each"


def test_every_documented_parameter_is_recognized(
    documented: dict[tuple[str, str], dict[str, Any]], world: World
) -> None:
    unknown, hidden, sent = [], [], 0
    for op in sorted(REQUESTS):
        left = ELSEWHERE | ELSEWHERE_ON.get(op, {})
        for name, schema in sorted(documented.get(op, {}).items()):
            if name in left:
                continue
            answer = _send(world, op, name, schema)
            sent += 1
            if answer.status_code == 200:
                continue
            error = answer.json()["error"]
            where = f"{op[0]} {op[1]} {name}: {error.get('param')}: {error['message'][:90]}"
            if error.get("code") == "parameter_unknown":
                unknown.append(where)
            elif name in NOTHING_LEFT and answer.status_code == 404:
                continue
            elif not _related(error.get("param"), name) and op not in ALWAYS_REFUSED:
                hidden.append(where)
    assert unknown == [], "documented parameters answered parameter_unknown:\n" + "\n".join(unknown)
    assert hidden == [], (
        "refusals that name another parameter (they could hide one):\n" + "\n".join(hidden)
    )
    assert sent >= 900, sent  # of some 1,100 documented (the rest are left to others)
