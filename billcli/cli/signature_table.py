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
import typer.rich_utils
from click.shell_completion import CompletionItem
from typer._completion_classes import FishComplete, ZshComplete
from typer.utils import get_params_from_function

from billcli.cli.app import build

TABLE = Path(__file__).with_name("signatures.json")
# What the fast path can convert on its own; a line giving any other kind of option
# goes to Typer.
PLAIN_KINDS = {"text", "int", "flag", "switch", "file", "many"}


def table() -> dict[str, Any]:
    """{"command words": {"body": "module:function", "params": [...], "names": [...]}}
    for every command, and under "" the names each group completes (`names`)."""
    root = typer.main.get_command(build())
    assert isinstance(root, click.Group)
    commands: dict[str, Any] = {}
    for words, command, ctx in _commands(root, (), None):
        params = [_param(p, _completers(command)) for p in command.params]
        commands[" ".join(words)] = {
            "body": _body(command, params),
            "params": params,
            "names": _option_names(command, ctx),
        }
    commands[""] = {"groups": _groups(root, (), None)}
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


def _context(command: click.Command, words: tuple[str, ...], parent: Any) -> click.Context:
    """The context click completes in, its settings (help option names) inherited."""
    return command.make_context(
        words[-1] if words else "billcli", [], parent=parent, resilient_parsing=True
    )


def _commands(
    command: click.Command, words: tuple[str, ...], parent: Any
) -> Iterator[tuple[tuple[str, ...], click.Command, click.Context]]:
    ctx = _context(command, words, parent)
    if isinstance(command, click.Group):
        for name, sub in command.commands.items():
            yield from _commands(sub, (*words, name), ctx)
    else:
        yield words, command, ctx


def _groups(group: click.Group, words: tuple[str, ...], parent: Any) -> dict[str, Any]:
    """What TAB offers after each group's words: its commands (in click's order, with
    their short help) and its options."""
    ctx = _context(group, words, parent)
    shown = [
        (name, command)
        for name in group.list_commands(ctx)
        if (command := group.get_command(ctx, name)) is not None and not command.hidden
    ]
    found = {
        " ".join(words): {
            "commands": [_named(name, command.get_short_help_str()) for name, command in shown],
            "options": _option_names(group, ctx),
        }
    }
    for name, command in shown:
        if isinstance(command, click.Group):
            found |= _groups(command, (*words, name), ctx)
    return found


def _option_names(command: click.Command, ctx: click.Context) -> list[list[Any]]:
    """Each option name click offers for `-` (help and completion options included):
    [name, parameter, repeatable, *as each shell shows it]."""
    return [
        [name, param.name, param.multiple, *_named(name, param.help)[1:]]
        for param in command.get_params(ctx)
        if isinstance(param, click.Option) and not param.hidden
        for name in [*param.opts, *param.secondary_opts]
    ]


def _named(value: str, help_: str | None) -> list[Any]:
    """[value, zsh's line, fish's line, the longer line's length] as Typer writes them
    (rich renders the help; on a terminal wider than the line it stays on one line)."""
    item = CompletionItem(value, help=help_)
    wide = typer.rich_utils.MAX_WIDTH
    typer.rich_utils.MAX_WIDTH = 100_000  # rendered unwrapped; the fast path checks the width
    try:
        zsh = ZshComplete(click.Command("billcli"), {}, "billcli", "_BILLCLI_COMPLETE")
        fish = FishComplete(click.Command("billcli"), {}, "billcli", "_BILLCLI_COMPLETE")
        lines = [zsh.format_completion(item), fish.format_completion(item)]
    finally:
        typer.rich_utils.MAX_WIDTH = wide
    return [value, *lines, max(len(line) for line in lines)]


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
