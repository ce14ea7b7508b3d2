"""The real pre-commit runs this repository's hooks in a throw-away project.

The hook repository is a git snapshot of the current working tree (uncommitted edits
included), so `rev:` can be a commit SHA. pre-commit builds the hook's environment with pip,
which needs PyPI (the only network use; this test is marked `slow`). PRE_COMMIT_HOME lives in a
temporary directory, so the user's cache is untouched and each run starts clean.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from ruamel.yaml import YAML

from tests.conftest import REPO

pytestmark = pytest.mark.slow

# What `pip install <hook repo>` needs to build the wheel.
SNAPSHOT = ("pyproject.toml", "README.md", ".pre-commit-hooks.yaml", "linter", "schemas")
CLEAN = "image:\n  tag: v2.14.1\nreplicaCount: 1\n"
BROKEN = "image:\n  tag: v2.14.1\ntrackingServer:\n  prot: 5000\n"


def _env(home: Path) -> dict[str, str]:
    # The hook must run from its own environment, not from this checkout or venv.
    dropped = {"GITHUB_ACTIONS", "PYTHONPATH", "PYTHONHOME", "VIRTUAL_ENV"}
    env = {k: v for k, v in os.environ.items() if k not in dropped}
    identity = {
        "GIT_AUTHOR_NAME": "test",
        "GIT_AUTHOR_EMAIL": "test@example.invalid",
        "GIT_COMMITTER_NAME": "test",
        "GIT_COMMITTER_EMAIL": "test@example.invalid",
    }
    return env | identity | {"PRE_COMMIT_HOME": str(home), "PRE_COMMIT_COLOR": "never", "NO_COLOR": "1"}


def _git(cwd: Path, env: dict[str, str], *args: str) -> str:
    done = subprocess.run(
        ["git", "-c", "commit.gpgsign=false", "-c", "init.defaultBranch=main", *args],
        cwd=cwd,
        env=env,
        check=True,
        capture_output=True,
        text=True,
    )
    return done.stdout.strip()


def _commit_all(cwd: Path, env: dict[str, str]) -> str:
    _git(cwd, env, "init", "-q")
    _git(cwd, env, "add", "-A")
    _git(cwd, env, "commit", "-q", "-m", "snapshot")
    return _git(cwd, env, "rev-parse", "HEAD")


@pytest.fixture(scope="module")
def env(tmp_path_factory: pytest.TempPathFactory) -> dict[str, str]:
    return _env(tmp_path_factory.mktemp("pre-commit-home"))


@pytest.fixture(scope="module")
def hook_repo(tmp_path_factory: pytest.TempPathFactory, env: dict[str, str]) -> tuple[Path, str]:
    """A git repository holding the working tree's hook-relevant files; (path, commit SHA)."""
    root = tmp_path_factory.mktemp("hook-repo")
    for name in SNAPSHOT:
        source = REPO / name
        if source.is_dir():
            shutil.copytree(source, root / name, ignore=shutil.ignore_patterns("__pycache__", "*.pyc"))
        else:
            shutil.copy2(source, root / name)
    return root, _commit_all(root, env)


@pytest.fixture(scope="module")
def project(tmp_path_factory: pytest.TempPathFactory, hook_repo: tuple[Path, str], env: dict[str, str]) -> Path:
    """A user's repository whose .pre-commit-config.yaml uses the snapshot as its hook repo."""
    root = tmp_path_factory.mktemp("project")
    repo, sha = hook_repo
    config = {
        "repos": [
            {
                "repo": str(repo),
                "rev": sha,
                "hooks": [
                    {"id": "mlflow-lint"},
                    # As the README shows: own layout via `files:`, settings via `args: [--config, ...]`.
                    {
                        "id": "mlflow-lint",
                        "alias": "mlflow-lint-team",
                        "files": r"^team/.*\.ya?ml$",
                        "args": ["--config", "team/mlflow-lint.yaml"],
                    },
                    {"id": "mlflow-lint-auth-ini"},
                ],
            }
        ]
    }
    YAML().dump(config, root / ".pre-commit-config.yaml")
    files = {
        "deploy/values.yaml": CLEAN,
        "deploy/values/prod.yaml": BROKEN,
        "deploy/other.yaml": BROKEN,
        "team/mlflow.yaml": BROKEN,
        "team/mlflow-lint.yaml": "ignore: [MLF005]\n",
        "auth/basic_auth.ini": "[mlflow]\ndefault_permission = READ\nadmin_username = admin\n"
        "admin_password = password1234\n",
    }
    for name, text in files.items():
        (root / name).parent.mkdir(parents=True, exist_ok=True)
        (root / name).write_text(text, encoding="utf-8")
    _commit_all(root, env)
    return root


def pre_commit(project: Path, env: dict[str, str], *args: str) -> tuple[int, str]:
    done = subprocess.run(
        [sys.executable, "-m", "pre_commit", "run", *args],
        cwd=project,
        env=env,
        capture_output=True,
        text=True,
        timeout=600,
    )
    return done.returncode, done.stdout + done.stderr


def test_hook_passes_on_a_clean_file(project: Path, env: dict[str, str]) -> None:
    code, out = pre_commit(project, env, "mlflow-lint", "--files", "deploy/values.yaml")
    assert code == 0, out
    assert "mlflow-lint (MLflow Helm values)" in out and "Passed" in out


def test_hook_fails_on_a_broken_file_and_prints_the_finding(project: Path, env: dict[str, str]) -> None:
    code, out = pre_commit(project, env, "mlflow-lint", "--files", "deploy/values/prod.yaml")
    assert code == 1, out
    assert "Failed" in out and "- hook id: mlflow-lint" in out
    assert "deploy/values/prod.yaml:4:3: error MLF005 unknown key `prot` under `trackingServer`" in out


def test_default_files_pattern_skips_other_yaml(project: Path, env: dict[str, str]) -> None:
    code, out = pre_commit(project, env, "mlflow-lint", "--files", "deploy/other.yaml", "team/mlflow.yaml")
    assert code == 0, out
    assert "(no files to check)Skipped" in out


def test_own_layout_and_config_through_args(project: Path, env: dict[str, str]) -> None:
    code, out = pre_commit(project, env, "mlflow-lint-team", "--files", "team/mlflow.yaml")
    assert code == 0, out  # the same file fails without the config: it ignores MLF005
    assert "Passed" in out


def test_auth_ini_hook(project: Path, env: dict[str, str]) -> None:
    from mlflow_lint.cli import build_parser

    if "--type" not in build_parser()._option_string_actions:
        pytest.skip("`--type ini` is not in the command line yet (INI support)")
    code, out = pre_commit(project, env, "mlflow-lint-auth-ini", "--files", "auth/basic_auth.ini")
    assert code == 1, out
    assert "auth/basic_auth.ini:" in out and "MLF5" in out


def _headlines(out: str) -> set[str]:
    """`file:line:col: severity CODE message` lines, whatever the layout around them."""
    return {line for line in out.splitlines() if re.match(r"^[\w./-]+:\d+:\d+: (error|warning|info) MLF\d{3} ", line)}


def test_a_directory_run_lints_what_the_hooks_lint(project: Path, env: dict[str, str]) -> None:
    """`mlflow-lint .` searches a directory with the hooks' own patterns: the same files, the same findings."""
    hooked = set()
    for hook in ("mlflow-lint", "mlflow-lint-auth-ini"):
        _, out = pre_commit(project, env, hook, "--all-files")
        hooked |= _headlines(out)
    done = subprocess.run(
        [sys.executable, "-m", "mlflow_lint", "."],
        cwd=project,
        capture_output=True,
        text=True,
        check=False,
        env={**env, "PYTHONPATH": str(REPO / "linter")},
    )
    assert done.returncode == 1, done.stderr
    assert hooked and _headlines(done.stdout) == hooked
    assert {line.split(":")[0] for line in hooked} == {"deploy/values/prod.yaml", "auth/basic_auth.ini"}
