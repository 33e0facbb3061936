"""Committed completion scripts match the app, and bash really completes with them."""

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(REPO / "completions"))

from generate import scripts  # noqa: E402


def test_committed_completion_scripts_are_current():
    for name, text in scripts().items():
        committed = (REPO / "completions" / name).read_text()
        assert committed == text, f"completions/{name} is stale: run completions/generate.py"


@pytest.mark.skipif(shutil.which("bash") is None, reason="bash is not installed")
def test_bash_completes_commands_and_options_through_the_script(tmp_path):
    shim = tmp_path / "billcli"
    shim.write_text(f'#!/bin/sh\nexec {sys.executable} -m billcli "$@"\n')
    shim.chmod(0o755)
    probe = (
        f"source {REPO / 'completions' / 'billcli.bash'}\n"
        "COMP_WORDS=(billcli customers li); COMP_CWORD=2\n"
        "_billcli_completion billcli\n"
        'printf "%s\\n" "${COMPREPLY[@]}"\n'
    )
    env = {**os.environ, "PATH": f"{tmp_path}:{os.environ['PATH']}"}
    out = subprocess.run(
        ["bash", "-c", probe], env=env, capture_output=True, text=True, check=True
    ).stdout.split()
    assert out == ["list"]
