"""MLFLOW_LINT_NO_SPEEDUPS=1 turns every start-up speed-up off, and the output does not change."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
FILES = [
    ROOT / "examples" / "values.yaml",
    ROOT / "examples" / "values-v1.yaml",
    ROOT / "tests" / "rules" / "cases" / "MLF406" / "ipv6-pass.yaml",
    ROOT / "tests" / "rules" / "cases" / "MLF102",
]


def run(env_value: str | None, *argv: str) -> subprocess.CompletedProcess[str]:
    env = dict(os.environ)
    env.pop("MLFLOW_LINT_NO_SPEEDUPS", None)
    if env_value is not None:
        env["MLFLOW_LINT_NO_SPEEDUPS"] = env_value
    return subprocess.run([sys.executable, *argv], capture_output=True, text=True, env=env, check=False, timeout=120)


def test_the_output_is_the_same_without_speedups() -> None:
    files = [str(p) for f in FILES for p in ([f] if f.is_file() else sorted(f.glob("*.yaml")))]
    fast = run(None, "-m", "mlflow_lint", "--isolated", "--format", "json", *files)
    plain = run("1", "-m", "mlflow_lint", "--isolated", "--format", "json", *files)
    assert fast.returncode == plain.returncode == 1
    assert fast.stdout == plain.stdout and plain.stderr == ""


@pytest.mark.parametrize(("value", "speedups"), [(None, True), ("1", False), ("0", True), ("yes", False)])
def test_one_switch_turns_them_all_off(value: str | None, speedups: bool) -> None:
    probe = (
        "import gc, typing\n"
        "from mlflow_lint import runtime, records, yaml_events\n"
        "print(runtime.SPEEDUPS, records.NamedTuple is typing.NamedTuple,\n"
        "      yaml_events.compiled_parser_class() is not None)\n"
    )
    done = run(value, "-c", probe)
    state, typed, compiled = done.stdout.split()
    assert state == str(speedups)
    assert typed == str(not speedups)  # the standard library's NamedTuple when off
    if not speedups:
        assert compiled == "False"  # the pure parser reads every file
