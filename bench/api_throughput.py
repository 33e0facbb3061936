"""The HTTP API through stripe-python on loopback, beside localstripe in the same run.

    python bench/api_throughput.py [--requests 2000]

Both servers run on this machine: `billcli api serve` on a fresh ledger (every write a
durable transaction, `synchronous=FULL`) and localstripe (PyPI `localstripe`, which
keeps everything in memory). The same script drives each: `Customer.create` one after
the other, then from 8 concurrent clients; `Customer.create_balance_transaction` the
same way (localstripe has no balance transactions: it answers with an error); and
`Customer.retrieve` from 8 concurrent clients, whose latency percentiles are shown.
"""

from __future__ import annotations

import argparse
import os
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

CLIENTS = 8


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _wait(port: int) -> None:
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        try:
            socket.create_connection(("127.0.0.1", port), timeout=0.2).close()
            return
        except OSError:
            time.sleep(0.05)
    raise RuntimeError(f"nothing listens on {port}")


@contextmanager
def billcli(folder: Path) -> Iterator[tuple[str, str]]:
    ledger = folder / "api.db"
    env = {**os.environ, "BILLCLI_LEDGER": str(ledger)}
    subprocess.run(
        [sys.executable, "-m", "billcli", "ledger", "init"],
        env=env,
        check=True,
        stdout=subprocess.DEVNULL,
    )
    key = subprocess.run(
        [sys.executable, "-m", "billcli", "api", "key", "--json"],
        env=env,
        check=True,
        capture_output=True,
        text=True,
    ).stdout
    port = _free_port()
    server = subprocess.Popen(
        [sys.executable, "-m", "billcli", "api", "serve", "--port", str(port)],
        env=env,
        stderr=subprocess.DEVNULL,
    )
    try:
        _wait(port)
        import json

        yield f"http://127.0.0.1:{port}", json.loads(key)["key"]
    finally:
        server.terminate()
        server.wait()


@contextmanager
def localstripe() -> Iterator[tuple[str, str]]:
    port = _free_port()
    server = subprocess.Popen(
        [sys.executable, "-m", "localstripe", "--port", str(port)],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        _wait(port)
        yield f"http://127.0.0.1:{port}", "sk_test_localstripe12345"
    finally:
        server.terminate()
        server.wait()


def _client(base: str, key: str) -> Any:
    import stripe

    return stripe.StripeClient(key, base_addresses={"api": base}, max_network_retries=0)


def _rate(work: Callable[[Any, int], None], base: str, key: str, count: int, clients: int) -> float:
    """Requests per second of `work(client, n)` done `count` times by `clients` threads."""
    per = count // clients
    errors: list[BaseException] = []

    def run(worker: int) -> None:
        client = _client(base, key)
        for n in range(per):
            try:
                work(client, worker * per + n)
            except Exception as error:  # an endpoint the server lacks: counted, not fatal
                errors.append(error)
                return

    threads = [threading.Thread(target=run, args=(w,)) for w in range(clients)]
    started = time.perf_counter()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    took = time.perf_counter() - started
    return float("nan") if errors else per * clients / took


def _latencies(base: str, key: str, ids: list[str], count: int) -> list[float]:
    taken: list[float] = []
    lock = threading.Lock()

    def run(worker: int) -> None:
        client = _client(base, key)
        mine = []
        for n in range(count // CLIENTS):
            started = time.perf_counter()
            client.v1.customers.retrieve(ids[(worker + n) % len(ids)])
            mine.append(time.perf_counter() - started)
        with lock:
            taken.extend(mine)

    threads = [threading.Thread(target=run, args=(w,)) for w in range(CLIENTS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return sorted(taken)


def measure(base: str, key: str, count: int) -> dict[str, float]:
    client = _client(base, key)
    ids = [client.v1.customers.create(params={"name": f"Warm {n}"}).id for n in range(20)]

    def create(c: Any, n: int) -> None:
        c.v1.customers.create(params={"name": f"Customer {n}", "email": f"c{n}@example.com"})

    def credit(c: Any, n: int) -> None:
        c.v1.customers.balance_transactions.create(
            ids[n % len(ids)], params={"amount": -100, "currency": "usd"}
        )

    figures = {
        "create": _rate(create, base, key, count, 1),
        "create_8": _rate(create, base, key, count, CLIENTS),
        "credit": _rate(credit, base, key, count, 1),
        "credit_8": _rate(credit, base, key, count, CLIENTS),
    }
    latencies = _latencies(base, key, ids, count)
    figures["p50_ms"] = statistics.median(latencies) * 1000
    figures["p99_ms"] = latencies[int(len(latencies) * 0.99) - 1] * 1000
    return figures


def _cell(value: float, unit: str) -> str:
    return "unsupported" if value != value else f"{value:,.0f} {unit}"


def run(count: int) -> list[str]:
    with tempfile.TemporaryDirectory() as folder, billcli(Path(folder)) as (base, key):
        mine = measure(base, key, count)
    with localstripe() as (base, key):
        theirs = measure(base, key, count)
    rows = [
        ("`Customer.create`, one client", "create", "req/s"),
        (f"`Customer.create`, {CLIENTS} clients", "create_8", "req/s"),
        ("`Customer.create_balance_transaction`, one client", "credit", "req/s"),
        (f"`Customer.create_balance_transaction`, {CLIENTS} clients", "credit_8", "req/s"),
        (f"`Customer.retrieve` p50, {CLIENTS} clients", "p50_ms", "ms"),
        (f"`Customer.retrieve` p99, {CLIENTS} clients", "p99_ms", "ms"),
    ]
    lines = [
        f"The HTTP API through stripe-python on loopback ({count:,} requests each), beside "
        "localstripe run by the same script; billcli's every write is a durable "
        "transaction (`synchronous=FULL`), localstripe keeps its state in memory:",
        "",
        "| what | billcli | localstripe | billcli ÷ localstripe |",
        "|---|---|---|---|",
    ]
    for label, name, unit in rows:
        ratio = mine[name] / theirs[name] if theirs[name] == theirs[name] and theirs[name] else None
        shown = "" if ratio is None else f"{ratio:.1f}×"
        lines.append(
            f"| {label} | {_cell(mine[name], unit)} | {_cell(theirs[name], unit)} | {shown} |"
        )
    return [*lines, ""]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--requests", type=int, default=2000)
    args = parser.parse_args()
    print("\n".join(run(args.requests)))
    return 0


if __name__ == "__main__":
    sys.exit(main())
