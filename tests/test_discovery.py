"""Directories and standard input as inputs: what is searched, what is skipped, how stdin is named."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from ruamel.yaml import YAML

from mlflow_lint import discovery
from tests.conftest import REPO

BROKEN = "trackingServer:\n  prot: 5000\n"


def _tree(root: Path, files: dict[str, str]) -> None:
    for name, text in files.items():
        (root / name).parent.mkdir(parents=True, exist_ok=True)
        (root / name).write_text(text, encoding="utf-8")


def _linted(run_cli, *argv: str) -> tuple[int, list[str], str]:
    code, out, err = run_cli("--isolated", "--format", "json", *argv)
    return code, sorted({f["file"] for f in json.loads(out)["findings"]}), err


def test_patterns_are_the_pre_commit_hooks_own() -> None:
    hooks = {h["id"]: h["files"] for h in YAML(typ="safe").load((REPO / ".pre-commit-hooks.yaml").read_text())}
    assert hooks["mlflow-lint"] == discovery.VALUES_PATTERN
    assert hooks["mlflow-lint-auth-ini"] == discovery.INI_PATTERN


@pytest.mark.parametrize(
    ("path", "wanted"),
    [
        ("values.yaml", True),
        ("deploy/values-prod.yml", True),
        ("a/prod.values.yaml", True),
        ("mlflow-values.yaml", True),
        ("deploy/values/prod.yaml", True),
        ("auth/basic_auth.ini", True),
        ("deploy/other.yaml", False),
        ("Chart.yaml", False),
        ("values.json", False),
        ("deploy/values/a/b.yaml", False),
    ],
)
def test_which_names_are_searched(path: str, wanted: bool) -> None:
    assert discovery.wanted(path) is wanted


def test_a_directory_is_searched_recursively(run_cli, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    _tree(
        tmp_path,
        {
            "values.yaml": BROKEN,
            "deploy/values/prod.yaml": BROKEN,
            "deploy/values-dev.yml": BROKEN,
            "deploy/other.yaml": BROKEN,
            "auth/basic_auth.ini": "[mlflow]\n",
            "node_modules/values.yaml": BROKEN,
            ".git/values.yaml": BROKEN,
        },
    )
    monkeypatch.chdir(tmp_path)
    code, files, _ = _linted(run_cli, ".")
    assert code == 1
    assert files == ["auth/basic_auth.ini", "deploy/values-dev.yml", "deploy/values/prod.yaml", "values.yaml"]


def test_gitignore_and_exclude_prune_the_search(run_cli, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    (tmp_path / ".git").mkdir()
    _tree(
        tmp_path,
        {
            ".gitignore": "generated/\n*.tmp.yaml\n!keep.tmp.yaml\n",
            "deploy/.gitignore": "values-local.yaml\n",
            ".git/info/exclude": "scratch/\n",
            "deploy/values.yaml": BROKEN,
            "deploy/values-local.yaml": BROKEN,
            "generated/values.yaml": BROKEN,
            "deploy/values.tmp.yaml": BROKEN,
            "deploy/values/keep.tmp.yaml": BROKEN,
            "scratch/values.yaml": BROKEN,
            "old/values.yaml": BROKEN,
        },
    )
    monkeypatch.chdir(tmp_path)
    _, files, _ = _linted(run_cli, ".")
    assert files == ["deploy/values.yaml", "deploy/values/keep.tmp.yaml", "old/values.yaml"]
    _, files, _ = _linted(run_cli, "--exclude", "old/", "deploy")  # a subdirectory still sees the root .gitignore
    assert files == ["deploy/values.yaml", "deploy/values/keep.tmp.yaml"]
    _, files, _ = _linted(run_cli, "--exclude", "keep.*", ".")
    assert files == ["deploy/values.yaml", "old/values.yaml"]
    # A file named explicitly is linted even when ignored (as in ruff).
    _, files, _ = _linted(run_cli, "generated/values.yaml")
    assert files == ["generated/values.yaml"]


def test_symlinks_out_of_the_tree_are_not_followed(run_cli, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    outside = tmp_path / "outside"
    _tree(outside, {"values.yaml": BROKEN, "dir/values.yaml": BROKEN})
    inside = tmp_path / "repo"
    _tree(inside, {"values.yaml": BROKEN, "real/values-a.yaml": BROKEN})
    (inside / "values-out.yaml").symlink_to(outside / "values.yaml")
    (inside / "linked-dir").symlink_to(outside / "dir", target_is_directory=True)
    (inside / "values-in.yaml").symlink_to(inside / "real" / "values-a.yaml")
    monkeypatch.chdir(inside)
    _, files, _ = _linted(run_cli, ".")
    assert files == ["real/values-a.yaml", "values-in.yaml", "values.yaml"]


def test_an_empty_directory_is_said_not_an_error(run_cli, tmp_path: Path) -> None:
    code, out, err = run_cli("--isolated", str(tmp_path))
    assert code == 0 and out == "No files to lint.\n"
    assert f"no values files or basic_auth.ini under {tmp_path}" in err


def _stdin(text: str, *argv: str, cwd: Path = REPO) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "mlflow_lint", "--isolated", *argv],
        input=text,
        cwd=cwd,
        capture_output=True,
        text=True,
        check=False,
        timeout=60,
    )


def test_stdin_is_linted_under_its_stdin_filename(tmp_path: Path) -> None:
    done = _stdin(BROKEN, "--output-format", "concise", "-")
    assert done.returncode == 1
    assert done.stdout.startswith("<stdin>:2:3: error MLF005 unknown key `prot`")
    done = _stdin(BROKEN, "--output-format", "concise", "--stdin-filename", "deploy/values.yaml", "-")
    assert done.stdout.startswith("deploy/values.yaml:2:3: error MLF005")
    alone = _stdin(BROKEN, "--output-format", "concise", "--stdin-filename", "deploy/values.yaml")  # `-` implied
    assert alone.stdout == done.stdout
    ini = _stdin("[mlflow]\nadmin_username = admin\n", "--format", "json", "--stdin-filename", "basic_auth.ini", "-")
    assert {f["code"] for f in json.loads(ini.stdout)["findings"]} >= {"MLF506"}  # read as basic_auth.ini


def test_stdin_finds_settings_from_its_stdin_filename(tmp_path: Path) -> None:
    (tmp_path / "deploy").mkdir()
    (tmp_path / "deploy" / ".mlflow-lint.yaml").write_text("ignore: [MLF005]\n")
    argv = ("--stdin-filename", "deploy/values.yaml", "-")
    done = subprocess.run(
        [sys.executable, "-m", "mlflow_lint", *argv],
        input=BROKEN,
        cwd=tmp_path,
        capture_output=True,
        text=True,
        check=False,
        timeout=60,
    )
    assert done.returncode == 0, done.stdout  # the config next to the named file applies
    assert "No problems found in 1 file." in done.stdout


def test_stdin_over_the_size_limit_is_refused() -> None:
    from mlflow_lint.engine import MAX_FILE_BYTES

    done = _stdin("a: 1\n" * (MAX_FILE_BYTES // 5 + 1), "-")
    assert done.returncode == 2 and "over the" in done.stderr and "Traceback" not in done.stderr


def test_walk_is_sorted_and_deduplicated(tmp_path: Path) -> None:
    _tree(tmp_path, {"b/values.yaml": "", "a/values.yaml": "", "values.yaml": ""})
    found = discovery.expand([str(tmp_path), str(tmp_path / "a" / "values.yaml")])
    names = [os.path.relpath(f, tmp_path) for f in found.files]
    assert names == ["values.yaml", "a/values.yaml", "b/values.yaml"]
