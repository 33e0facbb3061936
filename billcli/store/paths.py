"""Where a ledger lives: `--ledger`, else `BILLCLI_LEDGER`, else the platform's data dir.

An address is a file path (SQLite) or a `postgresql://` connection string (a ledger
several hosts share). The string's password never reaches a message: a server
address prints with it masked.
"""

from __future__ import annotations

import os
import re
import sys
from dataclasses import dataclass
from pathlib import Path

from billcli.store import turns

ENV_VAR = "BILLCLI_LEDGER"
_SCHEMES = ("postgresql://", "postgres://")
_PASSWORD = re.compile(r"^(\w+://[^:/@]*:)[^@]*@")


@dataclass(frozen=True)
class ServerAddress:
    """A PostgreSQL ledger: `url` is what psycopg connects to; `str()` masks the password."""

    url: str

    def __str__(self) -> str:
        masked = _PASSWORD.sub(r"\1***@", self.url)
        return re.sub(r"(?i)(password=)[^&\s]*", r"\1***", masked)


Address = Path | ServerAddress


def data_dir() -> Path:
    """billcli's folder under the user's data directory, per platform convention."""
    if sys.platform == "win32":
        base = Path(os.environ.get("APPDATA") or Path.home() / "AppData" / "Roaming")
    elif sys.platform == "darwin":
        base = Path.home() / "Library" / "Application Support"
    else:
        base = Path(os.environ.get("XDG_DATA_HOME") or Path.home() / ".local" / "share")
    return base / "billcli"


def address(given: str | os.PathLike[str] | ServerAddress) -> Address:
    """A ledger named on a command line or in the environment."""
    if isinstance(given, ServerAddress):
        return given
    text = os.fspath(given)
    if text.startswith(_SCHEMES):
        return ServerAddress(text)
    return Path(text).expanduser()


def resolve(path: str | os.PathLike[str] | ServerAddress | None) -> Address:
    """The ledger a command should use."""
    if path:
        return address(path)
    env = os.environ.get(ENV_VAR)
    if env:
        return address(env)
    return data_dir() / "ledger.db"


def with_side_files(path: Path) -> list[Path]:
    """A ledger file and the files kept beside it: SQLite's write-ahead log and its
    index, and the writers' turns (`store/turns.py`), to remove along with it."""
    return [path, *(path.with_name(path.name + side) for side in ("-wal", "-shm", turns.SUFFIX))]
