"""Running a command as a benchmark measures it: wall time and peak memory."""

from __future__ import annotations

import subprocess
import time


def timed(args: list[str], env: dict[str, str]) -> tuple[float, str, float]:
    """Seconds, standard output and peak RSS (MiB, from GNU time) of a command."""
    start = time.perf_counter()
    done = subprocess.run(
        ["/usr/bin/time", "-f", "%M", *args], env=env, capture_output=True, text=True, check=True
    )
    return time.perf_counter() - start, done.stdout, int(done.stderr.splitlines()[-1]) / 1024
