"""Replaying the Stripe CLI's trigger fixtures against `billcli api serve`.

`stripe trigger EVENT` runs a recipe of API calls (a JSON file embedded in the CLI) that
causes EVENT on a real account. This module reads those recipes out of the official
`@stripe/cli-linux-x64` npm package (`tests/api/node`; `.ci/run` installs it) and runs
them as the CLI does: steps in order, each response kept under the step's name,
`${name:path|default}` references resolved from them (only the first in a string, as the
CLI does), parameters form-encoded with Stripe's brackets (numbers and booleans inside
arrays dropped, as the CLI drops them), v2 paths sent as JSON, and an error tolerated
where the step expects that error type. The CLI's behaviour was read from its source
(stripe-cli `pkg/fixtures`, `pkg/parsers`) and checked on the wire.
"""

from __future__ import annotations

import json
import posixpath
import re
import struct
import urllib.parse
import uuid
from collections.abc import Callable
from pathlib import Path
from typing import Any

REFERENCE = re.compile(r"\$\{([^|}]+):([^|}]+)\|?([^/\n]+)?\}")
NODE = Path(__file__).parent / "node"
BINARY = NODE / "node_modules" / "@stripe" / "cli-linux-x64" / "bin" / "stripe"

Send = Callable[[str, str, bytes | None, dict[str, str]], tuple[int, Any]]


class TriggerFailed(Exception):
    """A step answered an error the fixture does not expect (the CLI stops there too)."""


def extract(binary: Path, folder: Path) -> int:
    """Write the `triggers/*.json` files that Go's `embed` keeps in the `stripe` binary.

    An embedded file system is a sorted table of 48-byte records (name pointer and length,
    data pointer and length, hash); the table is found by the record naming one known
    file, then walked both ways while the names stay under `triggers/`.
    """
    data = binary.read_bytes()
    (section_table,) = struct.unpack_from("<Q", data, 0x28)
    entry_size, count = struct.unpack_from("<HH", data, 0x3A)
    sections = []
    for n in range(count):
        _, kind, _, address, offset, size = struct.unpack_from(
            "<IIQQQQ", data, section_table + n * entry_size
        )
        if address and kind != 8:  # 8: no bits in the file (.bss)
            sections.append((address, offset, size))

    def offset_of(address: int) -> int | None:
        for start, offset, size in sections:
            if start <= address < start + size:
                return offset + address - start
        return None

    def address_of(offset: int) -> int:
        return next(a + offset - o for a, o, s in sections if o <= offset < o + s)

    def name_at(record: int) -> str | None:
        pointer, length = struct.unpack_from("<QQ", data, record)
        at = offset_of(pointer)
        return data[at : at + length].decode() if at is not None and 0 < length < 300 else None

    probe = b"triggers/customer.created.json"
    record = data.find(struct.pack("<QQ", address_of(data.find(probe)), len(probe)))
    while (name := name_at(record - 48)) and name.startswith("triggers/"):
        record -= 48
    folder.mkdir(parents=True, exist_ok=True)
    written = 0
    while (name := name_at(record)) and name.startswith("triggers/"):
        pointer, length = struct.unpack_from("<QQ", data, record + 16)
        if name.endswith(".json"):
            at = offset_of(pointer)
            assert at is not None, name
            (folder / name.removeprefix("triggers/")).write_bytes(data[at : at + length])
            written += 1
        record += 48
    return written


def _found(document: Any, path: str) -> str:
    """gjson's `Get(path).String()` for the dotted paths the fixtures use."""
    value = document
    for part in path.split("."):
        if isinstance(value, dict) and part in value:
            value = value[part]
        elif isinstance(value, list) and part.isdigit() and int(part) < len(value):
            value = value[int(part)]
        else:
            return ""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, dict | list):
        return json.dumps(value, separators=(",", ":"))
    return str(value)


def resolve(text: str, responses: dict[str, Any]) -> str:
    """The first `${name:path|default}` of `text` replaced (a default replaces it all)."""
    if text == "${generate-uuid}":
        return str(uuid.uuid4())
    match = REFERENCE.search(text)
    if match is None:
        return text
    name, path, default = match.group(1), match.group(2), match.group(3) or ""
    if name not in responses:
        raise TriggerFailed(f"an undeclared fixture name was referenced: {name}")
    value = _found(responses[name], path) if responses[name] is not None else ""
    if value:
        return text.replace(match.group(0), value)
    return default or text


def _number(value: float) -> str:
    return str(int(value)) if float(value).is_integer() else repr(float(value))


def form_pairs(params: Any, responses: dict[str, Any], parent: str = "") -> list[str]:
    """`key=value` items as the CLI builds them from a step's parameters."""
    pairs: list[str] = []

    def put(key: str, value: Any) -> None:
        if isinstance(value, str):
            pairs.append(f"{key}={resolve(value, responses)}")
        elif isinstance(value, bool):
            pairs.append(f"{key}={'true' if value else 'false'}")
        elif isinstance(value, int | float):
            pairs.append(f"{key}={_number(value)}")
        elif isinstance(value, dict):
            for inner, item in value.items():
                put(f"{key}[{inner}]", item)
        elif isinstance(value, list):
            put_list(key, value)

    def put_list(key: str, items: list[Any]) -> None:
        index = -1  # counts only the objects of the array
        for item in items:
            if isinstance(item, str):
                pairs.append(f"{key}[]={resolve(item, responses)}")
            elif isinstance(item, dict):
                index += 1
                for inner, value in item.items():
                    put(f"{key}[{index}][{inner}]", value)
            elif isinstance(item, list):
                put_list(key, item)

    if isinstance(params, dict):
        for key, value in params.items():
            put(f"{parent}[{key}]" if parent else key, value)
    return [pair.strip() for pair in pairs if pair.strip()]


def form_body(pairs: list[str]) -> str:
    encoded = []
    for pair in pairs:
        key, _, value = pair.partition("=")
        key = urllib.parse.quote_plus(key).replace("%5B", "[").replace("%5D", "]")
        encoded.append(f"{key}={urllib.parse.quote_plus(value)}")
    return "&".join(encoded)


def _json_params(value: Any, responses: dict[str, Any]) -> Any:
    if isinstance(value, dict):
        return {k: _json_params(v, responses) for k, v in value.items()}
    if isinstance(value, list):
        return [_json_params(v, responses) for v in value]
    if isinstance(value, str):
        text = resolve(value, responses)
        if text[:1] + text[-1:] in ("[]", "{}"):
            return json.loads(text)
        return text
    return value


def _path(step: dict[str, Any], responses: dict[str, Any]) -> str:
    """The step's path with every reference resolved, joined as Go's `path.Join` does."""
    raw, pieces, last = step["path"], [], 0
    for match in REFERENCE.finditer(raw):
        pieces += [raw[last : match.start()], resolve(match.group(0), responses)]
        last = match.end()
    pieces.append(raw[last:])
    return posixpath.normpath("/".join(p for p in pieces if p))


def run(fixture: dict[str, Any], send: Send) -> dict[str, Any]:
    """Run every step; the responses by step name (the latest of a repeated name)."""
    responses: dict[str, Any] = {}
    for step in fixture["fixtures"]:
        method = step["method"].upper()
        path = _path(step, responses)
        params = step.get("params")
        headers = {k: resolve(v, responses) for k, v in (step.get("headers") or {}).items()}
        if path.startswith("/v2/"):
            body = None if params is None else json.dumps(_json_params(params, responses))
            status, answer = send(method, path, body.encode() if body else None, headers)
        else:
            encoded = form_body(form_pairs(params, responses))
            if method == "POST":
                status, answer = send(method, path, encoded.encode(), headers)
            else:
                query = f"?{encoded}" if encoded else ""
                status, answer = send(method, path.split("?")[0] + query, None, headers)
        if status >= 300:
            kind = (answer or {}).get("error", {}).get("type") if isinstance(answer, dict) else None
            if kind is None or kind != step.get("expected_error_type"):
                raise TriggerFailed(f"{step['name']}: {method} {path} answered {status}: {answer}")
            answer = None
        responses[step["name"]] = answer
    return responses
