"""Opening and refusing ledger files on real temp files."""

import hashlib
import sqlite3
import subprocess
import sys

import pytest

from billcli.errors import LedgerUnusable
from billcli.store.ledger import Ledger
from billcli.store.schema import APPLICATION_ID, SCHEMA_VERSION


def file_state(path):
    siblings = sorted(p.name for p in path.parent.iterdir())
    return hashlib.sha256(path.read_bytes()).hexdigest(), siblings


def test_a_missing_ledger_and_its_folder_are_created_in_wal_mode(tmp_path):
    path = tmp_path / "deep" / "folder" / "ledger.db"
    with Ledger(path):
        pass
    conn = sqlite3.connect(path)
    assert conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    assert conn.execute("PRAGMA application_id").fetchone()[0] == APPLICATION_ID
    assert conn.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION


def test_an_empty_file_becomes_a_ledger(tmp_path):
    path = tmp_path / "ledger.db"
    path.touch()
    with Ledger(path) as ledger, ledger.read() as tx:
        assert tx.customers.count() == 0


def make_text(path):
    path.write_text("customer,amount\ncus_1,500\n" * 20)


def make_foreign(path):
    conn = sqlite3.connect(path)
    conn.execute("CREATE TABLE songs (title TEXT)")
    conn.execute("INSERT INTO songs VALUES ('x')")
    conn.commit()
    conn.close()


def make_newer(path):
    with Ledger(path):
        pass
    conn = sqlite3.connect(path)
    conn.execute(f"PRAGMA user_version = {SCHEMA_VERSION + 1}")
    conn.commit()
    conn.close()


@pytest.mark.parametrize(
    ("make", "fragment"),
    [
        (make_text, "not a SQLite database"),
        (make_foreign, "not a billcli ledger"),
        (make_newer, "newer than this billcli"),
    ],
)
def test_unusable_files_are_refused_byte_for_byte_unchanged(tmp_path, make, fragment):
    path = tmp_path / "ledger.db"
    make(path)
    before = file_state(path)
    with pytest.raises(LedgerUnusable, match=fragment) as caught:
        Ledger(path)
    assert caught.value.exit_code == 3
    assert file_state(path) == before


def test_a_directory_is_refused(tmp_path):
    with pytest.raises(LedgerUnusable, match="directory"):
        Ledger(tmp_path)


def _in_another_process(path, sql):
    """What another process reads through a connection it opens and closes."""
    script = (
        "import sqlite3, sys; c = sqlite3.connect(sys.argv[1]); "
        "print([r[0] for r in c.execute(sys.argv[2])]); c.close()"
    )
    done = subprocess.run(
        [sys.executable, "-c", script, str(path), sql], capture_output=True, text=True, check=True
    )
    return done.stdout.strip()


def test_a_second_connection_in_one_process_keeps_the_first_ones_commits(tmp_path):
    """`api serve` keeps a connection per thread and opens one more per advance: reading
    the header again then would drop the process's file locks, so that another process
    closing its connection takes itself for the last one, deletes the write-ahead log,
    and what the first connection commits afterwards is lost."""
    path = tmp_path / "ledger.db"
    probe = "SELECT key FROM meta WHERE key LIKE 'probe.%' ORDER BY key"
    with Ledger(path) as first:
        with first.write() as tx:
            tx.meta.set("probe.a", "1")
        with Ledger(path) as second, second.write() as tx:
            tx.meta.set("probe.b", "1")
        assert _in_another_process(path, probe) == "['probe.a', 'probe.b']"
        with first.write() as tx:
            tx.meta.set("probe.c", "1")
        assert _in_another_process(path, probe) == "['probe.a', 'probe.b', 'probe.c']"
