"""A PostgreSQL server for the tests: the system's binaries, a temp data folder, a free
port, no fsync; one per test session (per xdist worker), stopped at its end.

Databases: a template made once by opening a ledger on it (the migrations translated
once), and one fresh database per test made from it (`CREATE DATABASE … TEMPLATE`:
a file copy, ~50 ms). The user `billcli` connects without a password; `locked` needs
one (`secret`), for the tests of wrong credentials.
"""

from __future__ import annotations

import glob
import itertools
import os
import shutil
import socket
import subprocess
import tempfile
from pathlib import Path

ENGINE_ENV = "BILLCLI_TEST_ENGINE"
TEMPLATE = "billcli_template"
_made = itertools.count()


def binaries() -> Path | None:
    """The folder of `pg_ctl`: on PATH, else Debian's `/usr/lib/postgresql/*/bin`."""
    found = shutil.which("pg_ctl")
    if found:
        return Path(os.path.realpath(found)).parent
    versions = sorted(glob.glob("/usr/lib/postgresql/*/bin/pg_ctl"))
    return Path(versions[-1]).parent if versions else None


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


class Server:
    """One running server; `url(database)` connects to it as `billcli`."""

    def __init__(self) -> None:
        bin_dir = binaries()
        if bin_dir is None:
            raise RuntimeError("no PostgreSQL binaries (pg_ctl) on PATH or in /usr/lib/postgresql")
        self.bin = bin_dir
        self.root = Path(tempfile.mkdtemp(prefix="billcli-pg-"))
        self.data = self.root / "data"
        self.port = _free_port()
        # PostgreSQL refuses to run as root: then it runs as the `postgres` user.
        self.as_user = ["runuser", "-u", "postgres", "--"] if os.geteuid() == 0 else []
        if self.as_user:
            shutil.chown(self.root, "postgres")
        self._run("initdb", "-D", str(self.data), "-U", "billcli", "-E", "UTF8",
                  "--locale=C.UTF-8", "--auth=trust")  # fmt: skip
        (self.data / "pg_hba.conf").write_text(
            "local all all trust\n"
            "host all billcli 127.0.0.1/32 trust\n"
            "host all all 127.0.0.1/32 scram-sha-256\n"
        )
        options = (
            f"-p {self.port} -k {self.root} -c listen_addresses=127.0.0.1 -c fsync=off "
            "-c synchronous_commit=off -c full_page_writes=off -c max_connections=200"
        )
        self._run("pg_ctl", "-D", str(self.data), "-o", options, "-l",
                  str(self.root / "log"), "-w", "start")  # fmt: skip
        self.admin("CREATE ROLE locked LOGIN PASSWORD 'secret'")

    def _run(self, program: str, *args: str) -> None:
        subprocess.run(
            [*self.as_user, str(self.bin / program), *args],
            check=True,
            capture_output=True,
            cwd=self.root,
        )

    def url(self, database: str, user: str = "billcli") -> str:
        return f"postgresql://{user}@127.0.0.1:{self.port}/{database}"

    def admin(self, *statements: str) -> None:
        import psycopg

        with psycopg.connect(self.url("postgres"), autocommit=True) as conn:
            for statement in statements:
                conn.execute(statement)

    def fresh(self, *, ledger: bool = True) -> str:
        """The address of a new database: a ledger made from the template, or empty."""
        name = f"t{os.getpid()}_{next(_made)}"
        template = f" TEMPLATE {TEMPLATE}" if ledger else ""
        self.admin(f"CREATE DATABASE {name}{template}")
        return self.url(name)

    def make_template(self) -> None:
        from billcli.store.ledger import Ledger

        self.admin(f"CREATE DATABASE {TEMPLATE}")
        Ledger(self.url(TEMPLATE)).close()

    def stop(self) -> None:
        try:
            self._run("pg_ctl", "-D", str(self.data), "-m", "immediate", "stop")
        finally:
            shutil.rmtree(self.root, ignore_errors=True)
