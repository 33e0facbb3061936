"""The demo's scenes as rich tables."""

from __future__ import annotations

from typing import TYPE_CHECKING

from rich.rule import Rule

from billcli.core.pagination import Page
from billcli.render.tables import console, list_tables
from billcli.render.views import COLUMNS

if TYPE_CHECKING:
    from billcli.services.demo import Scene


def show_steps(steps: list[Scene], path: object) -> None:
    out = console()
    for number, step in enumerate(steps, start=1):
        out.print(Rule(f"[bold]{number}. {step.title}", align="left"))
        if step.objects:
            kind = str(step.objects[0]["object"])
            list_tables(iter([Page("", step.objects, False)]), COLUMNS[kind], kind)
    out.print(f"\nDemo ledger: {path}\nExplore it: billcli customers list --ledger {path}")
