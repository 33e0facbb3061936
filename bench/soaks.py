"""The kill -9, race and state-machine soaks at full size.

    python bench/soaks.py [pytest options]

CI runs these tests smaller (`tests/soak.py`) to keep `.ci/run` inside its time limit;
this runs them at the sizes their names and docs/reliability.md speak of: 20 kills over
20,000 due invoices, 10 kills over 2,000 renewals, 8 kills during a clock's advance of
2,000 subscriptions, 50 kills over 500 customers, 12 kills during a customer's deletion,
and twice the seam machine's examples, three times the fast path's random lines.
Exit status is pytest's.
With `BILLCLI_TEST_ENGINE=postgresql` they run on PostgreSQL (the tests of the SQLite
file itself skip there); the kill -9, race and idempotency ones (`tests/concurrency`,
`tests/reliability/test_races.py`) pass there.
"""

from __future__ import annotations

import os
import subprocess
import sys
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]


def main(extra: list[str]) -> int:
    started = time.monotonic()
    done = subprocess.run(
        [
            sys.executable,
            "-m",
            "pytest",
            "-q",
            "-m",
            "slow",
            "tests",
            *extra,
        ],
        cwd=REPO,
        env={**os.environ, "BILLCLI_SOAK": "1"},
    )
    print(f"soaks at full size: {time.monotonic() - started:.0f} s, pytest exit {done.returncode}")
    return done.returncode


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
