"""A ledger's copy written to a PostgreSQL database: schema and rows in one transaction.

The database must hold no tables. Its tables are made, the rows copied (`COPY`), then
its indexes, references and triggers made, and it is marked a ledger, all before one
`COMMIT`: PostgreSQL's DDL is transactional, so a copy that fails leaves the database
with no tables, and a host opening it meanwhile waits on the migration lock and then
finds a whole ledger (or none).
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

import psycopg

from billcli.store import pg_schema
from billcli.store.copy_rows import Sink, occupied, unresolved
from billcli.store.errors import translated
from billcli.store.paths import ServerAddress
from billcli.store.pg_connection import MIGRATE_LOCK, PgConnection
from billcli.store.pg_opening import mark_ledger, reach, version


@contextmanager
def destination(address: ServerAddress) -> Iterator[Sink]:
    conn = reach(address)
    try:
        with translated(address):
            if version(conn, address) is not None:
                raise occupied(address)
            conn.execute("BEGIN")
        try:
            with translated(address):
                conn.execute("SELECT pg_advisory_xact_lock(?)", [MIGRATE_LOCK])
                if version(conn, address) is not None:  # another host made one meanwhile
                    raise occupied(address)
                schema = pg_schema.sqlite_schema()
                for statement in pg_schema.before_rows(schema):
                    conn.raw.execute(statement)
            yield Sink(address, conn, lambda: _finish(address, conn, schema))
            with translated(address):
                conn.execute("COMMIT")
        except BaseException:
            if conn.in_transaction:
                conn.execute("ROLLBACK")
            raise
    finally:
        conn.close()


def _finish(address: ServerAddress, conn: PgConnection, schema: pg_schema.SqliteSchema) -> None:
    """What comes after the rows; a reference the rows leave unresolved is the
    source's fault, said as such."""
    try:
        for statement in pg_schema.after_rows(schema):
            conn.raw.execute(statement)
    except psycopg.errors.ForeignKeyViolation as error:
        detail = error.diag.message_detail or str(error).splitlines()[0]
        raise unresolved(address, f"{error.diag.table_name}: {detail[:160]}") from None
    mark_ledger(conn)
