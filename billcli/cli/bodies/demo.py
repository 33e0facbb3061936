"""`billcli demo`: fill a demo ledger with a short story and show each scene."""

import sys
from pathlib import Path

from billcli.cli.running import open_ledger


def demo(*, ledger: str | None, force: bool, as_json: bool) -> None:
    # startup: the fast path imports a group's bodies; each command loads only what it uses
    from billcli.render.output import dump_json
    from billcli.services import demo as service

    path = ledger or str(_fresh_demo_path())
    with open_ledger(path) as book:
        steps = service.run(book, force=force)
    if as_json:
        sys.stdout.write(dump_json([obj for step in steps for obj in step.objects]) + "\n")
        return
    # startup: the fast path imports a group's bodies; each command loads only what it uses
    from billcli.render.scenes import show_steps

    show_steps(steps, path)


def _fresh_demo_path() -> Path:
    # startup: the fast path imports a group's bodies; each command loads only what it uses
    from billcli.store.paths import data_dir, with_side_files

    path = data_dir() / "demo.db"
    for leftover in with_side_files(path):
        leftover.unlink(missing_ok=True)
    return path
