"""Signed HTTP POSTs to webhook endpoints, several at once, each within a deadline.

`http.client` follows no redirect by itself, so a 3xx is recorded as the failure it
is; at most a short excerpt of any answer is read. Each request runs in a daemon
thread joined against one deadline, so an endpoint that never answers costs a batch
the timeout once, not the timeout per endpoint, and cannot keep the process alive.
"""

from __future__ import annotations

import threading
import time
from dataclasses import dataclass
from urllib.parse import urlsplit

from billcli import __version__
from billcli.core.webhooks import EXCERPT_BYTES, signature_header


@dataclass(frozen=True)
class Outgoing:
    """One delivery attempt to make: the body is signed when it is sent."""

    seq: int
    event: str
    endpoint: str
    url: str
    body: bytes
    secrets: tuple[str, ...]
    at: int  # the ledger instant the attempt belongs to (when it was claimed)


@dataclass(frozen=True)
class Sent:
    seq: int
    duration_ms: int
    status_code: int | None = None
    error: str | None = None
    excerpt: str | None = None

    @property
    def ok(self) -> bool:
        return self.status_code is not None and 200 <= self.status_code < 300


def post(request: Outgoing, timeout: float) -> Sent:
    """POST one event; the outcome, whatever happened."""
    # startup: heavy (it loads the email package): only when sending
    import http.client

    started = time.monotonic()
    parts = urlsplit(request.url)
    connection_class = (
        http.client.HTTPSConnection if parts.scheme == "https" else http.client.HTTPConnection
    )
    # The signature carries the sending time: receivers reject old ones (300 s in
    # Stripe's libraries), whatever instant the ledger's clock shows.
    signed_at = int(time.time())
    headers = {
        "Content-Type": "application/json; charset=utf-8",
        "User-Agent": f"billcli/{__version__} (webhooks)",
        "Stripe-Signature": signature_header(list(request.secrets), signed_at, request.body),
    }
    target = (parts.path or "/") + (f"?{parts.query}" if parts.query else "")
    connection = connection_class(str(parts.hostname), parts.port, timeout=timeout)
    try:
        connection.request("POST", target, body=request.body, headers=headers)
        response = connection.getresponse()
        excerpt = response.read(EXCERPT_BYTES).decode("utf-8", "replace")
        status, error = response.status, None
        if 300 <= status < 400:
            error = f"redirect to {response.getheader('Location') or '?'} not followed"
        elif not 200 <= status < 300:
            error = f"HTTP {status}"
    except TimeoutError:
        status, error, excerpt = None, f"timed out after {timeout:g} s", None
    except (OSError, http.client.HTTPException) as failure:
        status, error, excerpt = None, f"{type(failure).__name__}: {failure}", None
    finally:
        connection.close()
    took = int((time.monotonic() - started) * 1000)
    return Sent(request.seq, took, status, error, excerpt or None)


def post_all(requests: list[Outgoing], *, timeout: float, concurrency: int) -> list[Sent]:
    """Send every request, `concurrency` at a time; each batch waits at most `timeout`."""
    results: dict[int, Sent] = {}
    for start in range(0, len(requests), concurrency):
        batch = requests[start : start + concurrency]
        answers: dict[int, Sent] = {}
        threads = []
        for request in batch:

            def work(request: Outgoing = request, answers: dict[int, Sent] = answers) -> None:
                answers[request.seq] = post(request, timeout)

            thread = threading.Thread(target=work, daemon=True)
            thread.start()
            threads.append((request, thread))
        deadline = time.monotonic() + timeout + 0.5
        for request, thread in threads:
            thread.join(max(0.0, deadline - time.monotonic()))
            results[request.seq] = answers.get(request.seq) or Sent(
                request.seq, int(timeout * 1000), error=f"timed out after {timeout:g} s"
            )
    return [results[request.seq] for request in requests]
