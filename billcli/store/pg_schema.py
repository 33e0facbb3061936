"""The PostgreSQL schema, made from the one migration list rather than kept beside it.

The migrations run on an in-memory SQLite database (0.2 s), and what they leave —
every table as its final `CREATE TABLE` text, every index, trigger and row — is
translated: a table a later migration adds is on PostgreSQL with no work of its own.
FTS5 tables become `pg_trgm` GIN indexes on the columns they index (same queries: a
case-insensitive substring); SQLite triggers become PL/pgSQL functions, their `WHEN`
tested inside (PostgreSQL's may not hold a subquery); inline references become
foreign keys added once every table exists (SQLite resolves them lazily).
"""

from __future__ import annotations

import re
import sqlite3
from collections.abc import Iterator
from dataclasses import dataclass

from billcli.store.pg_dialect import call_args, translate
from billcli.store.schema import MIGRATIONS, split_statements

# Made before any table: substring search; SQLite's NOCASE (case-insensitive, as an
# ICU collation at the second strength, accents still count); and `sum` of a condition,
# which counts the rows it holds for, and of integers, an integer, as in SQLite;
# SQLite's `json_each`.
PRELUDE = (
    "CREATE EXTENSION IF NOT EXISTS pg_trgm",
    "CREATE COLLATION IF NOT EXISTS nocase "
    "(provider = icu, locale = 'und-u-ks-level2', deterministic = false)",
    "CREATE FUNCTION billcli_count_true(bigint, boolean) RETURNS bigint LANGUAGE sql "
    "IMMUTABLE AS 'SELECT $1 + CASE WHEN $2 THEN 1 ELSE 0 END'",
    "CREATE AGGREGATE billcli_sum(boolean) "
    "(SFUNC = billcli_count_true, STYPE = bigint, INITCOND = 0)",
    "CREATE AGGREGATE billcli_sum(bigint) (SFUNC = int8pl, STYPE = bigint)",
    "CREATE AGGREGATE billcli_sum(double precision) (SFUNC = float8pl, STYPE = double precision)",
    # A condition compared with 0 or 1 (a search for `refunded:'true'`), as in SQLite.
    *(
        statement
        for kind in ("smallint", "integer", "bigint")
        for statement in (
            f"CREATE FUNCTION billcli_is(boolean, {kind}) RETURNS boolean LANGUAGE sql "
            "IMMUTABLE AS 'SELECT $1 = ($2 <> 0)'",
            f"CREATE OPERATOR = (LEFTARG = boolean, RIGHTARG = {kind}, FUNCTION = billcli_is)",
        )
    ),
    # SQLite's json_each: an object's members or an array's elements, values as text.
    "CREATE FUNCTION billcli_json_each(doc text) RETURNS TABLE (key text, value text) "
    "LANGUAGE sql IMMUTABLE AS $$ "
    "SELECT k, v FROM json_each_text(CASE WHEN json_typeof(CAST(doc AS json)) = 'object' "
    "THEN CAST(doc AS json) END) AS m (k, v) UNION ALL "
    "SELECT CAST(n - 1 AS text), v FROM json_array_elements_text(CASE WHEN "
    "json_typeof(CAST(doc AS json)) = 'array' THEN CAST(doc AS json) END) "
    "WITH ORDINALITY AS e (v, n) $$",
)
_FTS = re.compile(r"CREATE VIRTUAL TABLE (\w+) USING fts5\((.*)\)", re.S | re.I)
_IDENTITY = re.compile(r"\bINTEGER\s+PRIMARY\s+KEY(\s+AUTOINCREMENT)?", re.I)
_REFERENCES = re.compile(r"\s+REFERENCES\s+\w+\s*\([^)]*\)", re.I)
_TRIGGER = re.compile(
    r"CREATE TRIGGER (\w+)\s+(BEFORE|AFTER)\s+(INSERT|DELETE|UPDATE(?:\s+OF\s+[\w\s,]+?)?)"
    r"\s+ON\s+(\w+)(?:\s+FOR EACH ROW)?(?:\s+WHEN\s+(.*?))?\s+BEGIN\b(.*)END\s*$",
    re.S | re.I,
)
_RAISE = re.compile(r"SELECT\s+RAISE\s*\(\s*ABORT\s*,\s*('(?:[^']|'')*')\s*\)", re.I)


Column = tuple[str, str, bool, "str | None"]


@dataclass(frozen=True)
class SqliteSchema:
    """What the migrations leave in SQLite: entries of `sqlite_master`, and rows."""

    tables: list[tuple[str, str]]  # (name, CREATE TABLE text)
    indexes: list[str]
    triggers: list[str]
    fts: list[tuple[str, str]]  # (virtual table, its CREATE text)
    references: list[tuple[str, str, str, str]]  # (table, column, parent, parent column)
    rows: dict[str, list[tuple[object, ...]]]
    columns: dict[str, list[Column]]  # name, type, not null, default


def sqlite_schema(version: int | None = None) -> SqliteSchema:
    """Run the migrations up to `version` (all by default) on an in-memory SQLite."""
    conn = sqlite3.connect(":memory:")
    try:
        for script in MIGRATIONS[:version]:
            for statement in split_statements(script):
                conn.execute(statement)
        master = conn.execute(
            "SELECT type, name, sql FROM sqlite_master WHERE sql IS NOT NULL ORDER BY rowid"
        ).fetchall()
        fts = [(name, sql) for kind, name, sql in master if _FTS.match(sql)]
        shadows = tuple(f"{name}_" for name, _ in fts)
        tables = [
            (name, sql)
            for kind, name, sql in master
            if kind == "table"
            and not name.startswith(("sqlite_", *shadows))
            and (name, sql) not in fts
        ]
        references = [
            (table, row[3], row[2], row[4])
            for table, _ in tables
            for row in conn.execute(f"PRAGMA foreign_key_list({table})")
        ]
        rows = {
            table: conn.execute(f"SELECT * FROM {table}").fetchall()
            for table, _ in tables
            if conn.execute(f"SELECT count(*) FROM {table}").fetchone()[0]
        }
        columns = {
            table: [
                (name, kind.upper(), bool(notnull), default)
                for _, name, kind, notnull, default, _ in conn.execute(
                    f"PRAGMA table_info({table})"
                )
            ]
            for table, _ in tables
        }
    finally:
        conn.close()
    indexes = [sql for kind, _, sql in master if kind == "index"]
    fts_names = tuple(name for name, _ in fts)
    triggers = [
        sql for kind, _, sql in master if kind == "trigger" and not _touches(sql, fts_names)
    ]
    return SqliteSchema(tables, indexes, triggers, fts, references, rows, columns)


def _touches(sql: str, tables: tuple[str, ...]) -> bool:
    return any(re.search(rf"\b{name}\b", sql) for name in tables)


def table(sql: str) -> str:
    """A `CREATE TABLE` with an identity `seq`, BIGINT integers, no inline references."""
    sql = re.sub(r"\)\s*WITHOUT ROWID\s*$", ")", sql.strip(), flags=re.I)
    sql = _IDENTITY.sub("BIGINT GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY", sql)
    return translate(_REFERENCES.sub("", sql)).replace("%%", "%")


def trigram_indexes(name: str, sql: str) -> Iterator[str]:
    """An FTS5 trigram table's columns as GIN trigram indexes on its content table."""
    match = _FTS.match(sql)
    assert match, sql
    args, _ = call_args(sql, sql.index("("))
    options = dict(re.findall(r"(\w+)\s*=\s*'([^']*)'", ",".join(args)))
    columns = [arg for arg in args if "=" not in arg]
    for column in columns:
        yield (
            f"CREATE INDEX {name}_{column} ON {options['content']} "
            f"USING gin ({column} gin_trgm_ops)"
        )


def trigger(sql: str) -> list[str]:
    """A SQLite trigger as a PL/pgSQL function and the trigger that calls it."""
    match = _TRIGGER.match(sql.strip())
    assert match, sql
    name, timing, event, on, when, body = match.groups()
    body = _RAISE.sub(r"RAISE EXCEPTION USING ERRCODE = '23000', MESSAGE = \1", body)
    body = translate(body).replace("%%", "%")
    if when:
        body = f"IF {translate(when).replace('%%', '%')} THEN {body} END IF;"
    back = "NULL" if timing.upper() == "AFTER" else "OLD" if event.upper() == "DELETE" else "NEW"
    return [
        f"CREATE FUNCTION {name}() RETURNS trigger LANGUAGE plpgsql AS $body$ "
        f"BEGIN {body} RETURN {back}; END $body$",
        f"CREATE TRIGGER {name} {timing} {event} ON {on} FOR EACH ROW EXECUTE FUNCTION {name}()",
    ]


def _translated(sql: str) -> str:
    return translate(sql).replace("%%", "%")


def _references(references: list[tuple[str, str, str, str]]) -> list[str]:
    return [
        f"ALTER TABLE {child} ADD FOREIGN KEY ({column}) REFERENCES {parent} ({parent_column})"
        for child, column, parent, parent_column in references
    ]


def _triggers(sqls: list[str]) -> list[str]:
    return [statement for sql in sqls for statement in trigger(sql)]


def statements(schema: SqliteSchema) -> list[str]:
    """Every DDL statement of a new PostgreSQL ledger, tables first, rows not included."""
    return before_rows(schema) + after_rows(schema)


def before_rows(schema: SqliteSchema) -> list[str]:
    """The functions and tables: what rows need to be written."""
    return [*PRELUDE, *(table(sql) for _, sql in schema.tables)]


def after_rows(schema: SqliteSchema) -> list[str]:
    """Indexes, references and triggers: made after a copy's rows, they are built once
    (not row by row), every reference is checked once, and no trigger rewrites or
    refuses a row copied as it was."""
    out = [_translated(sql) for sql in schema.indexes]
    for name, sql in schema.fts:
        out += trigram_indexes(name, sql)
    return out + _references(schema.references) + _triggers(schema.triggers)


def _column(name: str, kind: str, notnull: bool, default: str | None) -> str:
    """A column as `ALTER TABLE … ADD COLUMN` adds it (a CHECK on it is not carried)."""
    sql = f'"{name}" {translate(kind or "TEXT")}'
    if default is not None:
        sql += f" DEFAULT {default}"
    return sql + (" NOT NULL" if notnull else "")


def upgrade(old: SqliteSchema, new: SqliteSchema) -> list[str]:
    """From a ledger made at `old`'s version to `new`'s: new tables, columns, indexes,
    trigram indexes and references; every trigger made again. A table a migration made
    again on SQLite (the only way SQLite changes a column's nullability or a CHECK) is
    compared with what it was, so its columns' NOT NULL and its CHECKs follow (`_remade`).
    What migrations did to existing rows (backfills) is not replayed: columns added take
    their defaults."""
    had = dict(old.tables)
    out = [table(sql) for name, sql in new.tables if name not in had]
    for name, sql in new.tables:
        known = {column[0] for column in old.columns.get(name, [])}
        out += [
            f"ALTER TABLE {name} ADD COLUMN {_column(*column)}"
            for column in new.columns[name]
            if name in had and column[0] not in known
        ]
        if name in had:
            out += _remade(name, old.columns[name], new.columns[name], had[name], sql)
    out += [f"DROP FUNCTION IF EXISTS {_name(sql)}() CASCADE" for sql in old.triggers]
    out += [f"DROP INDEX IF EXISTS {_name(sql)}" for sql in old.indexes if sql not in new.indexes]
    out += [_translated(sql) for sql in new.indexes if sql not in old.indexes]
    for name, sql in new.fts:
        if (name, sql) not in old.fts:
            out += trigram_indexes(name, sql)
    out += _references([ref for ref in new.references if ref not in old.references])
    return out + _triggers(new.triggers)


def _remade(
    name: str, before: list[Column], after: list[Column], old_sql: str, new_sql: str
) -> list[str]:
    """A kept table's columns made nullable (or not) as the new schema has them, and its
    CHECKs replaced by the new schema's when they differ (all of them: PostgreSQL named
    them itself, so they are found in its catalogue)."""
    was = {column[0]: column[2] for column in before}
    out = [
        f'ALTER TABLE {name} ALTER COLUMN "{column}" {"SET" if notnull else "DROP"} NOT NULL'
        for column, _, notnull, _ in after
        if column in was and was[column] != notnull
    ]
    checks = checks_of(new_sql)
    if checks != checks_of(old_sql):
        out.append(
            "DO $drop$ DECLARE c text; BEGIN FOR c IN SELECT conname FROM pg_constraint "
            f"WHERE conrelid = '{name}'::regclass AND contype = 'c' LOOP "
            f"EXECUTE format('ALTER TABLE {name} DROP CONSTRAINT %I', c); END LOOP; END $drop$"
        )
        out += [f"ALTER TABLE {name} ADD CHECK ({_translated(check)})" for check in checks]
    return out


def checks_of(sql: str) -> list[str]:
    """The conditions of a `CREATE TABLE`'s CHECKs, a column's and the table's alike."""
    found = []
    for match in re.finditer(r"\bCHECK\s*\(", sql, re.I):
        _, closing = call_args(sql, match.end() - 1)
        found.append(sql[match.end() : closing].strip())
    return found


def _name(sql: str) -> str:
    """The name a `CREATE INDEX` or `CREATE TRIGGER` statement gives."""
    match = re.match(r"CREATE\s+(?:UNIQUE\s+)?(?:INDEX|TRIGGER)\s+(\w+)", sql, re.I)
    assert match, sql
    return match.group(1)
