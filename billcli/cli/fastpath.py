"""Runs the hot commands, and completes values in bash, without Typer or click.

Importing Typer and click costs more than a `balance list` takes to run (some 45 ms
of a 120 ms process here). For the commands whose bodies live in `cli.hot`, and for
completing a value in bash, this module reads the command line with the table of
parameters Typer's own declarations were turned into (`signatures.json`, written by
`python -m billcli.cli.signature_table`) — but only a plain line: known options,
values that are text, integers or a file path, every required argument present.
Anything else (help, `--`, an unknown or malformed option, a missing value, an
option name being completed, zsh and fish) answers None, and Typer runs the line as
usual, so that its messages stay the only ones a user sees for bad input.
"""

from __future__ import annotations

import json
import os
import sys
from collections.abc import Mapping
from typing import Any

Params = list[dict[str, Any]]

# Words a shell may have split or quoted in ways only click's parser reproduces.
_UNSAFE_IN_COMPLETION = frozenset("\"'\\=:$`")


class _Unsure(Exception):
    """A line the table cannot read as click would: Typer must."""


def _table() -> dict[str, Any]:
    with open(os.path.join(os.path.dirname(__file__), "signatures.json"), "rb") as table:
        commands: dict[str, Any] = json.load(table)
    return commands


def run(args: list[str], environ: Mapping[str, str]) -> int | None:
    """The exit status of a line run here, or None when Typer must run it."""
    if "_BILLCLI_COMPLETE" in environ:
        return _complete(environ)
    commands = _table()
    found = _command(commands, args)
    if found is None or not commands[found[0]]["hot"]:
        return None
    name, words = found
    values = parse(commands[name]["params"], words)
    if values is None:
        return None
    from billcli.cli import hot

    getattr(hot, name.replace(" ", "_"))(**values)
    return 0


def _command(commands: Mapping[str, Any], args: list[str]) -> tuple[str, list[str]] | None:
    """The command a line names (its words up to the first option) and the rest."""
    for size in (3, 2, 1):
        head = args[:size]
        if len(head) == size and not any(w.startswith("-") for w in head):
            name = " ".join(head)
            if name in commands:
                return name, args[size:]
    return None


def parse(params: Params, words: list[str]) -> dict[str, Any] | None:
    """The keyword arguments Typer would pass for `words`, or None when unsure."""
    try:
        raw, _, waiting = _walk(params, words)
    except _Unsure:
        return None
    if waiting is not None:
        return None
    values: dict[str, Any] = {}
    for param in params:
        name = param["name"]
        if name not in raw:
            if param["required"]:
                return None
            values[name] = param["default"]
            continue
        value = _convert(param["kind"], raw[name])
        if value is None:
            return None
        values[name] = value
    return values


def _options(params: Params) -> dict[str, tuple[dict[str, Any], bool]]:
    """Each option word: its parameter, and whether it is the primary (--x, not --no-x)."""
    words = {}
    for param in params:
        words.update({opt: (param, True) for opt in param["opts"]})
        words.update({opt: (param, False) for opt in param["secondary"]})
    return words


def _walk(params: Params, words: list[str]) -> tuple[dict[str, Any], int, dict[str, Any] | None]:
    """The words each parameter was given (the last one wins, as in click), how many
    arguments were filled, and the option left waiting for its value at the end."""
    options = _options(params)
    arguments = [p["name"] for p in params if not p["opts"]]
    given: dict[str, Any] = {}
    position = 0
    index = 0
    while index < len(words):
        word = words[index]
        index += 1
        if not word.startswith("-") or word == "-":
            if position == len(arguments):
                raise _Unsure
            given[arguments[position]] = word
            position += 1
            continue
        name, equals, value = word.partition("=") if word.startswith("--") else (word, "", "")
        if name not in options or options[name][0]["kind"] == "other":
            raise _Unsure
        param, primary = options[name]
        if param["kind"] in ("flag", "switch"):
            if equals:
                raise _Unsure
            given[param["name"]] = primary
            continue
        if not equals:
            if index == len(words):
                return given, position, param
            if words[index].startswith("-"):
                raise _Unsure
            value = words[index]
            index += 1
        given[param["name"]] = value
    return given, position, None


def _convert(kind: str, value: Any) -> Any:
    """The value as Typer hands it to the command, or None for what click must judge."""
    if kind in ("text", "flag", "switch"):
        return value
    if kind == "int":
        digits = value[1:] if value[:1] in ("+", "-") else value
        return int(value) if digits.isascii() and digits.isdigit() else None
    if kind == "file" and not os.path.isdir(value):
        if os.path.exists(value) and not os.access(value, os.R_OK):
            return None
        from pathlib import Path

        return Path(value)
    return None


def _complete(environ: Mapping[str, str]) -> int | None:
    """Bash completion of an argument's or an option's value, printed as click would."""
    line, position = environ.get("COMP_WORDS", ""), environ.get("COMP_CWORD", "")
    if environ["_BILLCLI_COMPLETE"] != "complete_bash" or _UNSAFE_IN_COMPLETION & set(line):
        return None
    if not position.isascii() or not position.isdigit():
        return None
    words, cword = line.split(), int(position)
    incomplete = words[cword] if cword < len(words) else ""
    commands = _table()
    found = _command(commands, words[1:cword])
    if found is None or incomplete.startswith("-"):
        return None
    name, typed = found
    target = _completing(commands[name]["params"], typed)
    if target is None:
        return None
    param, given = target
    ledger = _convert("file", given["ledger"]) if "ledger" in given else None
    if "ledger" in given and ledger is None:
        return None
    from billcli.services.completion import candidates

    offered = candidates(param["completer"], ledger, given, incomplete)
    values = [v for v, _ in offered if not param["filtered"] or v.startswith(incomplete)]
    sys.stdout.write("\n".join(values) + "\n")
    return 0


def _completing(params: Params, typed: list[str]) -> tuple[dict[str, Any], dict[str, Any]] | None:
    """The parameter whose value is being typed, and the words given so far."""
    try:
        given, position, waiting = _walk(params, typed)
    except _Unsure:
        return None
    arguments = [p for p in params if not p["opts"]]
    if waiting is None and position < len(arguments):
        waiting = arguments[position]
    return (waiting, given) if waiting is not None and waiting["completer"] else None
