"""`api serve`: uvicorn in front of the API app, with a request log."""

from __future__ import annotations

import sys

from billcli.api.app import create_api
from billcli.request_log import RequestLog
from billcli.store.paths import Address

LOOPBACK = ("127.0.0.1", "::1", "localhost")


def warning_for(host: str) -> str | None:
    """What to say when the API listens beyond this machine."""
    if host in LOOPBACK:
        return None
    return (
        f"warning: listening on {host}: anyone who can reach it and holds the key can read "
        "and change this ledger"
    )


def run(
    ledger_path: Address, *, host: str, port: int, new_key: str | None, durability: str
) -> None:
    # startup: uvicorn loads when the server starts, not when its warning is read
    import uvicorn

    app = RequestLog(create_api(ledger_path, durability=durability))
    sys.stderr.write(
        f"billcli API serving {ledger_path} on http://{host}:{port}/v1 (Ctrl-C stops it)\n"
    )
    if durability == "process":
        sys.stderr.write(
            "writes are answered before they reach the disk (--durability process): a "
            "crash of this server loses none of them; a crash of the machine (or of a "
            "PostgreSQL server) may lose the last ones\n"
        )
    if new_key:
        sys.stderr.write(
            f"the ledger had no API key; it is now {new_key} (shown once: "
            "`billcli api key --roll` makes another)\n"
        )
    warning = warning_for(host)
    if warning:
        sys.stderr.write(warning + "\n")
    uvicorn.run(app, host=host, port=port, access_log=False, log_level="warning")
