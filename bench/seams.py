"""The seam machine's long profile: many runs of many steps, and what they checked.

    python bench/seams.py [--runs 100] [--steps 50] [--seed N]

`tests/property/seams.py` interleaves, on one ledger per run, subscription changes,
coupons, cancellations, pauses, customer deletions, credit notes, balance adjustments,
declining cards and the clock, and after every step checks the ledger, the previews
against the invoices they showed, that nothing is billed after an end, that no credit
exceeds what was paid, and both reports against its own sums. The test suite runs a
short profile; this one runs long and reports how many runs and steps it did, and how
many of each check passed. A failure prints the shortest failing sequence hypothesis
found and exits 1.
"""

from __future__ import annotations

import argparse
import sys
import time
import unittest
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))


def run(runs: int, steps: int, seed: int | None = None) -> list[str]:
    """Markdown lines: the profile, what it did, and how long it took."""
    from hypothesis import HealthCheck, settings
    from hypothesis import seed as fixed_seed

    from tests.property.seams import SeamMachine

    SeamMachine.TestCase.settings = settings(
        max_examples=runs,
        stateful_step_count=steps,
        deadline=None,
        database=None,
        suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much],
    )
    case = SeamMachine.TestCase
    if seed is not None:
        case.runTest = fixed_seed(seed)(case.runTest)
    started = time.perf_counter()
    result = unittest.TextTestRunner(stream=sys.stderr, verbosity=0).run(
        unittest.defaultTestLoader.loadTestsFromTestCase(case)
    )
    seconds = time.perf_counter() - started
    outcome = "no defect found" if result.wasSuccessful() else "**a defect was found** (above)"
    lines = [
        f"`python bench/seams.py --runs {runs} --steps {steps}`: {SeamMachine.runs:,} runs, "
        f"{SeamMachine.steps:,} steps in {seconds:,.0f} s "
        f"({seconds / max(SeamMachine.steps, 1) * 1000:,.0f} ms a step, every check after "
        f"each); {outcome}.",
        "",
        "| check | times |",
        "|---|---:|",
        *(f"| {kind} | {count:,} |" for kind, count in sorted(SeamMachine.checked.items())),
        "",
    ]
    if not result.wasSuccessful():
        raise SystemExit("\n".join(lines))
    return lines


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=100)
    parser.add_argument("--steps", type=int, default=50)
    parser.add_argument("--seed", type=int)
    args = parser.parse_args()
    print("\n".join(run(args.runs, args.steps, args.seed)))
    return 0


if __name__ == "__main__":
    sys.exit(main())
