"""Write billcli's shell completion scripts from the app itself.

Run `python completions/generate.py` after changing the command tree; a test fails
when the committed scripts differ from what this produces.
"""

from __future__ import annotations

import sys
from pathlib import Path

from typer._completion_shared import get_completion_script

SHELLS = {"bash": "billcli.bash", "zsh": "billcli.zsh", "fish": "billcli.fish"}
HERE = Path(__file__).resolve().parent


def scripts() -> dict[str, str]:
    """The completion script of each shell, keyed by file name."""
    return {
        name: get_completion_script(
            prog_name="billcli", complete_var="_BILLCLI_COMPLETE", shell=shell
        ).rstrip("\n")
        + "\n"
        for shell, name in SHELLS.items()
    }


def main() -> int:
    for name, text in scripts().items():
        (HERE / name).write_text(text)
        print(f"wrote completions/{name}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
