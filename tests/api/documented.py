"""The request parameters Stripe documents for each operation, with a value of each.

Two sources: the paths of both OpenAPI extracts (API 2023-08-16: request bodies and query
parameters), and, for what that spec predates, the installed stripe-python's typed
parameters (`stripe/params/`, generated from today's spec). Each operation's parameters
are the union, keyed by `(METHOD, path)` with path parameters written `{}`, so an
extract path and a library path of one operation meet whatever they name their ids.

A value is shaped by the parameter's schema: the first enum value, an object with
every property filled, one item of a list, the first branch of `anyOf` that is not the
empty string. Ids come from `ids` by the parameter's name, so a request names objects
that exist.
"""

from __future__ import annotations

import importlib
import json
import re
import types
import typing
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import typing_extensions

SPECS = ("stripe-openapi-extract.json", "stripe-openapi-extract-payments.json")
Operation = tuple[str, str]
Schema = dict[str, Any]


def operation_key(method: str, path: str) -> Operation:
    return method.upper(), re.sub(r"\{[^}]*\}", "{}", path)


def from_extracts(folder: Path) -> dict[Operation, dict[str, Schema]]:
    """Every GET, POST and DELETE of both extracts with its documented parameters."""
    found: dict[Operation, dict[str, Schema]] = {}
    for name in SPECS:
        spec = json.loads((folder / name).read_text())
        for path, operations in spec["paths"].items():
            for method, operation in operations.items():
                if method not in ("get", "post", "delete"):
                    continue
                body = (
                    operation.get("requestBody", {})
                    .get("content", {})
                    .get("application/x-www-form-urlencoded", {})
                    .get("schema", {})
                    .get("properties", {})
                )
                query = {
                    p["name"]: p["schema"]
                    for p in operation.get("parameters", [])
                    if p["in"] == "query"
                }
                found[operation_key(method, path)] = {**body, **query}
    return found


# -- stripe-python's typed parameters -------------------------------------------------

_LIBRARY = Path(importlib.import_module("stripe").__file__ or "").parent
_DEF = re.compile(r"\n    def (\w+)\(")
_PARAMS = re.compile(r'params: (?:Optional\[)?"(\w+Params)"')
_REQUEST = re.compile(r'self\._request\(\s*"(\w+)",\s*"([^"]+)"')
_IMPORT = re.compile(r"from (stripe\.params[\w.]*) import \(?\s*(\w+Params)")
_OPTIONS = set(importlib.import_module("stripe").RequestOptions.__annotations__)


def _fields(cls: Any, module: dict[str, Any]) -> dict[str, Any]:
    """A typed dict's own fields, each annotation evaluated in its module."""
    fields = {}
    for name, hint in cls.__annotations__.items():
        if name in _OPTIONS:
            continue
        if isinstance(hint, typing.ForwardRef):
            hint = hint.__forward_arg__
        fields[name] = eval(hint, module) if isinstance(hint, str) else hint
    return fields


def from_library() -> dict[Operation, dict[str, Schema]]:
    """Each operation of the library's services with its parameters as schemas."""
    found: dict[Operation, dict[str, Schema]] = {}
    for service in _LIBRARY.rglob("_*_service.py"):
        text = service.read_text()
        modules = {name: module for module, name in _IMPORT.findall(text)}
        for block in _DEF.split(text)[2::2]:
            params, request = _PARAMS.search(block), _REQUEST.search(block)
            if not (params and request) or params.group(1) not in modules:
                continue
            holder = importlib.import_module(modules[params.group(1)])
            cls = getattr(holder, params.group(1))
            key = operation_key(*request.groups())
            found[key] = {
                name: _schema(hint, vars(holder))
                for name, hint in _fields(cls, vars(holder)).items()
            }
    return found


def _schema(hint: Any, names: dict[str, Any], depth: int = 0) -> Schema:
    """A JSON-schema-like description of a typed parameter (enough to shape a value)."""
    if isinstance(hint, typing.ForwardRef):
        hint = hint.__forward_arg__
    if isinstance(hint, str):
        hint = eval(hint, names)
    origin, args = typing.get_origin(hint), typing.get_args(hint)
    if origin in (typing_extensions.NotRequired, typing_extensions.Required):
        return _schema(args[0], names, depth)
    if origin in (typing.Union, types.UnionType):
        return {"anyOf": [_schema(a, names, depth) for a in args if a is not type(None)]}
    if origin in (typing.Literal, typing_extensions.Literal):
        return {"type": "string", "enum": [str(a) for a in args]}
    if origin in (list, list):
        return {"type": "array", "items": _schema(args[0], names, depth)}
    if origin in (dict, dict) or getattr(hint, "__name__", "") == "UntypedStripeObject":
        return {"type": "object", "additionalProperties": {"type": "string"}}
    if hint is bool:
        return {"type": "boolean"}
    if hint is int:
        return {"type": "integer"}
    if hint in (float,) or getattr(hint, "__name__", "") == "Decimal":
        return {"type": "number"}
    if hint is str:
        return {"type": "string"}
    if isinstance(hint, type) and typing_extensions.is_typeddict(hint) and depth < 6:
        module = vars(importlib.import_module(hint.__module__))
        fields = _fields(hint, module)
        return {
            "type": "object",
            "properties": {k: _schema(v, module, depth + 1) for k, v in fields.items()},
        }
    return {"type": "object"}


# -- values -----------------------------------------------------------------------------


def value_of(name: str, schema: Schema, ids: dict[str, str], now: int) -> Any:
    """A value for parameter `name`, shaped by its schema (ids from `ids` by name)."""
    if name in ids:
        return ids[name]
    if "anyOf" in schema:
        branches = [b for b in schema["anyOf"] if b.get("enum") != [""]]
        return value_of(name, branches[0] if branches else schema["anyOf"][0], ids, now)
    kind = schema.get("type")
    if "enum" in schema:
        return next((v for v in schema["enum"] if v != ""), "")
    if kind == "object" and "properties" in schema:
        return {
            key: value_of(key, inner, ids, now)
            for key, inner in schema["properties"].items()
            if key not in ("expand",)
        }
    if kind == "object":
        inner = schema.get("additionalProperties")
        key = "eur" if name == "currency_options" else "key"
        if isinstance(inner, dict) and inner.get("type") not in (None, "string"):
            return {key: value_of(key, inner, ids, now)}
        return {key: "value"}
    if kind == "array":
        return [value_of(name, schema.get("items", {"type": "string"}), ids, now)]
    if kind == "boolean":
        return "true"
    if kind == "integer":
        return str(now + 86_400) if schema.get("format") == "unix-time" else "1"
    if kind == "number":
        return "1.5"
    return "value"


def form(name: str, value: Any) -> Iterator[tuple[str, str]]:
    """`value` as the bracketed pairs stripe-python sends."""
    if isinstance(value, dict):
        for key, inner in value.items():
            yield from form(f"{name}[{key}]", inner)
    elif isinstance(value, list):
        for n, inner in enumerate(value):
            yield from form(f"{name}[{n}]", inner)
    else:
        yield name, str(value)
