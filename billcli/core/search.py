"""Stripe's search query language: the fields of each resource, and a parser.

Facts §8 and billcli-decisions ("Search"). A query is up to 10 clauses joined by spaces
or `AND`, or by `OR` (never both kinds in one query; no parentheses). A clause is
`[-]field OPERATOR value`: `:` matches (text case-insensitively and whole, tokens and
metadata exactly), `~` finds a substring of 3 characters or more in a text field, and
`=`, `>`, `<`, `>=`, `<=` compare numbers and times. `field:null` matches a missing
value; `-` negates (and also matches objects without the field). Strings are quoted
('…' or "…", a backslash escapes the next character); numbers and `null`, `true` and
`false` need no quotes. Pure: any string parses or is one clear error with its column.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from enum import Enum

from billcli.errors import InvalidRequest

MAX_CLAUSES = 10
MIN_SUBSTRING = 3
MAX_QUERY = 10_000


class Kind(Enum):
    TEXT = "text"  # case-insensitive, whole value; substrings with ~
    TOKEN = "token"  # exact: ids, statuses, currencies
    NUMBER = "number"  # amounts and times: compared
    BOOLEAN = "boolean"  # true or false
    METADATA = "metadata"  # metadata['key']: exact


# The searchable fields of each resource, as Stripe lists them (and only those).
FIELDS: dict[str, dict[str, Kind]] = {
    "customer": {
        "created": Kind.NUMBER,
        "email": Kind.TEXT,
        "metadata": Kind.METADATA,
        "name": Kind.TEXT,
        "phone": Kind.TEXT,
    },
    "invoice": {
        "created": Kind.NUMBER,
        "currency": Kind.TOKEN,
        "customer": Kind.TOKEN,
        "last_finalization_error_code": Kind.TOKEN,
        "last_finalization_error_type": Kind.TOKEN,
        "metadata": Kind.METADATA,
        "number": Kind.TEXT,
        "receipt_number": Kind.TEXT,
        "status": Kind.TOKEN,
        "subscription": Kind.TOKEN,
        "total": Kind.NUMBER,
    },
    "subscription": {
        "canceled_at": Kind.NUMBER,
        "created": Kind.NUMBER,
        "metadata": Kind.METADATA,
        "status": Kind.TOKEN,
    },
    "price": {
        "active": Kind.BOOLEAN,
        "currency": Kind.TOKEN,
        "lookup_key": Kind.TEXT,
        "metadata": Kind.METADATA,
        "product": Kind.TOKEN,
        "type": Kind.TOKEN,
    },
    "charge": {
        "amount": Kind.NUMBER,
        "created": Kind.NUMBER,
        "currency": Kind.TOKEN,
        "customer": Kind.TOKEN,
        "disputed": Kind.BOOLEAN,
        "metadata": Kind.METADATA,
        "refunded": Kind.BOOLEAN,
        "status": Kind.TOKEN,
    },
    "payment_intent": {
        "amount": Kind.NUMBER,
        "created": Kind.NUMBER,
        "currency": Kind.TOKEN,
        "customer": Kind.TOKEN,
        "metadata": Kind.METADATA,
        "status": Kind.TOKEN,
    },
    "product": {
        "active": Kind.BOOLEAN,
        "description": Kind.TEXT,
        "metadata": Kind.METADATA,
        "name": Kind.TEXT,
        "shippable": Kind.BOOLEAN,
        "url": Kind.TEXT,
    },
}
OPERATORS = (">=", "<=", ":", "~", "=", ">", "<")
COMPARISONS = ("=", ">", "<", ">=", "<=")
Value = str | int | bool | None


@dataclass(frozen=True)
class Clause:
    """One condition: `field` (with `key` for metadata), an operator, a value."""

    field: str
    kind: Kind
    operator: str
    value: Value
    negated: bool = False
    key: str | None = None


@dataclass(frozen=True)
class Query:
    """Clauses joined by AND or by OR."""

    clauses: tuple[Clause, ...]
    joiner: str = "AND"


def bad(column: int, what: str) -> InvalidRequest:
    return InvalidRequest(f"Invalid query: col {column}: {what}", param="query")


_FIELD = re.compile(r"[a-z_]+")
_NUMBER = re.compile(r"-?\d+")
_WORD = re.compile(r"[^\s'\"]+")


class _Reader:
    """Walks the query text, each step reporting where it failed (columns from 1)."""

    def __init__(self, text: str):
        self.text = text
        self.at = 0

    @property
    def column(self) -> int:
        return self.at + 1

    def blank(self) -> bool:
        """Skip whitespace; whether there was any."""
        start = self.at
        while self.at < len(self.text) and self.text[self.at].isspace():
            self.at += 1
        return self.at > start

    def done(self) -> bool:
        return self.at >= len(self.text)

    def peek(self, pattern: re.Pattern[str]) -> str | None:
        found = pattern.match(self.text, self.at)
        return found.group(0) if found else None

    def take(self, pattern: re.Pattern[str]) -> str | None:
        found = self.peek(pattern)
        if found is not None:
            self.at += len(found)
        return found

    def quoted(self) -> str | None:
        """A string in '…' or "…", its escapes read; None when no quote opens here."""
        if self.done() or self.text[self.at] not in "'\"":
            return None
        quote, start = self.text[self.at], self.column
        self.at += 1
        out = []
        while not self.done():
            char = self.text[self.at]
            if char == "\\" and self.at + 1 < len(self.text):
                out.append(self.text[self.at + 1])
                self.at += 2
                continue
            if char == quote:
                self.at += 1
                return "".join(out)
            out.append(char)
            self.at += 1
        raise bad(start, f"the string opened here has no closing {quote}")


def parse(text: str, resource: str) -> Query:
    """The query, checked against the resource's fields; an error names the column."""
    fields = FIELDS[resource]
    if len(text) > MAX_QUERY:
        raise bad(MAX_QUERY + 1, f"a query is at most {MAX_QUERY:,} characters")
    if "\x00" in text:
        raise bad(text.index("\x00") + 1, "a NUL character cannot be part of a query")
    reader = _Reader(text)
    reader.blank()
    if reader.done():
        raise bad(1, "the query is empty; give at least one clause, e.g. email:'ada@example.com'")
    clauses = [_clause(reader, fields, resource)]
    joiners: set[str] = set()
    while True:
        spaced = reader.blank()
        if reader.done():
            break
        column = reader.column
        word = reader.peek(_WORD) or ""
        if word.upper() in ("AND", "OR"):
            reader.take(_WORD)
            joiners.add(word.upper())
            if not reader.blank() or reader.done():
                raise bad(reader.column, f"expected a clause after {word.upper()}")
        elif spaced:
            joiners.add("AND")
        else:
            raise bad(column, "expected a space, AND or OR before the next clause")
        if len(joiners) > 1:
            raise bad(column, "AND and OR cannot be mixed in one query (and there are no "
                      "parentheses)")  # fmt: skip
        if len(clauses) == MAX_CLAUSES:
            raise bad(column, f"a query has at most {MAX_CLAUSES} clauses")
        clauses.append(_clause(reader, fields, resource))
    return Query(tuple(clauses), joiners.pop() if joiners else "AND")


def _clause(reader: _Reader, fields: dict[str, Kind], resource: str) -> Clause:
    negated = reader.text.startswith("-", reader.at)
    if negated:
        reader.at += 1
    column = reader.column
    name = reader.take(_FIELD)
    if not name:
        raise bad(column, "expected a field name, e.g. " + ", ".join(sorted(fields)))
    if name not in fields:
        raise bad(column, f"'{name}' is not a field a {resource} is searched by "
                  f"({', '.join(sorted(fields))})")  # fmt: skip
    kind, key = fields[name], None
    if kind is Kind.METADATA:
        if not reader.text.startswith("[", reader.at):
            raise bad(reader.column, "expected [ after metadata, as in metadata['plan']")
        reader.at += 1
        key_column = reader.column
        key = reader.quoted()
        if not key:
            raise bad(key_column, "expected a metadata key in quotes, as in metadata['plan']")
        if not reader.text.startswith("]", reader.at):
            raise bad(reader.column, "expected ] after the metadata key")
        reader.at += 1
    operator_column = reader.column
    operator = next((op for op in OPERATORS if reader.text.startswith(op, reader.at)), None)
    if operator is None:
        raise bad(operator_column, "expected an operator: ':', '~', '=', '>', '<', '>=' or '<='")
    reader.at += len(operator)
    value = _value(reader, name, kind, operator)
    return Clause(name, kind, operator, value, negated, key)


def _value(reader: _Reader, name: str, kind: Kind, operator: str) -> Value:
    column = reader.column
    if operator == "~" and kind is not Kind.TEXT:
        raise bad(column - 1, f"~ finds text within text; {name} is not a text field")
    if operator in COMPARISONS and kind is not Kind.NUMBER:
        raise bad(column - len(operator), f"{operator} compares numbers; {name} is not a number")
    text = reader.quoted()
    if text is None:
        bare = reader.take(_WORD)
        if bare is None:
            raise bad(column, f"expected a value after '{operator}'")
        if bare == "null" and operator == ":":
            return None
        if kind is Kind.NUMBER and _NUMBER.fullmatch(bare):
            return int(bare)
        if kind is Kind.BOOLEAN and bare in ("true", "false"):
            return bare == "true"
        raise bad(column, f"expected a value in quotes after '{operator}'")
    if kind is Kind.NUMBER:
        if not _NUMBER.fullmatch(text):
            raise bad(column, f"{name} is a number; '{text}' is not a whole number")
        return int(text)
    if kind is Kind.BOOLEAN:
        if text not in ("true", "false"):
            raise bad(column, f"{name} is true or false, not '{text}'")
        return text == "true"
    if operator == "~" and len(text) < MIN_SUBSTRING:
        raise bad(column, f"~ needs at least {MIN_SUBSTRING} characters; '{text}' has {len(text)}")
    return text
