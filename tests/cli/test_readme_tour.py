"""The README's tour is real output of the current code (docs/tour.py keeps it so)."""

import subprocess
import sys

from tests.conftest import REPO


def test_readme_tour_matches_a_fresh_run_of_every_command():
    done = subprocess.run(
        [sys.executable, str(REPO / "docs" / "tour.py"), "--check"],
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert done.returncode == 0, done.stderr
