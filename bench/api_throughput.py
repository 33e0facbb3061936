"""The HTTP API through stripe-python on loopback, beside localstripe in the same run.

    python bench/api_throughput.py [--requests 2000]

Both servers run on this machine: `billcli api serve` on a fresh ledger (every write a
durable transaction, `synchronous=FULL`) and localstripe (PyPI `localstripe`, which
keeps everything in memory, started `--from-scratch`). The same script drives each:
`Customer.create` one after the other, then from 8 concurrent clients;
`Customer.create_balance_transaction` the same way (localstripe has no balance
transactions: it answers with an error); and `Customer.retrieve` from 8 concurrent
clients, whose latency percentiles are shown. Each client is a process of its own, as
a service's clients are.

The client's own ceiling is measured in the same run: `Customer.create` from one client
against a server that answers every request with one canned customer (an asyncio loop
that reads the request and writes the object back, nothing else), so billcli's figure
reads as a share of what stripe-python can send on this machine at all; and against the
same canned customer served by uvicorn, the stack `api serve` runs on, so the share
says how much of the gap is the server stack and how much billcli's own work. Both servers are
up at once and driven in alternating rounds, so a machine shared with other work weighs
on both alike; the share is the median of the rounds'.
"""

from __future__ import annotations

import argparse
import os
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

CLIENTS = 8


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _wait(port: int, process: subprocess.Popen[bytes]) -> None:
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if process.poll() is not None:
            said = process.stderr.read().decode()[-500:] if process.stderr else ""
            raise RuntimeError(f"the server on {port} stopped (exit {process.returncode}): {said}")
        try:
            socket.create_connection(("127.0.0.1", port), timeout=0.2).close()
            return
        except OSError:
            time.sleep(0.05)
    raise RuntimeError(f"nothing listens on {port}")


def keyed_ledger(folder: Path) -> tuple[Path, str]:
    """A new ledger in `folder` (made as a user makes one) and its API key."""
    import json

    folder.mkdir(exist_ok=True)
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
    return ledger, str(json.loads(key)["key"])


@contextmanager
def billcli(folder: Path, *options: str) -> Iterator[tuple[str, str, Path]]:
    """The server (started with `options`, on a ledger of its own in `folder`), its key,
    and the file its request log (one line a request) goes to."""
    ledger, key = keyed_ledger(folder)
    env = {**os.environ, "BILLCLI_LEDGER": str(ledger)}
    log = folder / "requests.log"
    port = _free_port()
    with log.open("w") as sink:
        server = subprocess.Popen(
            [sys.executable, "-m", "billcli", "api", "serve", "--port", str(port), *options],
            env=env,
            stderr=sink,
        )
        try:
            _wait(port, server)
            yield f"http://127.0.0.1:{port}", key, log
        finally:
            server.terminate()
            server.wait()


def served_ms(log: Path, method: str) -> list[float]:
    """The server's own time for each request of `method` in its log, sorted."""
    times = []
    for line in log.read_text().splitlines():
        parts = line.split()
        if len(parts) == 5 and parts[0] == method and parts[4] == "ms":
            times.append(float(parts[3]))
    return sorted(times)


@contextmanager
def localstripe() -> Iterator[tuple[str, str]]:
    port = _free_port()
    server = subprocess.Popen(
        [sys.executable, "-m", "localstripe", "--port", str(port), "--from-scratch"],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        _wait(port, server)
        yield f"http://127.0.0.1:{port}", "sk_test_localstripe12345"
    finally:
        server.terminate()
        server.wait()


CANNED = (
    b'{"id": "cus_canned", "object": "customer", "balance": 0, "created": 1700000000, '
    b'"currency": null, "default_source": null, "delinquent": false, "description": null, '
    b'"discount": null, "email": "c@example.com", "invoice_prefix": "CANNED", '
    b'"invoice_settings": {"custom_fields": null, "default_payment_method": null, '
    b'"footer": null, "rendering_options": null}, "livemode": false, "metadata": {}, '
    b'"name": "Customer", "next_invoice_sequence": 1, "phone": null, '
    b'"preferred_locales": [], "shipping": null, "tax_exempt": "none", "test_clock": null}'
)


def serve_canned(port: int) -> None:
    """Answer every request with the canned customer, keeping connections open."""
    import asyncio

    head = (
        b"HTTP/1.1 200 OK\r\nContent-Type: application/json\r\n"
        b"Content-Length: %d\r\nRequest-Id: req_canned\r\n\r\n" % len(CANNED)
    )

    async def answer(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        try:
            while True:
                headers = await reader.readuntil(b"\r\n\r\n")
                length = 0
                for line in headers.split(b"\r\n"):
                    if line.lower().startswith(b"content-length:"):
                        length = int(line.split(b":", 1)[1])
                if length:
                    await reader.readexactly(length)
                writer.write(head + CANNED)
                await writer.drain()
        except (asyncio.IncompleteReadError, ConnectionError):
            writer.close()

    async def main() -> None:
        server = await asyncio.start_server(answer, "127.0.0.1", port)
        async with server:
            await server.serve_forever()

    asyncio.run(main())


def serve_canned_asgi(port: int) -> None:
    """The canned customer from an ASGI app under uvicorn, the server `api serve` runs
    on: what the stack costs with nothing of billcli's in it."""
    import uvicorn

    async def app(scope: Any, receive: Any, send: Any) -> None:
        if scope["type"] != "http":
            return
        while (await receive()).get("more_body"):
            pass
        headers = [(b"content-type", b"application/json"), (b"request-id", b"req_canned")]
        await send({"type": "http.response.start", "status": 200, "headers": headers})
        await send({"type": "http.response.body", "body": CANNED})

    uvicorn.run(app, host="127.0.0.1", port=port, access_log=False, log_level="warning")


@contextmanager
def canned(stack: str = "asyncio") -> Iterator[tuple[str, str]]:
    port = _free_port()
    server = subprocess.Popen(
        [sys.executable, __file__, "--canned-server", str(port), "--stack", stack],
        stderr=subprocess.PIPE,
    )
    try:
        _wait(port, server)
        yield f"http://127.0.0.1:{port}", "sk_test_canned"
    finally:
        server.terminate()
        server.wait()


def _client(base: str, key: str) -> Any:
    import stripe

    return stripe.StripeClient(key, base_addresses={"api": base}, max_network_retries=0)


def _create(c: Any, n: int, ids: list[str]) -> None:
    c.v1.customers.create(params={"name": f"Customer {n}", "email": f"c{n}@example.com"})


def _credit(c: Any, n: int, ids: list[str]) -> None:
    c.v1.customers.balance_transactions.create(
        ids[n % len(ids)], params={"amount": -100, "currency": "usd"}
    )


def _retrieve(c: Any, n: int, ids: list[str]) -> None:
    c.v1.customers.retrieve(ids[n % len(ids)])


WORK = {"create": _create, "credit": _credit, "retrieve": _retrieve}


def _client_run(work: str, base: str, key: str, first: int, count: int, ids: list[str]) -> Any:
    """One client (a process of its own, as clients are): each request's seconds, or
    None when the server does not support the request."""
    import warnings

    warnings.simplefilter("ignore")
    client = _client(base, key)
    taken = []
    for n in range(first, first + count):
        started = time.perf_counter()
        try:
            WORK[work](client, n, ids)
        except Exception:  # an endpoint the server lacks: counted, not fatal
            return None
        taken.append(time.perf_counter() - started)
    return taken


def _warm() -> None:
    import warnings

    import stripe  # noqa: F401  (imported once per client, before the clock starts)

    warnings.simplefilter("ignore")


def _ready(_: int) -> None:
    time.sleep(0.05)


def _run(work: str, base: str, key: str, count: int, clients: int, ids: list[str]) -> Any:
    """(requests per second, sorted latencies) of `count` requests by `clients` clients."""
    from concurrent.futures import ProcessPoolExecutor

    per = count // clients
    with ProcessPoolExecutor(clients, initializer=_warm) as pool:
        list(pool.map(_ready, range(clients * 4)))  # every client started before timing
        started = time.perf_counter()
        futures = [
            pool.submit(_client_run, work, base, key, w * per, per, ids) for w in range(clients)
        ]
        results = [f.result() for f in futures]
        took = time.perf_counter() - started
    if any(r is None for r in results):
        return float("nan"), []
    return per * clients / took, sorted(t for r in results for t in r)


def measure(base: str, key: str, count: int) -> dict[str, float]:
    client = _client(base, key)
    ids = [client.v1.customers.create(params={"name": f"Warm {n}"}).id for n in range(20)]
    figures = {
        "create": _run("create", base, key, count, 1, ids)[0],
        "create_8": _run("create", base, key, count, CLIENTS, ids)[0],
        "credit": _run("credit", base, key, count, 1, ids)[0],
        "credit_8": _run("credit", base, key, count, CLIENTS, ids)[0],
    }
    _, latencies = _run("retrieve", base, key, count, CLIENTS, ids)
    figures["p50_ms"] = statistics.median(latencies) * 1000
    figures["p99_ms"] = latencies[int(len(latencies) * 0.99) - 1] * 1000
    return figures


def _cell(value: float, unit: str) -> str:
    return "unsupported" if value != value else f"{value:,.0f} {unit}"


def in_process_ms(folder: Path, durability: str, count: int) -> float:
    """Median ms of billcli's own app answering `POST /v1/customers` (with an
    idempotency key, as stripe-python sends it), its ASGI app called in this process:
    no HTTP, no client, no thread hop; what is left of a request when the network and
    the server stack are taken away."""
    import asyncio
    import uuid

    from billcli.api.app import create_api
    from billcli.store.paths import address

    ledger, key = keyed_ledger(folder)
    app = create_api(address(ledger), durability=durability)

    async def one(n: int) -> None:
        body = f"name=Customer+{n}&email=c{n}%40example.com".encode()
        headers = [
            (b"authorization", f"Bearer {key}".encode()),
            (b"content-type", b"application/x-www-form-urlencoded"),
            (b"idempotency-key", str(uuid.uuid4()).encode()),
            (b"content-length", str(len(body)).encode()),
        ]
        scope = {"type": "http", "method": "POST", "path": "/v1/customers",
                 "query_string": b"", "headers": headers}  # fmt: skip
        sent: list[Any] = []

        async def receive() -> dict[str, Any]:
            return {"type": "http.request", "body": body, "more_body": False}

        async def send(message: Any) -> None:
            sent.append(message)

        await app(scope, receive, send)
        assert sent[0]["status"] == 200, sent

    async def timed_all() -> list[float]:
        for n in range(50):
            await one(n)
        taken = []
        for n in range(count):
            started = time.perf_counter()
            await one(n)
            taken.append(time.perf_counter() - started)
        return taken

    return statistics.median(asyncio.run(timed_all())) * 1000


ROUNDS = 5


def share_of_ceiling(
    servers: dict[str, tuple[str, str]], count: int
) -> tuple[float, dict[str, tuple[float, float]]]:
    """`Customer.create` from one client against the canned server and each of
    `servers`, in alternating rounds: the canned server's best req/s, and per server its
    best req/s and its median share of the canned figure of the same round."""
    with canned() as (ceiling_base, ceiling_key):
        per = max(count // ROUNDS, 10)
        rounds = []
        for _ in range(ROUNDS):
            ceiling = _run("create", ceiling_base, ceiling_key, per, 1, [])[0]
            rounds.append(
                (
                    ceiling,
                    {name: _run("create", b, k, per, 1, [])[0] for name, (b, k) in servers.items()},
                )
            )
    figures = {}
    for name in servers:
        shares = sorted(mine[name] / ceiling for ceiling, mine in rounds)
        figures[name] = (max(mine[name] for _, mine in rounds), shares[len(shares) // 2])
    return max(c for c, _ in rounds), figures


def run(count: int) -> list[str]:
    with (
        tempfile.TemporaryDirectory() as folder,
        billcli(Path(folder) / "full") as (base, key, log),
        billcli(Path(folder) / "process", "--durability", "process") as (fast, fast_key, _),
        canned("uvicorn") as stack,
    ):
        ceiling, shares = share_of_ceiling(
            {"full": (base, key), "process": (fast, fast_key), "stack": stack}, count
        )
        mine = measure(base, key, count)
        served = served_ms(log, "GET")
    (created, share), (created_fast, share_fast) = shares["full"], shares["process"]
    stack_best, stack_share = shares["stack"]
    with tempfile.TemporaryDirectory() as folder:
        own = {d: in_process_ms(Path(folder) / d, d, count) for d in ("full", "process")}
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
    p50, p99 = statistics.median(served), served[int(len(served) * 0.99) - 1]
    return [
        *lines,
        "",
        f"The client's ceiling, in the same run: `Customer.create` from one client against a "
        f"server that answers a canned customer reaches {ceiling:,.0f} req/s at best, billcli "
        f"{created:,.0f} req/s (each a durable write); in {ROUNDS} alternating rounds "
        f"billcli reached a median {share:.0%} of the ceiling. Served with `api serve "
        f"--durability process` (each write answered once the operating system holds it), "
        f"billcli reached {created_fast:,.0f} req/s at best, a median {share_fast:.0%} of "
        "the ceiling. The same canned customer answered by an ASGI app under uvicorn (the "
        f"server `api serve` runs on, with nothing of billcli's in it) reached "
        f"{stack_best:,.0f} req/s, a median {stack_share:.0%}: what is left of the gap is "
        "billcli's own work in each request. That work alone, billcli's ASGI app called in "
        f"process (no HTTP, no client): a median {own['full']:.2f} ms a `Customer.create` "
        f"durable, {own['process']:.2f} ms with `--durability process`, against the "
        f"ceiling's {1000 / ceiling:.2f} ms a request at best: 70% of the ceiling leaves "
        f"billcli {1000 / ceiling / 0.7 - 1000 / ceiling:.2f} ms a request for everything "
        "it adds.",
        "",
        f"The server's own time for those reads (its request log, from the request's arrival "
        f"to its answer): p50 {p50:.1f} ms, p99 {p99:.1f} ms. The clients' figures above "
        f"include stripe-python's own work in {CLIENTS} client processes sharing this "
        f"machine's {os.cpu_count()} cores with the server.",
        "",
    ]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--requests", type=int, default=2000)
    parser.add_argument("--canned-server", type=int, help=argparse.SUPPRESS)
    parser.add_argument("--stack", default="asyncio", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.canned_server:
        (serve_canned_asgi if args.stack == "uvicorn" else serve_canned)(args.canned_server)
        return 0
    print("\n".join(run(args.requests)))
    return 0


if __name__ == "__main__":
    sys.exit(main())
