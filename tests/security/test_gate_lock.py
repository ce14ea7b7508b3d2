"""Locking the gate: a pull request's inline directives and nested config files cannot
switch it off when CI runs with `--isolated` (or a pinned `--config`) and `--disable-noqa`."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

pytestmark = pytest.mark.services  # (offline; the marker lets the audit recorder run)

BAD_VALUES = (
    "# mlflow-lint: disable-file=MLF\n"
    "image:\n  tag: v2.14.1\n"
    "backendStore:\n  databaseUri: postgresql://u:plain-Secret-in-values-77@db/x  # mlflow-lint: disable=MLF -- ok\n"
    "typoKey: 1  # mlflow-lint: disable=MLF005\n"
)


@pytest.fixture
def checkout(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A pull request's checkout: a values file with directives, and nested configs that ignore all."""
    (tmp_path / ".git").mkdir()
    deploy = tmp_path / "deploy"
    deploy.mkdir()
    (deploy / "values.yaml").write_text(BAD_VALUES)
    (deploy / ".mlflow-lint.yaml").write_text("ignore: [MLF]\n")
    (tmp_path / "pyproject.toml").write_text('[tool.mlflow-lint]\nignore = ["MLF"]\n')
    monkeypatch.chdir(tmp_path)
    return tmp_path


def _findings(run_cli, *flags: str) -> tuple[int, list[dict]]:
    code, out, _ = run_cli("--format", "json", *flags, "deploy/values.yaml")
    return code, json.loads(out)["findings"]


def test_the_pull_request_switches_the_gate_off_without_the_lock(checkout, run_cli):
    code, findings = _findings(run_cli)
    assert code == 0 and not [f for f in findings if not f["suppressed"]]


def test_isolated_and_disable_noqa_lock_the_gate(checkout, run_cli):
    code, findings = _findings(run_cli, "--isolated")
    errors = [f for f in findings if f["severity"] == "error"]
    assert code == 0 and errors and all(f["suppressed"] for f in errors)  # suppressed, but visible
    code, findings = _findings(run_cli, "--isolated", "--disable-noqa")
    assert code == 1 and findings and not any(f["suppressed"] for f in findings)
    assert "MLF003" not in {f["code"] for f in findings}  # ignored directives are not "unused" either


def test_a_pinned_config_replaces_the_nested_ones(checkout, run_cli, tmp_path_factory):
    pinned = tmp_path_factory.mktemp("protected") / ".mlflow-lint.yaml"
    pinned.write_text("disable-noqa: true\nfail-on: error\n")
    code, findings = _findings(run_cli, "--config", str(pinned))
    assert code == 1 and not any(f["suppressed"] for f in findings)


def test_a_config_cannot_switch_disable_noqa_off(checkout, run_cli):
    (checkout / "deploy" / ".mlflow-lint.yaml").write_text("disable-noqa: false\n")
    code, findings = _findings(run_cli, "--disable-noqa")
    assert code == 1 and not any(f["suppressed"] for f in findings)


def test_text_counts_and_lists_what_was_suppressed(checkout, run_cli):
    code, out, _ = run_cli("--isolated", "--format", "text", "deploy/values.yaml")
    assert code == 0 and "suppressed)" in out and "suppressed: " not in out
    code, out, _ = run_cli("--isolated", "--format", "text", "--show-suppressed", "deploy/values.yaml")
    assert "MLF005" in out and "suppressed: " in out
    assert "plain-Secret-in-values-77" not in out


def test_errors_from_a_checkout_config_reach_stderr_escaped(checkout, run_cli):
    (checkout / "deploy" / ".mlflow-lint.yaml").write_text('"evil\\e]0;pwned\\a\\nforged: line": 1\n')
    code, _, err = run_cli("deploy/values.yaml")
    assert code == 2 and "configuration error" in err
    assert "\x1b" not in err and "\x07" not in err and "\\x1b" in err
