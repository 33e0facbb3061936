"""The seam machine's short profile (the long one: `python bench/seams.py`)."""

from __future__ import annotations

from hypothesis import HealthCheck, settings

from tests.property.seams import SeamMachine

SeamMachine.TestCase.settings = settings(
    max_examples=25,
    stateful_step_count=30,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much],
)
TestSeams = SeamMachine.TestCase
