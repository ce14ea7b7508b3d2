"""`.pre-commit-hooks.yaml`: a valid manifest, offline entries, and the default `files:` patterns."""

from __future__ import annotations

import re
import shlex
import subprocess
import sys

import pytest
from ruamel.yaml import YAML

from mlflow_lint.cli import build_parser
from tests.conftest import REPO

MANIFEST = REPO / ".pre-commit-hooks.yaml"
HOOKS = {hook["id"]: hook for hook in YAML(typ="safe").load(MANIFEST.read_text(encoding="utf-8"))}


def test_manifest_is_valid_for_pre_commit() -> None:
    done = subprocess.run(
        [sys.executable, "-m", "pre_commit", "validate-manifest", str(MANIFEST)],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert done.returncode == 0, done.stdout + done.stderr


def test_hooks_are_offline_python_hooks() -> None:
    assert set(HOOKS) == {"mlflow-lint", "mlflow-lint-auth-ini"}
    for hook in HOOKS.values():
        assert hook["language"] == "python"
        assert shlex.split(hook["entry"])[0] == "mlflow-lint"
        assert "--probe" not in hook["entry"]
    assert shlex.split(HOOKS["mlflow-lint-auth-ini"]["entry"])[1:] == ["--type", "ini"]


def test_entry_flags_exist() -> None:
    known = build_parser()._option_string_actions
    flags = [arg for arg in shlex.split(HOOKS["mlflow-lint"]["entry"]) if arg.startswith("-")]
    assert all(flag in known for flag in flags)


@pytest.mark.parametrize(
    ("path", "matches"),
    [
        ("values.yaml", True),
        ("values.yml", True),
        ("values-prod.yaml", True),
        ("values.prod.yaml", True),
        ("charts/mlflow/values.yaml", True),
        ("deploy/mlflow-values.yaml", True),
        ("env/prod.values.yml", True),
        ("deploy/values/prod.yaml", True),
        ("values/staging.yml", True),
        ("Chart.yaml", False),
        ("values.json", False),
        ("deploy/other.yaml", False),
        ("myvalues.yaml", False),
        ("deploy/values/sub/prod.yaml", False),
        (".github/workflows/ci.yaml", False),
    ],
)
def test_default_values_pattern(path: str, matches: bool) -> None:
    assert bool(re.search(HOOKS["mlflow-lint"]["files"], path)) is matches


@pytest.mark.parametrize(
    ("path", "matches"),
    [
        ("basic_auth.ini", True),
        ("mlflow/basic_auth.ini", True),
        ("my_basic_auth.ini", False),
        ("basic_auth.ini.bak", False),
    ],
)
def test_default_auth_ini_pattern(path: str, matches: bool) -> None:
    assert bool(re.search(HOOKS["mlflow-lint-auth-ini"]["files"], path)) is matches
