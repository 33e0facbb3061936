"""The fast path reads a line exactly as Typer would, or leaves it to Typer.

Each comparison runs the same command line both ways with the command bodies
replaced by a recorder: whenever the fast path takes a line, the body must receive
what Typer would have handed it.
"""

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from billcli.cli import fastpath, signature_table
from billcli.cli.main import _run_typer
from tests.soak import size

TABLE = json.loads(signature_table.TABLE.read_text())
COMMANDS = sorted(name for name in TABLE if name)  # "" holds what each group completes
# The commands scripts and cron jobs run in loops get the most random lines.
BUSY = {
    "balance create",
    "balance list",
    "balance show",
    "customers create",
    "customers list",
    "customers show",
    "events list",
    "events show",
    "invoices items create",
    "invoices list",
    "invoices show",
    "invoices tick",
}
FIXTURE_SETTINGS = settings(
    max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)


def test_the_signature_table_matches_the_typer_declarations():
    assert signature_table.table() == TABLE, (
        "billcli/cli/signatures.json is stale: run `python -m billcli.cli.signature_table`"
    )


def test_every_command_has_a_typer_free_body_that_takes_its_parameters():
    for name in COMMANDS:
        entry = TABLE[name]
        body = fastpath.body(entry)
        assert not body.__module__.startswith(("typer", "click")), name
        assert entry["body"].startswith("billcli.cli.bodies."), name


@pytest.fixture
def recorded(monkeypatch):
    """Replaces every body with one that records the keyword arguments it gets."""
    import importlib

    calls = []
    for name in COMMANDS:
        module, function = TABLE[name]["body"].split(":")
        monkeypatch.setattr(
            importlib.import_module(module),
            function,
            lambda _name=name, **values: calls.append((_name, values)),
        )
    return calls


def both_ways(args, calls):
    """(what the fast path called, or None when it left the line; what Typer called)."""
    calls.clear()
    status = fastpath.run(list(args), {})
    fast = calls[-1] if status is not None else None
    assert status in (None, 0)
    calls.clear()
    _run_typer(list(args))
    return fast, (calls[-1] if calls else None)


PLAIN_LINES = [
    ["balance", "list", "cus_A"],
    ["balance", "list", "--limit", "3", "cus_A", "--json"],
    ["balance", "list", "cus_A", "--limit=3", "--starting-after", "cbtxn_B", "--all"],
    ["balance", "list", "cus_A", "--limit", "3", "--limit", "+4", "--csv"],
    ["balance", "show", "cus_A", "cbtxn_B", "--ledger", "books.db"],
    ["customers", "show", "cus_A", "--json"],
    ["customers", "list", "--email", "a@example.com", "--ending-before", "cus_B"],
    ["invoices", "show", "in_A", "--json", "--ledger=books.db"],
    ["invoices", "list", "--status", "open", "--customer", "cus_A", "--collection-method", "x"],
    ["invoices", "tick", "--by", "1h", "--dry-run", "--max-steps", "7", "--json"],
    ["invoices", "tick"],
    ["customers", "show", "-"],
    ["events", "list", "--type", "invoice.paid", "--limit", "100", "--csv"],
    ["events", "show", "evt_A", "--json"],
    ["balance", "create", "cus_A", "--amount", "-500", "--description", "Credit", "-m", "k=v"],
    ["balance", "create", "cus_A", "--amount=-5.00", "--idempotency-key", "k1", "--json"],
    [
        "customers",
        "create",
        "--name",
        "Ada",
        "--email",
        "a@example.com",
        "--metadata",
        "a=1",
        "--metadata",
        "b=",
        "--json",
    ],
    ["customers", "update", "cus_A", "--name", "-", "--balance", "-100"],
    [
        "invoices",
        "items",
        "create",
        "--customer",
        "cus_A",
        "--unit-amount",
        "4000",
        "--quantity",
        "3",
        "--invoice",
        "in_B",
    ],
    ["invoices", "create", "--customer", "cus_A", "--no-auto-advance", "--due-date", "2030-01-01"],
    ["invoices", "finalize", "in_A", "--auto-advance"],
    ["invoices", "pay", "in_A", "--paid-out-of-band"],
    ["invoices", "outbox", "--invoice", "in_A", "--csv"],
    ["portal", "configurations", "create", "--headline", "Hi", "--no-invoice-history"],
    ["portal", "serve", "--host", "0.0.0.0"],
    ["ledger", "config", "public_url", "https://x.test"],
    ["ledger", "check", "--json"],
    ["webhooks", "update", "we_A", "--disable", "--events", "*"],
    ["demo", "--force"],
    ["balance", "list", "cus_A", "--limit", "-1"],
    ["customers", "search", "-metadata['plan']:'pro'"],
    ["invoices", "search", "--limit", "2", "-status:'void'", "--json"],
]


@pytest.mark.parametrize("args", PLAIN_LINES, ids=" ".join)
def test_plain_lines_take_the_fast_path_with_what_typer_would_pass(args, recorded):
    fast, slow = both_ways(args, recorded)
    assert fast is not None, "the fast path left a plain line to Typer"
    assert fast == slow


LEFT_TO_TYPER = [
    ["balance", "list"],
    ["balance", "list", "cus_A", "--help"],
    ["balance", "list", "cus_A", "-h"],
    ["balance", "list", "cus_A", "--limit"],
    ["balance", "list", "cus_A", "--limit", "ten"],
    ["balance", "list", "cus_A", "--limit", "1_0"],
    ["balance", "list", "cus_A", "--json=yes"],
    ["balance", "list", "cus_A", "--nope"],
    ["balance", "list", "cus_A", "extra"],
    ["balance", "list", "--", "cus_A"],
    ["--version"],
    ["invoices", "items"],
    ["portal", "serve", "--port", "8000"],
    ["events", "deliver", "--timeout", "2"],
    ["customers", "create", "-mk=v"],
]


def test_without_its_table_the_fast_path_leaves_every_line_to_typer(monkeypatch, tmp_path):
    monkeypatch.setattr(fastpath, "TABLE", str(tmp_path / "missing.json"))
    assert fastpath.run(["customers", "show", "cus_A"], {}) is None
    (tmp_path / "broken.json").write_text("{not json")
    monkeypatch.setattr(fastpath, "TABLE", str(tmp_path / "broken.json"))
    environ = {"_BILLCLI_COMPLETE": "complete_bash", "COMP_WORDS": "billcli customers show "}
    assert fastpath.run([], environ | {"COMP_CWORD": "3"}) is None


@pytest.mark.parametrize("args", LEFT_TO_TYPER, ids=" ".join)
def test_lines_typer_must_judge_are_left_to_it(args, recorded):
    assert fastpath.run(list(args), {}) is None


def _tokens(name: str, folder: Path) -> list[str]:
    options = [o for p in TABLE[name]["params"] for o in p["opts"] + p["secondary"]]
    return [
        *options,
        *(f"{o}=1" for o in options[:3]),
        "--help",
        "-h",
        "--",
        "--nope",
        "-x",
        "-",
        "cus_A",
        "in_B",
        "cbtxn_C",
        "5",
        "-3",
        "+2",
        "1_0",
        "",
        " 4",
        "open",
        str(folder),
        str(folder / "ledger.db"),
    ]


@pytest.mark.slow
@pytest.mark.parametrize("name", COMMANDS)
def test_any_line_the_fast_path_takes_reaches_the_body_as_through_typer(name, recorded, tmp_path):
    """Random lines of each command's own words (`bench/soaks.py`: three times CI's)."""
    words = st.lists(st.sampled_from(_tokens(name, tmp_path)), max_size=7)

    @settings(FIXTURE_SETTINGS, max_examples=size(50, 150) if name in BUSY else size(8, 25))
    @given(words)
    def check(tail):
        args = [*name.split(), *tail]
        fast, slow = both_ways(args, recorded)
        assert fast is None or fast == slow, args

    check()


SHELLS = [
    ("bash", None),
    ("zsh", None),
    ("fish", "get-args"),
    ("fish", "is-args"),
]


def complete_both_ways(line, monkeypatch, capsys, shell="bash", action=None):
    """What the shell gets for `line` (completing its last word) from the fast path and
    from Typer: (status, output) each, the fast one None when it left the line."""
    environ = {**os.environ, "_BILLCLI_COMPLETE": f"complete_{shell}"}
    if shell == "bash":
        environ |= {"COMP_WORDS": line, "COMP_CWORD": str(len(line.split(" ")) - 1)}
    else:
        environ |= {"_TYPER_COMPLETE_ARGS": line, "_TYPER_COMPLETE_FISH_ACTION": action or ""}
    capsys.readouterr()
    status = fastpath.run([], environ)
    fast = (status, capsys.readouterr().out) if status is not None else None
    for key in ("COMP_WORDS", "COMP_CWORD", "_TYPER_COMPLETE_ARGS", "_TYPER_COMPLETE_FISH_ACTION"):
        monkeypatch.delenv(key, raising=False)
    for key, value in environ.items():
        monkeypatch.setenv(key, value)
    with pytest.raises(SystemExit) as exited:
        _run_typer([])
    return fast, (exited.value.code or 0, capsys.readouterr().out)


def test_completion_of_ids_is_answered_as_typer_answers_it(books, ledger_path, monkeypatch, capsys):
    lines = [
        f"billcli customers show --ledger {ledger_path} ",
        "billcli customers show ",
        "billcli customers show cus_",
        "billcli customers show gra",
        "billcli balance list ada@",
        f"billcli balance show {books['ada']} ",
        "billcli invoices finalize ",
        "billcli invoices pay ",
        f"billcli invoices show {books['open'][:6]}",
        "billcli invoices list --status un",
        "billcli invoices list --customer ",
        "billcli invoices items create --invoice ",
        "billcli invoices items update ",
        "billcli portal sessions create --configuration ",
        "billcli webhooks create --events invoice.paid,inv",
        "billcli customers create --currency e",
    ]
    for line in lines:
        for shell, action in SHELLS:
            fast, slow = complete_both_ways(line, monkeypatch, capsys, shell, action)
            assert fast == slow, (shell, action, line)
            assert fast is not None, f"left to Typer: {shell} {line}"


def test_completion_the_fast_path_cannot_read_is_left_to_typer(
    books, tmp_path, monkeypatch, capsys
):
    for line in [
        f"billcli customers show --ledger {tmp_path} ",
        "billcli --ledger x.db customers show ",
        "billcli customers list --limit=",
        "billcli customers list --limit -",
        "billcli customers list -- -",
        "billcli customers show 'ad",
        "billcli balance list --ledger=x.db ",
        "billcli customers list --limit ",
    ]:
        for shell, action in SHELLS:
            fast, _ = complete_both_ways(line, monkeypatch, capsys, shell, action)
            assert fast is None, (shell, line)


NAME_LINES = [
    "billcli ",
    "billcli cu",
    "billcli -",
    "billcli --v",
    "billcli customers ",
    "billcli customers sh",
    "billcli customers -",
    "billcli invoices items ",
    "billcli invoices it",
    "billcli portal configurations c",
    "billcli customers show --",
    "billcli customers list -",
    "billcli customers list --limit 3 --",
    "billcli customers create --metadata x -m y --me",
    "billcli invoices finalize in_x --",
    "billcli invoices finalize in_x --auto-advance --",
    "billcli subscriptions update sub_x --cancel",
    "billcli customers search -",
]


def test_completion_of_command_and_option_names_is_answered_as_typer_answers_it(
    books, monkeypatch, capsys
):
    for line in NAME_LINES:
        for shell, action in SHELLS:
            fast, slow = complete_both_ways(line, monkeypatch, capsys, shell, action)
            assert fast == slow, (shell, action, line)
            assert fast is not None, f"left to Typer: {shell} {line}"


def test_a_help_wider_than_the_terminal_is_left_to_rich(books, monkeypatch, capsys):
    monkeypatch.setenv("COLUMNS", "30")
    fast, _ = complete_both_ways("billcli customers list --", monkeypatch, capsys, "zsh")
    assert fast is None
    fast, slow = complete_both_ways("billcli customers list --", monkeypatch, capsys, "bash")
    assert fast == slow and fast is not None


@FIXTURE_SETTINGS
@given(
    st.sampled_from(["customers show", "balance show", "invoices list", "invoices items create"]),
    st.lists(
        st.sampled_from(
            ["--json", "--ledger", "--customer", "--invoice", "--status", "--limit", "cus_", "x"]
        ),
        max_size=4,
    ),
    st.sampled_from(["", "cus_", "in_", "o", "A", "--j"]),
    st.sampled_from(SHELLS),
)
def test_any_completion_the_fast_path_answers_is_typers_answer(
    books, monkeypatch, capsys, command, typed, incomplete, shell
):
    line = " ".join(["billcli", command, *typed, incomplete])
    fast, slow = complete_both_ways(line, monkeypatch, capsys, *shell)
    assert fast is None or fast == slow, (shell, line)


LINES = [
    ["balance", "list", "{ada}", "--json"],
    ["balance", "show", "{ada}", "{txn}", "--json"],
    ["customers", "show", "{ada}", "--json"],
    ["customers", "list", "--json"],
    ["invoices", "show", "{open}", "--json"],
    ["invoices", "list", "--json"],
    ["invoices", "tick", "--json"],
    ["events", "list", "--json"],
    ["balance", "create", "{ada}", "--amount", "-500", "--json"],
    ["customers", "create", "--name", "Ada", "--metadata", "k=v", "--json"],
    ["invoices", "items", "create", "--customer", "{ada}", "--amount", "900", "--json"],
]


@pytest.mark.parametrize("line", LINES, ids=" ".join)
def test_commands_and_bash_completion_import_neither_typer_nor_click(books, ledger_path, line):
    args = [word.format(**books) for word in line]
    code = (
        "import sys\n"
        "from billcli.cli.main import run\n"
        f"assert run({args!r}) == 0\n"
        "print(sorted(m for m in sys.modules if m.split('.')[0] in ('typer', 'click')))\n"
    )
    env = {**os.environ, "BILLCLI_LEDGER": str(ledger_path)}
    done = subprocess.run(
        [sys.executable, "-c", code], env=env, capture_output=True, text=True, check=True
    )
    assert done.stdout.strip().splitlines()[-1] == "[]"
    if len(line) < 3 or not line[2].startswith("{"):
        return  # no id argument to complete
    completing = {
        **env,
        "_BILLCLI_COMPLETE": "complete_bash",
        "COMP_WORDS": " ".join(["billcli", *line[:2], ""]),
        "COMP_CWORD": "3",
    }
    code = code.replace(f"assert run({args!r}) == 0", "assert run([]) == 0")
    done = subprocess.run(
        [sys.executable, "-c", code], env=completing, capture_output=True, text=True, check=True
    )
    assert done.stdout.strip().splitlines()[-1] == "[]"
