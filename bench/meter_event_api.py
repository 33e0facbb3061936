"""`POST /v1/billing/meter_events` through stripe-python, one client, against a server
that answers every request with a canned meter event.

    python bench/meter_event_api.py [--requests 500] [--rounds 5]

billcli serves a fresh ledger with one meter and one customer (`billcli api serve`:
uvicorn, every event a durable transaction, `synchronous=FULL`), and a second one with
`--durability process` (each event answered once the operating system holds it). The
floor is the same server stack (uvicorn) running an ASGI app that reads the request and
answers with the body billcli gave for the same request, so the client, the HTTP stack
and the bytes on the wire are the same and only billcli's own work differs. One client
sends the events one after the other (each waits for its answer); the three servers
take turns, and the medians of the rounds are compared.
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from api_throughput import _client, _free_port, _wait, billcli

CANNED = r"""
import sys, uvicorn
body = open(sys.argv[2], "rb").read()
headers = [(b"content-type", b"application/json"), (b"content-length", str(len(body)).encode()),
           (b"request-id", b"req_canned"), (b"stripe-version", b"2024-06-20")]
async def app(scope, receive, send):
    more = True
    while more:
        more = (await receive()).get("more_body", False)
    await send({"type": "http.response.start", "status": 200, "headers": headers})
    await send({"type": "http.response.body", "body": body})
uvicorn.run(app, host="127.0.0.1", port=int(sys.argv[1]), lifespan="off",
            access_log=False, log_level="warning")
"""


@contextmanager
def canned(body: Path) -> Iterator[str]:
    port = _free_port()
    server = subprocess.Popen(
        [sys.executable, "-c", CANNED, str(port), str(body)], stderr=subprocess.PIPE
    )
    try:
        _wait(port, server)
        yield f"http://127.0.0.1:{port}"
    finally:
        server.terminate()
        server.wait()


def _send(client: Any, customer: str, count: int) -> float:
    """Events per second of `count` meter events sent one after the other."""
    started = time.perf_counter()
    for _ in range(count):
        client.v1.billing.meter_events.create(
            params={
                "event_name": "api_requests",
                "payload": {"stripe_customer_id": customer, "value": "1"},
            }
        )
    return count / (time.perf_counter() - started)


def _prepared(base: str, key: str) -> tuple[Any, str, str]:
    """A client of a fresh billcli server with one meter and one customer, and the
    body it answers an event with."""
    client = _client(base, key)
    client.v1.billing.meters.create(
        params={
            "display_name": "API requests",
            "event_name": "api_requests",
            "default_aggregation": {"formula": "sum"},
        }
    )
    customer = client.v1.customers.create(params={"name": "Ada"}).id
    answered = client.raw_request(
        "post",
        "/v1/billing/meter_events",
        event_name="api_requests",
        payload={"stripe_customer_id": customer, "value": "1"},
    )
    return client, customer, answered.body


def run(count: int, rounds: int) -> list[str]:
    import warnings

    warnings.simplefilter("ignore")
    with (
        tempfile.TemporaryDirectory() as name,
        billcli(Path(name) / "full") as (base, key, _),
        billcli(Path(name) / "process", "--durability", "process") as (fast, fast_key, _),
    ):
        full, customer, answer = _prepared(base, key)
        process, fast_customer, _ = _prepared(fast, fast_key)
        body = Path(name) / "answer.json"
        body.write_bytes(answer.encode())
        with canned(body) as floor_base:
            floor = _client(floor_base, key)
            servers = {
                "full": (full, customer),
                "process": (process, fast_customer),
                "floor": (floor, customer),
            }
            for client, whom in servers.values():  # warm: connections, the server's threads
                _send(client, whom, 50)
            rates: dict[str, list[float]] = {name: [] for name in servers}
            loads = []
            for _ in range(rounds):
                for server, (client, whom) in servers.items():
                    rates[server].append(_send(client, whom, count))
                loads.append(os.getloadavg()[0])
    rate = {server: statistics.median(rates[server]) for server in rates}
    return [
        f"`meter_events` through stripe-python, one client ({count:,} events a round, "
        f"{rounds} rounds taking turns, medians; load average {min(loads):.1f} to "
        f"{max(loads):.1f}):",
        "",
        "| server | events/s | per event | billcli ÷ floor |",
        "|---|---|---|---|",
        f"| billcli (`api serve`, each event on disk before its answer) | {rate['full']:,.0f} | "
        f"{1000 / rate['full']:.2f} ms | {rate['full'] / rate['floor']:.0%} |",
        f"| billcli (`api serve --durability process`) | {rate['process']:,.0f} | "
        f"{1000 / rate['process']:.2f} ms | {rate['process'] / rate['floor']:.0%} |",
        f"| floor (uvicorn answering billcli's answer, canned) | {rate['floor']:,.0f} | "
        f"{1000 / rate['floor']:.2f} ms | |",
        "",
    ]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--requests", type=int, default=500)
    parser.add_argument("--rounds", type=int, default=5)
    args = parser.parse_args()
    print("\n".join(run(args.requests, args.rounds)))
    return 0


if __name__ == "__main__":
    sys.exit(main())
