"""Reliability tests publish their figures here; `bench/reliability_report.py` renders them."""

import json
import os
from pathlib import Path


def publish(name: str, **figures: object) -> None:
    """Record a test's figures when BILLCLI_FIGURES names a folder (the report run)."""
    folder = os.environ.get("BILLCLI_FIGURES")
    if folder:
        Path(folder).mkdir(parents=True, exist_ok=True)
        (Path(folder) / f"{name}.json").write_text(json.dumps(figures, indent=2))
