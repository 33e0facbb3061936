"""Where a ledger lives: `--ledger`, else `BILLCLI_LEDGER`, else the platform's data dir."""

from __future__ import annotations

import os
import sys
from pathlib import Path

ENV_VAR = "BILLCLI_LEDGER"


def data_dir() -> Path:
    """billcli's folder under the user's data directory, per platform convention."""
    if sys.platform == "win32":
        base = Path(os.environ.get("APPDATA") or Path.home() / "AppData" / "Roaming")
    elif sys.platform == "darwin":
        base = Path.home() / "Library" / "Application Support"
    else:
        base = Path(os.environ.get("XDG_DATA_HOME") or Path.home() / ".local" / "share")
    return base / "billcli"


def resolve(path: str | os.PathLike[str] | None) -> Path:
    """The ledger file a command should use."""
    if path:
        return Path(path).expanduser()
    env = os.environ.get(ENV_VAR)
    if env:
        return Path(env).expanduser()
    return data_dir() / "ledger.db"
