"""Every benchmark, one after the other; writes bench/results.md.

    python bench/run.py            the published sizes (about an hour)
    python bench/run.py --small    tiny sizes, for CI: proves the benchmarks run, and
                                   writes nothing unless --output names a file

Each figure sits beside its floor, measured in the same run on the same machine.
"""

from __future__ import annotations

import argparse
import os
import platform
import sqlite3
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import api_throughput
import clock_advance
import engines
import import_throughput
import latency
import meter_event_api
import meter_import
import meter_renewals
import meter_summary
import reports
import seams
import search_index
import search_latency
import subscription_renewals
import tick_throughput

RESULTS = Path(__file__).resolve().parent / "results.md"
SIZES = {
    "published": {
        "latency": (100_000, 1_000_000, 100_000, 20),
        "import": (100_000, 1_000_000),
        "tick": (100_000, 20_000),
        "renewals": (100_000,),
        "search": (1_000_000,),
        "search_index": (100_000, 200_000),
        "reports": (50_000, 150_000, 1_000_000),
        "api": (2_000,),
        "seams": (100, 50),
        "clocks": (10_000, 2_000),
        "meter_import": (10_000_000, 10_000),
        "meter_summary": (10_000_000, 10_000),
        "meter_renewals": (10_000, 10_000_000),
        "meter_event_api": (500, 5),
        "engines": (100_000, 10_000, 1_000_000, 10),
    },
    "small": {
        "latency": (200, 2_000, 200, 2),
        "import": (200, 2_000),
        "tick": (300, 100),
        "renewals": (300,),
        "search": (2_000,),
        "search_index": (300, 600),
        "reports": (720, 1_440, 5_000),
        "api": (48,),
        "seams": (3, 10),
        "clocks": (30, 30, 1),
        "meter_import": (2_000, 20),
        "meter_summary": (2_000, 20),
        "meter_renewals": (20, 2_000),
        "meter_event_api": (20, 1),
        "engines": (100, 40, 1_000, 1),
    },
}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--small", action="store_true", help="tiny sizes (a smoke run)")
    parser.add_argument("--output", type=Path, help="where to write the results")
    args = parser.parse_args()
    sizes = SIZES["small" if args.small else "published"]
    command = "python bench/run.py" + (" --small" if args.small else "")
    sections = [
        "# billcli benchmarks",
        "",
        f"`{command}`. Machine: {platform.machine()}, {os.cpu_count()} cores; Python "
        f"{platform.python_version()}; SQLite {sqlite3.sqlite_version}.",
        "",
        "## Command latency",
        "",
        *latency.run(*sizes["latency"]),
        "## Imports",
        "",
        *import_throughput.run(*sizes["import"]),
        "## invoices tick",
        "",
        *tick_throughput.run(*sizes["tick"]),
        "## Subscription renewals",
        "",
        *subscription_renewals.run(*sizes["renewals"]),
        "## Test clocks",
        "",
        *clock_advance.run(*sizes["clocks"]),
        "## Search",
        "",
        *search_latency.run(*sizes["search"]),
        *search_index.run(*sizes["search_index"]),
        "## Reports",
        "",
        *reports.run(*sizes["reports"]),
        "## The HTTP API",
        "",
        *api_throughput.run(*sizes["api"]),
        "## The seam machine",
        "",
        *seams.run(*sizes["seams"]),
        "## Usage (meters)",
        "",
        *meter_import.run(*sizes["meter_import"]),
        *meter_summary.run(*sizes["meter_summary"]),
        *meter_renewals.run(*sizes["meter_renewals"]),
        *meter_event_api.run(*sizes["meter_event_api"]),
        "## SQLite and PostgreSQL",
        "",
        *engines.run(*sizes["engines"]),
    ]
    text = "\n".join(sections)
    output = args.output or (None if args.small else RESULTS)
    if output is not None:
        output.write_text(text)
    print(text)
    return 0


if __name__ == "__main__":
    sys.exit(main())
