"""Help at 80 columns: every option name whole, every paragraph wrapped as a paragraph."""

from __future__ import annotations

import itertools
import json
import re

import pytest

from billcli.cli.signature_table import TABLE

COMMANDS = {name: e for name, e in json.loads(TABLE.read_text()).items() if name}
GROUPS = sorted({" ".join(name.split()[:n]) for name in COMMANDS for n in (1, 2)} - set(COMMANDS))
SECTIONS = ("Arguments:", "Options:", "Commands:")


def _help(billcli, monkeypatch, words: list[str]) -> str:
    monkeypatch.setenv("COLUMNS", "80")
    shown = billcli(*words, "--help")
    assert shown.code == 0, shown.err
    return shown.out


def _description(text: str) -> list[list[str]]:
    """The paragraphs between the usage line and the first section, as lists of lines
    (a paragraph of example commands, kept as typed, is left out)."""
    head = text.split("\n\n", 1)[1]
    for section in SECTIONS:
        head = head.split(section, 1)[0]
    paragraphs = [p.splitlines() for p in head.strip("\n").split("\n\n")]
    return [p for p in paragraphs if not p[0].lstrip().startswith(("billcli ", "* "))]


@pytest.mark.parametrize("name", sorted(COMMANDS))
def test_every_option_name_is_printed_whole_at_80_columns(billcli, monkeypatch, name) -> None:
    text = _help(billcli, monkeypatch, name.split())
    assert max(len(line) for line in text.splitlines()) <= 80, text
    names = {o for p in COMMANDS[name]["params"] for o in p["opts"] + p["secondary"]}
    for option in sorted(names):
        assert re.search(rf"(?<![\w-]){re.escape(option)}(?![\w-])", text), (option, text)


@pytest.mark.parametrize("name", sorted(COMMANDS) + GROUPS)
def test_help_paragraphs_are_wrapped_as_paragraphs(billcli, monkeypatch, name) -> None:
    """Each line of a paragraph is as full as it can be: the next line's first word
    would not have fitted (a hard line break in a docstring leaves a short line)."""
    text = _help(billcli, monkeypatch, name.split())
    for paragraph in _description(text):
        for line, following in itertools.pairwise(paragraph):
            next_word = following.split()[0]
            assert len(line) + 1 + len(next_word) > 78, (name, line, following)


def test_the_help_of_subscriptions_update_lists_its_long_switches_whole(
    billcli, monkeypatch
) -> None:
    text = _help(billcli, monkeypatch, ["subscriptions", "update"])
    assert "--cancel-at-period-end / --no-cancel-at-period-end" in text
    assert "--pause-collection TEXT" in text and "--proration-behavior TEXT" in text
