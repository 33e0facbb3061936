"""A webhook receiver on 127.0.0.1 that checks every delivery with the official `stripe`
library, as a real integration would, and answers as a test tells it to."""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import stripe


@dataclass
class Received:
    event_id: str
    type: str
    signature: str
    body: dict[str, Any]


@dataclass
class Receiver:
    url: str
    secrets: list[str] = field(default_factory=list)
    # What to answer, request by request: an HTTP status, "hang", "redirect" or "huge";
    # when the script runs out, 200.
    script: list[Any] = field(default_factory=list)
    received: list[Received] = field(default_factory=list)
    rejected: list[str] = field(default_factory=list)
    redirect_hits: int = 0
    lock: threading.Lock = field(default_factory=threading.Lock)

    def verified_ids(self) -> list[str]:
        return [r.event_id for r in self.received]


class _Handler(BaseHTTPRequestHandler):
    receiver: Receiver

    def do_POST(self) -> None:
        if self.path == "/moved":
            self.receiver.redirect_hits += 1
            self._answer(200)
            return
        body = self.rfile.read(int(self.headers["Content-Length"]))
        header = self.headers.get("Stripe-Signature", "")
        event = None
        for secret in self.receiver.secrets:
            try:
                event = stripe.Webhook.construct_event(body, header, secret)
                break
            except stripe.SignatureVerificationError:
                continue
        with self.receiver.lock:
            action = self.receiver.script.pop(0) if self.receiver.script else 200
            if event is None:
                self.receiver.rejected.append(header)
                self._answer(400)
                return
            self.receiver.received.append(
                Received(event["id"], event["type"], header, event.to_dict())
            )
        if action == "hang":
            time.sleep(5)
            self._answer(200)
        elif action == "redirect":
            self.send_response(302)
            self.send_header("Location", "/moved")
            self.send_header("Content-Length", "0")
            self.end_headers()
        elif action == "huge":
            self.send_response(200)
            self.send_header("Content-Length", str(20 * 1024 * 1024))
            self.end_headers()
            chunk = b"x" * 65536
            try:
                for _ in range(320):
                    self.wfile.write(chunk)
            except OSError:
                pass  # billcli hung up after its short excerpt, as it should
        else:
            self._answer(int(action))

    def _answer(self, status: int) -> None:
        body = b'{"received": true}'
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args: Any) -> None:
        pass


@contextmanager
def running_receiver() -> Iterator[Receiver]:
    handler = type("Handler", (_Handler,), {})
    server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    server.daemon_threads = True
    receiver = Receiver(f"http://127.0.0.1:{server.server_port}/hooks")
    handler.receiver = receiver  # type: ignore[attr-defined]
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield receiver
    finally:
        server.shutdown()
        server.server_close()
