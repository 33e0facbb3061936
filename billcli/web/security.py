"""What keeps the portal's pages to their own customer: hosts, CSRF tokens, headers.

The session cookie is the portal's only credential; its CSRF token is derived from it,
so a form is only accepted from a page that was rendered for that same cookie. Pages
without a cookie (hosted invoices, the login page) derive theirs from the page secret
and a key that lives only as long as the server.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
from urllib.parse import urlsplit

COOKIE = "billcli_portal"

HEADERS = {
    "Content-Security-Policy": (
        "default-src 'none'; style-src 'self'; img-src 'self'; form-action 'self'; "
        "frame-ancestors 'none'; base-uri 'none'"
    ),
    "X-Content-Type-Options": "nosniff",
    "X-Frame-Options": "DENY",
    # Session and invoice URLs carry secrets: never hand them to another site.
    "Referrer-Policy": "no-referrer",
    "Cache-Control": "no-store",
}


class Tokens:
    """CSRF tokens for one running server."""

    def __init__(self) -> None:
        self.key = secrets.token_bytes(32)

    def for_cookie(self, cookie: str) -> str:
        return hmac.new(cookie.encode(), b"csrf", hashlib.sha256).hexdigest()

    def for_page(self, page_secret: str) -> str:
        return hmac.new(self.key, page_secret.encode(), hashlib.sha256).hexdigest()


def same(expected: str, given: str | None) -> bool:
    return given is not None and hmac.compare_digest(expected.encode(), given.encode())


def allowed_hosts(public_url: str, bound: set[str]) -> set[str]:
    """The Host headers this server answers: the public URL's and the address it binds."""
    return {urlsplit(public_url).netloc.lower(), *bound}


def bound_hosts(host: str, port: int) -> set[str]:
    names = {f"{host}:{port}"}
    if host in ("127.0.0.1", "::1", "localhost"):
        names |= {f"127.0.0.1:{port}", f"localhost:{port}", f"[::1]:{port}"}
    return names


def form_text(value: object) -> str | None:
    """A form field's value when it is text (an upload is not)."""
    return value if isinstance(value, str) else None
