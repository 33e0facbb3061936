"""SQLite's SQL as PostgreSQL runs it: the repositories' statements are written once, in
SQLite's dialect, and translated here (once per distinct statement, then cached).

What differs and how it is bridged: `?` and `:name` placeholders become psycopg's;
`IS`/`IS NOT` between values become `IS [NOT] DISTINCT FROM`; `INTEGER` is `BIGINT`
(money never overflows 32 bits); `json_extract` becomes `#>>` and `json_each` the
ledger's `billcli_json_each` (objects and arrays); two-argument `max`/`min` are
`greatest`/`least`; `group_concat`, `instr` and `ifnull` have their PostgreSQL names;
`INDEXED BY` goes (the planner chooses); `sum` is the ledger's `billcli_sum`, an
integer over integers (PostgreSQL's own is `numeric`, whose division is not SQLite's)
that also counts the rows a condition holds for (SQLite's conditions are 0 or 1).
`COLLATE NOCASE` needs nothing: the ledger has a case-insensitive ICU collation of
that name. What no rewriting can bridge
(date buckets, substring search) the repositories ask of `conn.dialect`.
"""

from __future__ import annotations

import re
from functools import lru_cache

_LITERAL = re.compile(r"'(?:[^']|'')*'|\"(?:[^\"]|\"\")*\"")
_CALL = re.compile(
    r"\b(json_extract|json_each|max|min|sum|group_concat|instr|ifnull|json_object)\s*\(", re.I
)
_CODE_RULES = (
    (re.compile(r"\bIS\s+NOT\s+(?!NULL\b|DISTINCT\b|TRUE\b|FALSE\b)", re.I), "IS DISTINCT FROM "),
    (
        re.compile(r"\bIS\s+(?!NOT\b|NULL\b|DISTINCT\b|TRUE\b|FALSE\b)", re.I),
        "IS NOT DISTINCT FROM ",
    ),
    (re.compile(r"\bINTEGER\b", re.I), "BIGINT"),
    (re.compile(r"\bREAL\b", re.I), "DOUBLE PRECISION"),
    (re.compile(r"\btemp\.", re.I), "pg_temp."),
    (re.compile(r"\s+INDEXED\s+BY\s+\w+", re.I), ""),  # the planner chooses by itself
    (re.compile(r"(?<![:\w]):([A-Za-z_]\w*)"), r"%(\1)s"),
    (re.compile(r"\?"), "%s"),
)


def literal_spans(sql: str) -> list[tuple[int, int]]:
    """Where quoted strings and identifiers are: nothing inside them is rewritten."""
    return [match.span() for match in _LITERAL.finditer(sql)]


def _inside(spans: list[tuple[int, int]], at: int) -> bool:
    return any(start <= at < end for start, end in spans)


def call_args(sql: str, opening: int) -> tuple[list[str], int]:
    """The top-level arguments of the call whose `(` is at `opening`, and where its `)` is."""
    depth, start, args, at = 0, opening + 1, [], opening
    while at < len(sql):
        char = sql[at]
        if char in "'\"":
            at = sql.index(char, at + 1)
            while at + 1 < len(sql) and sql[at + 1] == char:
                at = sql.index(char, at + 2)
        elif char == "(":
            depth += 1
        elif char == ")":
            depth -= 1
            if depth == 0:
                args.append(sql[start:at].strip())
                return args, at
        elif char == "," and depth == 1:
            args.append(sql[start:at].strip())
            start = at + 1
        at += 1
    raise ValueError(f"unbalanced parentheses in {sql!r}")


def _json_path(literal: str) -> str:
    """`'$.a.b[0]'` as PostgreSQL's path array `'{a,b,0}'`."""
    path = literal.strip("'")
    assert path.startswith("$"), literal
    parts = re.findall(r"\.([^.\[]+)|\[(\d+)\]", path[1:])
    return "'{" + ",".join(name or index for name, index in parts) + "}'"


def _call(name: str, args: list[str]) -> str | None:
    """The PostgreSQL form of one SQLite function call (None: keep it as it is)."""
    name = name.lower()
    if name == "json_extract":
        return f"(CAST({args[0]} AS json) #>> {_json_path(args[1])})"
    if name == "json_each":
        return f"billcli_json_each({args[0]})"
    if name in ("max", "min") and len(args) > 1:
        return f"{'greatest' if name == 'max' else 'least'}({', '.join(args)})"
    if name == "sum":
        return f"billcli_sum({', '.join(args)})"
    if name == "group_concat":
        separator = args[1] if len(args) > 1 else "','"
        return f"string_agg(CAST({args[0]} AS text), {separator})"
    if name == "instr":
        return f"strpos({args[0]}, {args[1]})"
    if name == "ifnull":
        return f"coalesce({', '.join(args)})"
    if name == "json_object":
        return f"CAST(json_build_object({', '.join(args)}) AS text)"
    return None


def _rewrite_calls(sql: str) -> str:
    """Rewrite SQLite-only calls, innermost (rightmost) first so positions stay valid."""
    spans = literal_spans(sql)
    for match in reversed(list(_CALL.finditer(sql))):
        if _inside(spans, match.start()):
            continue
        args, closing = call_args(sql, match.end() - 1)
        replaced = _call(match.group(1), args)
        if replaced is not None:
            sql = sql[: match.start()] + replaced + sql[closing + 1 :]
    return sql


def _rewrite_code(code: str) -> str:
    for pattern, replacement in _CODE_RULES:
        code = pattern.sub(replacement, code)
    return code


@lru_cache(maxsize=4096)
def translate(sql: str) -> str:
    """One statement in PostgreSQL's dialect, with psycopg's placeholders (`%` doubled)."""
    sql = _rewrite_calls(sql)
    out, at = [], 0
    for start, end in literal_spans(sql):
        out.append(_rewrite_code(sql[at:start].replace("%", "%%")))
        out.append(sql[start:end].replace("%", "%%"))
        at = end
    out.append(_rewrite_code(sql[at:].replace("%", "%%")))
    return "".join(out)
