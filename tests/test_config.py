"""Configuration files, discovery, precedence, and fatal unknown settings."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

WARN = "replicaCount: 1\n---\nb: 2\n"  # MLF010 (warning) only


def _lint(run_cli, *argv: str) -> tuple[int, dict, str]:
    code, out, err = run_cli("--format", "json", *argv)
    return code, (json.loads(out) if out else {}), err


def test_yaml_config_found_upward_from_the_linted_file(run_cli, tmp_path: Path) -> None:
    (tmp_path / ".mlflow-lint.yaml").write_text("severity:\n  multiple-documents: error\n")
    (tmp_path / "deploy").mkdir()
    values = tmp_path / "deploy" / "values.yaml"
    values.write_text(WARN)
    code, report, _ = _lint(run_cli, str(values))
    assert code == 1 and report["findings"][0]["severity"] == "error"
    code, report, _ = _lint(run_cli, "--isolated", str(values))
    assert code == 0 and report["findings"][0]["severity"] == "warning"


def test_pyproject_table_and_cli_precedence(run_cli, tmp_path: Path) -> None:
    (tmp_path / "pyproject.toml").write_text('[tool.mlflow-lint]\nignore = ["MLF010"]\nfail-on = "warning"\n')
    values = tmp_path / "values.yaml"
    values.write_text(WARN)
    code, report, _ = _lint(run_cli, str(values))
    assert code == 0 and report["findings"] == []
    code, report, _ = _lint(run_cli, "--select", "MLF010", str(values))  # the command line wins
    assert code == 1 and [f["code"] for f in report["findings"]] == ["MLF010"]


def test_explicit_config_path_and_chart_and_version_settings(run_cli, tmp_path: Path) -> None:
    config = tmp_path / "lint.yaml"
    config.write_text("chart: seed-v1\nmlflow-version: 2.22.0\nselect: [MLF005]\n")
    values = tmp_path / "values.yaml"
    values.write_text("trackingServer:\n  mode: serve-artifacts\n")
    _code, report, _ = _lint(run_cli, "--config", str(config), str(values))
    assert [f["code"] for f in report["findings"]] == ["MLF005"]  # mode is not a v1 key


@pytest.mark.parametrize(
    ("text", "words"),
    [
        ("selekt: [MLF001]\n", "unknown setting(s) selekt; valid settings: select"),
        ("select: [MLF999]\n", "unknown rule selector `MLF999`; did you mean `MLF9"),
        ("fail-on: fatal\n", "must be error, warning or info"),
        ("chart: seed-v3\n", "must be one of seed-v1, seed-v2"),
        ("mlflow-version: latest\n", "must look like 2.14.1"),
        ("- a\n", "must be a mapping"),
    ],
)
def test_bad_settings_exit_2_and_list_what_is_valid(run_cli, tmp_path: Path, text: str, words: str) -> None:
    config = tmp_path / ".mlflow-lint.yaml"
    config.write_text(text)
    values = tmp_path / "values.yaml"
    values.write_text("")
    code, _, err = run_cli(str(values))
    assert code == 2 and words in err


def test_missing_explicit_config_is_a_usage_error(run_cli, tmp_path: Path) -> None:
    values = tmp_path / "values.yaml"
    values.write_text("")
    code, _, err = run_cli("--config", str(tmp_path / "nope.yaml"), str(values))
    assert code == 2 and "config file not found" in err


def test_select_prefix_and_names_longest_match_wins(run_cli, tmp_path: Path) -> None:
    values = tmp_path / "values.yaml"
    values.write_text("replicaCount: 1\nreplicaCount: 2\n---\nb: 1\n")  # MLF006 + MLF010
    _, report, _ = _lint(run_cli, "--isolated", "--select", "MLF0", "--ignore", "MLF00", str(values))
    assert {f["code"] for f in report["findings"]} == {"MLF010"}
    _, report, _ = _lint(run_cli, "--isolated", "--ignore", "MLF0", "--select", "duplicate-key", str(values))
    assert {f["code"] for f in report["findings"]} == {"MLF006"}
