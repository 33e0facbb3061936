"""Writes `signatures.json`: every command's parameters as Typer built them, as data.

    python -m billcli.cli.signature_table

`cli.fastpath` runs every command's body and completes values from this table without
importing Typer or click; `tests/cli/test_fastpath.py` fails when it no longer matches
the declarations, and says to run the command above.
"""

import importlib
import inspect
import json
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import click
import typer.main
from typer.utils import get_params_from_function

from billcli.cli.app import build

TABLE = Path(__file__).with_name("signatures.json")
# What the fast path can convert on its own; a line giving any other kind of option
# goes to Typer.
PLAIN_KINDS = {"text", "int", "flag", "switch", "file", "many"}


def table() -> dict[str, Any]:
    """{"command words": {"body": "module:function", "params": [...]}} for every command."""
    commands = {}
    for words, command in _commands(typer.main.get_command(build()), ()):
        params = [_param(p, _completers(command)) for p in command.params]
        commands[" ".join(words)] = {"body": _body(command, params), "params": params}
    return commands


def _body(command: click.Command, params: list[dict[str, Any]]) -> str:
    """Where the command's body lives: the bodies module named like its declaring
    module, the function named like its declaration (which must take its parameters)."""
    declared = getattr(command.callback, "__wrapped__", command.callback)
    assert declared is not None, command.name
    module = declared.__module__.replace("billcli.cli.", "billcli.cli.bodies.", 1)
    function = getattr(importlib.import_module(module), declared.__name__, None)
    if function is None:
        raise SystemExit(f"{command.name}: no body {module}:{declared.__name__}")
    inspect.signature(function).bind(**{p["name"]: None for p in params})
    return f"{module}:{declared.__name__}"


def _commands(command: click.Command, words: tuple[str, ...]) -> Iterator[Any]:
    if isinstance(command, click.Group):
        for name, sub in command.commands.items():
            yield from _commands(sub, (*words, name))
    else:
        yield words, command


def _completers(command: click.Command) -> dict[str, tuple[list[str], bool]]:
    """Each parameter's completer spec, and whether Typer filters its candidates."""
    callback = getattr(command.callback, "__wrapped__", command.callback)
    assert callback is not None, command.name
    found = {}
    for name, meta in get_params_from_function(callback).items():
        info = meta.default
        if getattr(info.shell_complete, "spec", None):
            found[name] = (list(info.shell_complete.spec), False)
        elif getattr(info.autocompletion, "spec", None):
            found[name] = (list(info.autocompletion.spec), True)
    return found


def _param(param: click.Parameter, completers: dict[str, tuple[list[str], bool]]) -> dict[str, Any]:
    spec, filtered = completers.get(param.name or "", (None, False))
    return {
        "name": param.name,
        "opts": param.opts if isinstance(param, click.Option) else [],
        "secondary": param.secondary_opts,
        "kind": _kind(param),
        "default": _default(param),
        "required": param.required,
        "completer": spec,
        "filtered": filtered,
    }


def _default(param: click.Parameter) -> Any:
    """The value Typer passes when the parameter is not given (`many` gives None)."""
    if param.default is None or isinstance(param.default, bool | int | float | str):
        return param.default
    raise SystemExit(f"{param.name}: the command table cannot hold its default")


def _kind(param: click.Parameter) -> str:
    kind = param.type
    if param.nargs != 1 or callable(param.default) or param.callback is not None:
        return "other"
    if isinstance(param, click.Option):
        if param.count:
            return "other"
        if param.multiple:
            return "many"
        if param.is_flag:
            if type(kind) is not click.types.BoolParamType:
                return "other"
            # --json sets True; --auto-advance/--no-auto-advance sets either.
            if param.secondary_opts:
                return "switch"
            return "flag" if param.default is False else "other"
    if type(kind) is click.types.StringParamType:
        return "text"
    if type(kind) is click.types.IntParamType:
        return "int"
    if isinstance(kind, click.Path):
        # --ledger: a readable file that need not exist, not a directory.
        checks_more = kind.exists or kind.writable or kind.resolve_path or kind.allow_dash
        plain = kind.file_okay and not kind.dir_okay and kind.readable and not checks_more
        return "file" if plain else "other"
    return "other"


def main() -> int:
    lines = [f"{json.dumps(name)}: {json.dumps(entry)}" for name, entry in sorted(table().items())]
    TABLE.write_text("{\n" + ",\n".join(lines) + "\n}\n", encoding="utf-8")
    print(f"wrote {TABLE}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
