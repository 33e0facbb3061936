"""The command surface: help everywhere, lean start-up, and completions kept current."""

import os
import subprocess
import sys

import click
import typer

from billcli.cli.app import build

app = build()


def walk(command, path=()):
    yield path, command
    if isinstance(command, click.Group):
        for name, sub in command.commands.items():
            yield from walk(sub, (*path, name))


def test_every_command_and_group_has_help_text():
    root = typer.main.get_command(app)
    missing = [" ".join(path) for path, cmd in walk(root) if path and not (cmd.help or "").strip()]
    assert missing == []


def test_every_option_has_help_text():
    root = typer.main.get_command(app)
    missing = [
        f"{' '.join(path)} {param.name}"
        for path, cmd in walk(root)
        for param in cmd.params
        if isinstance(param, click.Option)
        and not param.help
        and param.name not in ("install_completion", "show_completion")
    ]
    assert missing == []


# Commands whose output is not an object: a PDF file, a running web server.
NO_JSON_OUTPUT = {"invoices pdf", "credit-notes pdf", "portal serve", "api serve"}
# Commands that name their ledgers as arguments (a source and a destination) instead.
LEDGERS_AS_ARGUMENTS = {"ledger copy"}


def _expected_options(name: str) -> set[str]:
    if name in LEDGERS_AS_ARGUMENTS:
        return {"src", "dst", "as_json"}
    return {"ledger"} if name in NO_JSON_OUTPUT else {"ledger", "as_json"}


def test_every_command_takes_ledger_and_json():
    root = typer.main.get_command(app)
    lacking = [
        " ".join(path)
        for path, cmd in walk(root)
        if not isinstance(cmd, click.Group)
        and not _expected_options(" ".join(path)) <= {p.name for p in cmd.params}
    ]
    assert lacking == []


def test_help_keeps_bracketed_defaults_instead_of_reading_them_as_markup(billcli):
    shown = billcli("portal", "sessions", "create", "--help")
    assert shown.code == 0
    text = " ".join(shown.out.split())
    assert "[default: $BILLCLI_LEDGER, else the data dir]" in text
    assert "An active configuration [default: the default one]" in text


def test_a_json_read_command_does_not_import_rich(ledger_path, made_ledger):
    code = (
        "import sys\n"
        "from billcli.cli.main import run\n"
        "status = run(['customers', 'list', '--json'])\n"
        "loaded = sorted(m for m in sys.modules if m.split('.')[0] in "
        "('rich', 'sqlite_utils', 'pygments'))\n"
        "print(status, loaded)\n"
    )
    env = {**os.environ, "BILLCLI_LEDGER": str(ledger_path)}
    out = subprocess.run(
        [sys.executable, "-c", code], env=env, capture_output=True, text=True, check=True
    ).stdout
    assert out.strip().splitlines()[-1] == "0 []"
