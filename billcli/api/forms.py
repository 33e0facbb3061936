"""Request parameters as Stripe's libraries send them, read into nested values.

Bodies and query strings are form-encoded with bracket notation: `metadata[plan]=pro`,
`items[0][price]=p` (stripe-python and stripe-node number array items),
`expand[]=customer` (the `stripe` CLI), brackets percent-encoded or not. A map whose
keys are all numbers becomes a list in their order; a key given twice becomes a list;
the empty string stays, meaning "unset".
"""

from __future__ import annotations

import re
from typing import Any
from urllib.parse import parse_qsl

from billcli.errors import InvalidRequest

MAX_DEPTH = 8
MAX_PAIRS = 2_000
_KEY = re.compile(r"^([^\[\]]+)((?:\[[^\[\]]*\])*)$")
_PART = re.compile(r"\[([^\[\]]*)\]")


def parse(text: str) -> dict[str, Any]:
    """The parameters of one form-encoded body or query string."""
    try:
        pairs = parse_qsl(
            text,
            keep_blank_values=True,
            max_num_fields=MAX_PAIRS,
            encoding="utf-8",
            errors="strict",
        )
    except UnicodeDecodeError:
        raise InvalidRequest("Invalid request: a value is not UTF-8 once decoded") from None
    except ValueError:
        raise InvalidRequest(f"Invalid request: more than {MAX_PAIRS} parameters") from None
    tree: dict[str, Any] = {}
    for key, value in pairs:
        found = _KEY.match(key)
        if not found:
            raise InvalidRequest(f"Invalid parameter name: '{key[:60]}'", param=key[:60])
        path = [found.group(1), *_PART.findall(found.group(2))]
        if len(path) > MAX_DEPTH:
            raise InvalidRequest(
                f"Invalid {path[0]}: nested more than {MAX_DEPTH} levels deep", param=path[0]
            )
        _put(tree, path, value, key)
    result: dict[str, Any] = _lists(tree)
    return result


_APPEND = object()


def _put(tree: dict[str, Any], path: list[str], value: str, key: str) -> None:
    node: Any = tree
    for n, part in enumerate(path):
        last = n == len(path) - 1
        name: Any = _APPEND if part == "" else part
        if not isinstance(node, dict):
            raise InvalidRequest(
                f"Invalid {path[0]}: '{key}' mixes a value and a map", param=path[0]
            )
        if name is _APPEND:
            name = f"\x00{len(node)}"  # `[]`: the next item, in order
        if last:
            if name in node:
                held = node[name]
                if isinstance(held, dict):
                    raise InvalidRequest(
                        f"Invalid {path[0]}: '{key}' mixes a value and a map", param=path[0]
                    )
                node[name] = [*held, value] if isinstance(held, list) else [held, value]
            else:
                node[name] = value
        else:
            child = node.setdefault(name, {})
            if not isinstance(child, dict):
                raise InvalidRequest(
                    f"Invalid {path[0]}: '{key}' mixes a value and a map", param=path[0]
                )
            node = child


def _lists(node: Any) -> Any:
    """Maps keyed only by numbers (or `[]`) as lists, in order, all the way down."""
    if not isinstance(node, dict):
        return node
    converted = {k: _lists(v) for k, v in node.items()}
    keys = list(converted)
    if keys and all(k.startswith("\x00") for k in keys):
        return [converted[k] for k in keys]
    if keys and all(k.isdigit() for k in keys):
        return [converted[k] for k in sorted(keys, key=int)]
    return converted
