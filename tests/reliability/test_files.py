"""Damaged, foreign, full and read-only ledgers: exit 3, one line, not a byte written."""

import hashlib
import os
import resource
import shutil
import signal
import sqlite3
import subprocess
import sys
import tempfile
from pathlib import Path

import pytest

from billcli.store.schema import SCHEMA_VERSION
from tests.conftest import ledger_digest
from tests.reliability.figures import publish


def sha(path):
    return hashlib.sha256(path.read_bytes()).hexdigest()


def billcli(ledger, *args, preexec=None, user=None, packages=None):
    """Run billcli on `ledger`; as `user` (a uid) from a readable copy in `packages`."""
    env = {**os.environ, "PYTHONDONTWRITEBYTECODE": "1"}
    command = [sys.executable, "-m", "billcli", *args, "--ledger", str(ledger)]
    if user:
        # The clone (its venv and the editable install) may sit where others cannot
        # read: the base interpreter runs the readable copy instead.
        env["PYTHONPATH"] = str(packages)
        command[0] = os.path.realpath(sys.executable)
        command = ["setpriv", f"--reuid={user}", f"--regid={user}", "--clear-groups", *command]
    return subprocess.run(
        command, capture_output=True, text=True, preexec_fn=preexec, env=env, cwd="/"
    )


def readable_install(dest):
    """billcli and the distributions its command line imports, copied where anyone
    may read them: what an unprivileged user's own install would hold."""
    import importlib.metadata as metadata
    import re

    import billcli as package

    shutil.copytree(Path(package.__file__).parent, dest / "billcli")
    wanted, seen = ["typer"], set()
    while wanted:
        dist = metadata.distribution(wanted.pop())
        if dist.name in seen:
            continue
        seen.add(dist.name)
        for file in dist.files or ():
            if file.parts[0].endswith((".dist-info", ".data")) or ".." in file.parts:
                continue
            target = dest / file
            target.parent.mkdir(parents=True, exist_ok=True)
            shutil.copy(file.locate(), target)
        for requirement in dist.requires or ():
            if "extra ==" not in requirement:
                wanted.append(re.split(r"[ ;<>=!~\[]", requirement, maxsplit=1)[0])
    for folder in [dest, *dest.rglob("*")]:
        folder.chmod(0o755 if folder.is_dir() else 0o644)


@pytest.fixture
def full_ledger(tmp_path):
    """A real ledger with 300 customers, closed (no -wal or -shm beside it)."""
    path = tmp_path / "ledger.db"
    rows = tmp_path / "c.csv"
    rows.write_text("name,email\n" + "".join(f"C{i},c{i}@example.com\n" for i in range(300)))
    assert billcli(path, "customers", "import", str(rows)).returncode == 0
    return path


def damage_truncate(path):
    with path.open("r+b") as handle:
        handle.truncate(path.stat().st_size // 2)


def damage_flip_schema(path):
    """Flip bits inside the stored schema, where SQLite reads on every open."""
    data = bytearray(path.read_bytes())
    start = data.index(b"CREATE TABLE customers")
    for offset in range(start + 13, start + 40, 3):
        data[offset] ^= 0x21
    path.write_bytes(bytes(data))


def damage_not_sqlite(path):
    path.write_text("id,name\n" * 500)


def damage_foreign(path):
    path.unlink()
    conn = sqlite3.connect(path)
    conn.execute("CREATE TABLE photos (id INTEGER PRIMARY KEY, jpeg BLOB)")
    conn.commit()
    conn.close()


def damage_newer(path):
    conn = sqlite3.connect(path)
    conn.execute(f"PRAGMA user_version = {SCHEMA_VERSION + 1}")
    conn.commit()
    conn.close()


DAMAGE = {
    "truncated": (damage_truncate, "damaged"),
    "bit-flipped schema": (damage_flip_schema, "damaged"),
    "not SQLite": (damage_not_sqlite, "not a SQLite database"),
    "foreign SQLite": (damage_foreign, "not a billcli ledger"),
    "newer schema": (damage_newer, "newer than this billcli"),
}


@pytest.mark.parametrize("kind", list(DAMAGE))
def test_damaged_and_foreign_files_are_refused_and_never_written(full_ledger, kind):
    damage, fragment = DAMAGE[kind]
    damage(full_ledger)
    before = sha(full_ledger)
    for args in (["customers", "create", "--name", "X"], ["customers", "list"]):
        done = billcli(full_ledger, *args)
        assert done.returncode == 3, (kind, done.stderr)
        assert fragment in done.stderr and done.stderr.count("\n") == 1
        assert "Traceback" not in done.stderr
    assert sha(full_ledger) == before
    assert sorted(p.name for p in full_ledger.parent.iterdir() if "ledger" in p.name) == [
        "ledger.db"
    ]
    publish(f"damaged-{kind.replace(' ', '-')}", exit=3, unchanged=True)


def test_a_full_disk_is_a_clear_exit_3_and_the_ledger_is_unchanged(full_ledger):
    before = ledger_digest(full_ledger)
    limit = full_ledger.stat().st_size + 4096

    def cap_file_size():
        signal.signal(signal.SIGXFSZ, signal.SIG_IGN)
        resource.setrlimit(resource.RLIMIT_FSIZE, (limit, limit))

    rows = full_ledger.parent / "more.csv"
    rows.write_text("name\n" + "".join(f"N{i}\n" for i in range(2000)))
    done = billcli(full_ledger, "customers", "import", str(rows), preexec=cap_file_size)
    assert done.returncode == 3, done.stderr
    assert "disk is full" in done.stderr or "I/O" in done.stderr
    assert "Traceback" not in done.stderr
    assert ledger_digest(full_ledger) == before
    publish("disk-full", exit=done.returncode, message=done.stderr.strip().split(": ")[-1])


@pytest.mark.skipif(
    os.geteuid() != 0 or shutil.which("setpriv") is None,
    reason="needs root to drop to an unprivileged user with setpriv",
)
def test_a_read_only_ledger_is_exit_3_for_an_unprivileged_user(full_ledger):
    # pytest's folders are private to root: share a copy where others may read, not write.
    shared = Path(tempfile.mkdtemp(prefix="billcli-ro-", dir="/tmp"))
    try:
        shared.chmod(0o755)
        readable_install(shared / "site")
        ledger = shared / "ledger.db"
        shutil.copy(full_ledger, ledger)
        ledger.chmod(0o644)
        before = sha(ledger)
        done = billcli(
            ledger, "customers", "create", "--name", "X", user="65534", packages=shared / "site"
        )
        assert sha(ledger) == before
    finally:
        shutil.rmtree(shared)
    assert done.returncode == 3, done.stderr
    assert "Cannot use ledger" in done.stderr and "Traceback" not in done.stderr
    assert "Permission denied" not in done.stderr  # it reached the file: refused as read-only
    publish("read-only", exit=done.returncode, message=done.stderr.strip().split(": ")[-1])
