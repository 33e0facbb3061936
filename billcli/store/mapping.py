"""One mapping between a record dataclass and its table, so repositories stay small.

Columns carry the dataclass's field names; dict and list fields are stored as JSON
text and bool fields as 0/1. Every repository reads and writes through its mapper, so adding a
field to a record and a column to the schema is the whole change.
"""

from __future__ import annotations

import dataclasses
import importlib
import json
import operator
from collections.abc import Callable, Iterable, Iterator, Sequence
from typing import Any, ClassVar, Generic, TypeVar

from billcli.store.codec import compact
from billcli.store.dialect import Connection
from billcli.store.errors import DamagedRecord

T = TypeVar("T")
R = TypeVar("R")
MAPPERS: list[Mapper[Any]] = []


def _json(value: Any) -> str:
    return compact(value) if value else "{}"


def _json_list(value: Any) -> str:
    return compact(list(value)) if value else "[]"


def _loads_list(value: str | None) -> Any:
    return json.loads(value) if value else []


def _nullable_json(value: Any) -> str | None:
    return None if value is None else compact(value)


def _loads(value: str | None) -> Any:
    return json.loads(value) if value else {}


def _nullable_bool(value: int | None) -> bool | None:
    return None if value is None else bool(value)


def _nullable_loads(value: str | None) -> Any:
    return None if value is None else json.loads(value)


class Mapper(Generic[T]):
    """Reads and writes one record dataclass as rows of one table.

    The dataclass is named (module and class) and imported on first use: creating a
    frozen dataclass costs up to 2 ms, and a command that never reads a kind of record
    (a tick with nothing due and its invoices) should not pay for it.
    """

    cls: type[T]
    columns: tuple[str, ...]
    select: str
    insert: str
    update: str
    _fields: Callable[[T], tuple[Any, ...]]
    _converters: list[tuple[int, Callable[[Any], Any]]]
    _readers: list[tuple[str, Callable[[Any], Any]]]

    def __init__(self, module: str, record: str, table: str):
        self._record = (module, record)
        self.table = table
        MAPPERS.append(self)

    def __getattr__(self, name: str) -> Any:
        # Called only for what is not set yet: the plan made from the dataclass.
        if name.startswith("__") or "_record" not in self.__dict__:
            raise AttributeError(name)
        self._plan()
        return self.__dict__[name]

    def _plan(self) -> None:
        module, name = self._record
        self.cls = getattr(importlib.import_module(module), name)
        fields = dataclasses.fields(self.cls)  # type: ignore[arg-type]
        self.columns = tuple(f.name for f in fields)
        json_columns = {f.name for f in fields if "dict" in str(f.type) or "list" in str(f.type)}
        nullable_json = {f.name for f in fields if f.name in json_columns and "None" in str(f.type)}
        list_columns = {f.name for f in fields if str(f.type).startswith("list[")}
        bool_columns = {f.name for f in fields if str(f.type) == "bool"}
        nullable_bool = {f.name for f in fields if str(f.type) == "bool | None"}
        self._fields = operator.attrgetter(*self.columns)
        self._converters = []
        self._readers = []
        for index, column in enumerate(self.columns):
            if column in nullable_json:
                self._converters.append((index, _nullable_json))
                self._readers.append((column, _nullable_loads))
            elif column in list_columns:
                self._converters.append((index, _json_list))
                self._readers.append((column, _loads_list))
            elif column in json_columns:
                self._converters.append((index, _json))
                self._readers.append((column, _loads))
            elif column in bool_columns:
                self._converters.append((index, int))
                self._readers.append((column, bool))
            elif column in nullable_bool:
                self._readers.append((column, _nullable_bool))
        names = ", ".join(f'"{column}"' for column in self.columns)
        marks = ", ".join("?" * len(self.columns))
        self.select = f"SELECT {names} FROM {self.table}"
        self.insert = f"INSERT INTO {self.table} ({names}) VALUES ({marks})"
        sets = ", ".join(f'"{column}" = ?' for column in self.columns[1:])
        self.update = f"UPDATE {self.table} SET {sets} WHERE {self.columns[0]} = ?"

    def json_columns(self) -> list[str]:
        """The columns stored as JSON text."""
        self._plan()
        return [
            name for name, read in self._readers if read in (_loads, _nullable_loads, _loads_list)
        ]

    def values(self, obj: T) -> list[Any]:
        """The row for `obj`: every field read at once, only the odd ones converted."""
        out = list(self._fields(obj))
        for index, convert in self._converters:
            out[index] = convert(out[index])
        return out

    def record(self, row: Sequence[Any]) -> T:
        """The record of a row, its odd columns converted.

        Rows come from the ledger's own writes, so the record is filled in directly
        rather than through the frozen dataclass's `__init__`, which sets each of an
        invoice's 37 fields one call at a time (a tick reads thousands of rows).
        """
        values = dict(zip(self.columns, row, strict=True))
        for name, read in self._readers:
            try:
                values[name] = read(values[name])
            except ValueError:
                where = f"{self.table} {values[self.columns[0]]}, column {name}: not JSON"
                raise DamagedRecord(where) from None
        record: T = object.__new__(self.cls)
        record.__dict__.update(values)
        return record

    def add_many(self, conn: Connection, objs: Sequence[T]) -> None:
        conn.executemany(self.insert, [self.values(o) for o in objs])

    def save(self, conn: Connection, obj: T) -> None:
        """Write every field of an existing row, found by its first column (the id)."""
        values = self.values(obj)
        conn.execute(self.update, [*values[1:], values[0]])

    def get(self, conn: Connection, key: Any) -> T | None:
        """The record whose first column (its id) is `key`."""
        return self.find(conn, self.columns[0], key)

    def find(self, conn: Connection, column: str, value: Any) -> T | None:
        """The record whose `column` (one of the mapped names) holds `value`."""
        assert column in self.columns, column
        row = conn.execute(f'{self.select} WHERE "{column}" = ?', [value]).fetchone()
        return self.record(row) if row else None


class Owned:
    """A repository whose objects belong to a customer (its `owner` field names it).

    Writing one puts the transaction on that customer's clock, or refuses a second
    clock (`Tx.owns`, handed over by the transaction that builds the repository): the
    one place no write of a customer's object can go around.
    """

    owner: ClassVar[str | None] = None
    _owns: Callable[[str | None], None] | None = None

    def decided_by(self, owns: Callable[[str | None], None]) -> None:
        self._owns = owns

    def claim(self, records: Iterable[Any]) -> None:
        """Enter the clocks of the customers these objects belong to."""
        if self._owns is None or self.owner is None:
            return
        for customer in dict.fromkeys(getattr(record, self.owner) for record in records):
            self._owns(customer)

    def claimed(self, record: R | None) -> R | None:
        """A record found by a secret (a hosted page, a portal link): what follows
        happens in its customer's time."""
        if record is not None:
            self.claim([record])
        return record


class Table(Owned, Generic[T]):
    """A repository's common half: its records by id, added, saved, counted, walked."""

    mapper: Mapper[T]

    def __init__(self, conn: Connection):
        self.conn = conn

    def get(self, key: str) -> T | None:
        return self.mapper.get(self.conn, key)

    def get_many(self, keys: Sequence[str]) -> dict[str, T]:
        """The records of `keys` that exist, by id (one query per 500 keys)."""
        found: dict[str, T] = {}
        first = self.mapper.columns[0]
        for start in range(0, len(keys), 500):
            chunk = list(keys[start : start + 500])
            marks = ", ".join("?" * len(chunk))
            rows = self.conn.execute(f'{self.mapper.select} WHERE "{first}" IN ({marks})', chunk)
            for row in rows:
                record = self.mapper.record(row)
                found[getattr(record, first)] = record
        return found

    def add(self, record: T) -> None:
        self.mapper.add_many(self.conn, [record])
        self.claim([record])

    def add_many(self, records: Sequence[T]) -> None:
        self.mapper.add_many(self.conn, records)
        self.claim(records)

    def save(self, record: T) -> None:
        self.mapper.save(self.conn, record)
        self.claim([record])

    def all(self) -> Iterator[T]:
        for row in self.conn.execute(f"{self.mapper.select} ORDER BY seq"):
            yield self.mapper.record(row)

    def count(self) -> int:
        return int(self.conn.execute(f"SELECT count(*) FROM {self.mapper.table}").fetchone()[0])
