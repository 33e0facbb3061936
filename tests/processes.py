"""Running billcli in many processes at once, timing every command."""

import json
import os
import subprocess
import sys
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

WORKER = """
import io, sys, contextlib, json, time
from billcli.cli.main import run
codes, errors, seconds = [], [], []
for i in range(int(sys.argv[1])):
    err = io.StringIO()
    started = time.perf_counter()
    with contextlib.redirect_stdout(io.StringIO()), contextlib.redirect_stderr(err):
        codes.append(run(sys.argv[2:]))
    seconds.append(time.perf_counter() - started)
    errors.append(err.getvalue())
print(json.dumps({"codes": codes, "errors": [e for e in errors if e], "seconds": seconds}))
"""


def ledger_env(ledger_path: Any) -> dict[str, str]:
    """The environment of a billcli process on the test's ledger: a file, or a
    PostgreSQL address in full (its `str` masks the password)."""
    return {**os.environ, "BILLCLI_LEDGER": getattr(ledger_path, "url", str(ledger_path))}


def run_workers(ledger_path: Path, processes: int, each: int, args: list[str]) -> list[dict]:
    """`processes` processes each running `billcli ARGS` `each` times through the CLI."""
    env = ledger_env(ledger_path)

    def one(_: int) -> dict:
        done = subprocess.run(
            [sys.executable, "-c", WORKER, str(each), *args],
            env=env,
            capture_output=True,
            text=True,
            timeout=600,
        )
        assert done.returncode == 0, done.stderr
        return json.loads(done.stdout)

    with ThreadPoolExecutor(processes) as pool:
        return list(pool.map(one, range(processes)))


def percentile(values: list[float], fraction: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(fraction * len(ordered)))]


def billcli_process(ledger_path: Path, *args: str) -> subprocess.Popen:
    return subprocess.Popen(
        [sys.executable, "-m", "billcli", *args],
        env=ledger_env(ledger_path),
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
