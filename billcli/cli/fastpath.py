"""Runs commands, and completes values, without Typer or click.

Importing Typer and click costs more than a `balance list` takes to run (some 45 ms
of a 120 ms process here). For every command (their bodies live in `cli.bodies`), and
for completing a value in bash, zsh or fish, this module reads the command line with
the table of parameters Typer's own declarations were turned into (`signatures.json`,
written by `python -m billcli.cli.signature_table`), but only a plain line: known
options, values that are text, integers or a file path, every required argument
present. Anything else (help, `--`, an unknown or malformed option, a missing value,
an option name being completed, a help text rich would render) answers None, and
Typer runs the line as usual, so that its messages stay the only ones a user sees
for bad input.
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
# Characters rich reads as markup or emoji codes in a help text, and those Typer's zsh
# quoting doubles or escapes in ways not worth copying ($ and ` are simply escaped).
_RENDERED = frozenset("[:\\")
_QUOTED_FOR_ZSH = frozenset("\"'")


# Click's own help option, on every command.
_HELP = frozenset({"-h", "--help"})


class _Unsure(Exception):
    """A line the table cannot read as click would: Typer must."""


TABLE = os.path.join(os.path.dirname(__file__), "signatures.json")


def _table() -> dict[str, Any]:
    """The command table; empty (every line goes to Typer) if it cannot be read."""
    try:
        with open(TABLE, "rb") as table:
            commands: dict[str, Any] = json.load(table)
    except (OSError, ValueError):
        return {}
    return commands


def run(args: list[str], environ: Mapping[str, str]) -> int | None:
    """The exit status of a line run here, or None when Typer must run it."""
    if "_BILLCLI_COMPLETE" in environ:
        return _complete(environ)
    commands = _table()
    found = _command(commands, args)
    if found is None:
        return None
    name, words = found
    values = parse(commands[name]["params"], words)
    if values is None:
        return None
    body(commands[name])(**values)
    return 0


def body(entry: Mapping[str, Any]) -> Any:
    """The function a table entry names (`module:function`)."""
    # startup: loaded only for the lines that need it, to keep plain lines fast
    import importlib

    module, function = entry["body"].split(":")
    return getattr(importlib.import_module(module), function)


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
        negated = position < len(arguments) and _negation(arguments[position], word, options)
        if not word.startswith("-") or word == "-" or negated:
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
            value = words[index]  # click takes the next word, whatever it looks like
            index += 1
        if param["kind"] == "many":
            given.setdefault(param["name"], []).append(value)
        else:
            given[param["name"]] = value
    return given, position, None


def _negation(argument: str, word: str, options: Mapping[str, Any]) -> bool:
    """A search query that starts with `-`, Stripe's negation (`-status:'void'`): the
    query argument's value, not an option (click would read `-s` as one)."""
    return (
        argument == "query"
        and word[:1] == "-"
        and word[1:2] not in ("", "-")
        and word not in options
        and word not in _HELP
    )


def negations_last(args: list[str]) -> list[str]:
    """`args` with a search query that starts with `-` moved behind `--`, where click
    reads it as the query it is; the fast path reads such a line as it stands."""
    commands = _table()
    found = _command(commands, args)
    if found is None or "--" in args:
        return args
    name, words = found
    params = commands[name]["params"]
    options = _options(params)
    kept: list[str] = []
    moved: list[str] = []
    index = 0
    while index < len(words):
        word = words[index]
        index += 1
        if _negation("query", word, options) and any(p["name"] == "query" for p in params):
            moved.append(word)
            continue
        kept.append(word)
        if word in options and options[word][0]["kind"] not in ("flag", "switch"):
            kept += words[index : index + 1]
            index += 1
    if not moved:
        return args
    return [*args[: len(args) - len(words)], *kept, "--", *moved]


def _convert(kind: str, value: Any) -> Any:
    """The value as Typer hands it to the command, or None for what click must judge."""
    if kind in ("text", "flag", "switch", "many"):
        return value
    if kind == "int":
        digits = value[1:] if value[:1] in ("+", "-") else value
        return int(value) if digits.isascii() and digits.isdigit() else None
    if kind == "file" and not os.path.isdir(value):
        if os.path.exists(value) and not os.access(value, os.R_OK):
            return None
        # startup: loaded only for the lines that need it, to keep plain lines fast
        from pathlib import Path

        return Path(value)
    return None


def _complete(environ: Mapping[str, str]) -> int | None:
    """Completion of an argument's or an option's value, answered as Typer would."""
    shell = environ["_BILLCLI_COMPLETE"]
    typed = _typed(shell, environ)
    if typed is None:
        return None
    args, incomplete = typed
    commands = _table()
    found = _command(commands, args)
    if found is None or incomplete.startswith("-"):
        names = (
            _group_names(commands, args, incomplete)
            if found is None
            else _option_names(commands[found[0]], found[1], incomplete)
        )
        return None if names is None else _write_names(shell, names, environ)
    name, words = found
    target = _completing(commands[name]["params"], words)
    if target is None:
        return None
    param, given = target
    ledger = _convert("file", given["ledger"]) if "ledger" in given else None
    if "ledger" in given and ledger is None:
        return None
    # startup: loaded only for the lines that need it, to keep plain lines fast
    from billcli.services.queries.completion import candidates

    offered = [
        (value, help_)
        for value, help_ in candidates(param["completer"], ledger, given, incomplete)
        if not param["filtered"] or value.startswith(incomplete)
    ]
    return _answer(shell, offered, environ)


def _typed(shell: str, environ: Mapping[str, str]) -> tuple[list[str], str] | None:
    """The complete words after `billcli`, and the word being typed (click's reading)."""
    if shell == "complete_bash":
        line, position = environ.get("COMP_WORDS", ""), environ.get("COMP_CWORD", "")
        if not position.isascii() or not position.isdigit():
            return None
        words, cword = line.split(), int(position)
        args, incomplete = words[1:cword], words[cword] if cword < len(words) else ""
    elif shell in ("complete_zsh", "complete_fish"):
        line = environ.get("_TYPER_COMPLETE_ARGS", "")
        args = line.split()[1:]
        incomplete = args.pop() if args and not line.endswith(" ") else ""
    else:
        return None
    return None if _UNSAFE_IN_COMPLETION & set(line) else (args, incomplete)


def _group_names(
    commands: Mapping[str, Any], args: list[str], incomplete: str
) -> list[list[Any]] | None:
    """The command names (or a group's options) offered after a group's words."""
    group = commands.get("", {}).get("groups", {}).get(" ".join(args))
    if group is None or "=" in incomplete:
        return None
    offered = [item for item in group["commands"] if item[0].startswith(incomplete)]
    if incomplete and not incomplete[0].isalnum():
        options = [[name, *shown] for name, _, _, *shown in group["options"]]
        offered += [item for item in options if item[0].startswith(incomplete)]
    return offered


def _option_names(entry: Mapping[str, Any], words: list[str], incomplete: str) -> Any:
    """The option names offered for `incomplete`: those not given yet (or repeatable),
    as click offers them; None when click must judge the line."""
    if "=" in incomplete or "--" in words:
        return None
    try:
        given, _, waiting = _walk(entry["params"], words)
    except _Unsure:
        return None
    if waiting is not None:
        return None
    return [
        [name, *shown]
        for name, param, repeatable, *shown in entry["names"]
        if name.startswith(incomplete) and (repeatable or param not in given)
    ]


def _write_names(shell: str, offered: list[Any], environ: Mapping[str, str]) -> int | None:
    """Command or option names with the lines Typer writes for them (`signatures.json`);
    None when a help would not fit the terminal's width on one line (rich wraps it)."""
    if shell != "complete_bash" and any(length >= _width(environ) for *_, length in offered):
        return None
    return _write(shell, [item[0] for item in offered], [item[1] for item in offered],
                  [item[2] for item in offered], environ)  # fmt: skip


def _width(environ: Mapping[str, str]) -> int:
    """The width rich renders Typer's completion help at: $TERMINAL_WIDTH, $COLUMNS, the
    terminal's, else 80."""
    for name in ("TERMINAL_WIDTH", "COLUMNS"):
        if environ.get(name, "").isdigit():
            return int(environ[name])
    for stream in (0, 1, 2):
        try:
            return os.get_terminal_size(stream).columns or 80
        except OSError:
            continue
    return 80


def _answer(shell: str, offered: list[tuple[str, str]], environ: Mapping[str, str]) -> int | None:
    """Print the candidates in the shell's format; None when Typer would render a help
    text through rich (markup, wrapping) in a way only rich can reproduce."""
    values = [value for value, _ in offered]
    if shell == "complete_bash":
        return _write(shell, values, [], [], environ)
    if not all(_plain(text) for pair in offered for text in pair):
        return None
    if shell == "complete_zsh" and any(
        _QUOTED_FOR_ZSH & set(text) for pair in offered for text in pair
    ):
        return None
    zsh = [f'"{_zsh(v)}":"{_zsh(h)}"' if h else f'"{_zsh(v)}"' for v, h in offered]
    fish = [f"{v}\t{h}" if h else v for v, h in offered]
    return _write(shell, values, zsh, fish, environ)


def _write(
    shell: str, values: list[str], zsh: list[str], fish: list[str], environ: Mapping[str, str]
) -> int:
    """Write what the shell's completion function reads, as Typer would."""
    if shell == "complete_bash":
        sys.stdout.write("".join(f"{value}\n" for value in values) or "\n")
        return 0
    if shell == "complete_zsh":
        items = "\n".join(zsh)
        sys.stdout.write(f"_arguments '*: :(({items}))'\n" if zsh else "_files\n")
        return 0
    action = environ.get("_TYPER_COMPLETE_FISH_ACTION", "")
    if action == "is-args":
        return 0 if fish else 1
    items = "\n".join(fish)
    sys.stdout.write(f"{items}\n" if action == "get-args" else "\n")
    return 0


def _zsh(text: str) -> str:
    return text.replace("$", "\\$").replace("`", "\\`")


def _plain(text: str) -> bool:
    """Text that rich's rendering (markup, emoji codes, wrapping at 80 columns) leaves
    as it is."""
    return (
        len(text) < 60
        and text == text.strip()
        and text.isprintable()
        and not _RENDERED & set(text)
        and all(c.isascii() or c in "•…–—€£¥" for c in text)
    )


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
