"""Golden files for every format: one fixed report from fixed inputs, compared byte for byte.

Only core codes are selected, so rules other engineers add do not churn the goldens; the SARIF
golden keeps only the selected rules of the driver (the full driver is checked in
test_sarif.py) and the tool version becomes `<version>`. Regenerate with
`pytest tests/formatters --update-golden` and review the diff like code.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from mlflow_lint import __version__
from tests.conftest import REPO

GOLDEN = Path(__file__).parent / "golden"
INPUTS = ("tests/data/values/formatters-findings.yaml", "tests/data/values/formatters-clean.yaml")
SELECT = ("MLF002", "MLF003", "MLF005", "MLF006")
FILES = {
    "text": "text.txt",
    "concise": "text-concise.txt",
    "json": "report.json",
    "sarif": "report.sarif",
    "github": "github.txt",
    "junit": "junit.xml",
}


@pytest.fixture
def render(run_cli, monkeypatch: pytest.MonkeyPatch):
    """The report of INPUTS in one format, run from the repository root (relative paths)."""
    monkeypatch.chdir(REPO)

    def run(fmt: str) -> str:
        how = ["--output-format", fmt] if fmt == "concise" else ["--format", fmt]
        code, out, err = run_cli("--isolated", "--select", ",".join(SELECT), *how, *INPUTS)
        assert code == 1, err
        return normalize(fmt, out)

    return run


def normalize(fmt: str, out: str) -> str:
    if fmt != "sarif":
        return out.replace(f'"version": "{__version__}"', '"version": "<version>"')
    log = json.loads(out)
    driver = log["runs"][0]["tool"]["driver"]
    for result in log["runs"][0]["results"]:
        assert driver["rules"][result["ruleIndex"]]["id"] == result["ruleId"]
        result["ruleIndex"] = "<index>"  # indexes shift when rules are added before these
    driver["rules"] = [r for r in driver["rules"] if r["id"] in SELECT]
    driver["version"] = "<version>"
    return json.dumps(log, indent=2, ensure_ascii=False) + "\n"


@pytest.mark.parametrize("fmt", sorted(FILES))
def test_golden(fmt: str, render, update_golden: bool) -> None:
    path = GOLDEN / FILES[fmt]
    actual = render(fmt)
    if update_golden:
        path.write_text(actual, encoding="utf-8")
    assert path.exists(), f"{path} is missing; run pytest --update-golden"
    assert actual == path.read_text(encoding="utf-8"), f"{fmt} output changed; run pytest --update-golden and review"


def test_every_format_has_a_golden() -> None:
    from mlflow_lint.formatters import FORMATTERS

    assert set(FORMATTERS) <= set(FILES)


def test_several_formats_in_one_run(run_cli, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(REPO)
    sarif, junit, report = tmp_path / "a.sarif", tmp_path / "b.xml", tmp_path / "c.json"
    code, out, _ = run_cli(
        "--isolated",
        "--select",
        ",".join(SELECT),
        "--format",
        "sarif",
        "--output",
        str(sarif),
        "--format",
        "junit",
        "-o",
        str(junit),
        "--format",
        "json",
        "-o",
        str(report),
        "--format",
        "text",
        *INPUTS,
    )
    assert code == 1
    assert out.startswith("tests/data/values/formatters-findings.yaml:8:3: error MLF005")  # root causes first
    assert json.loads(sarif.read_text())["version"] == "2.1.0"
    assert junit.read_text().startswith('<?xml version="1.0" encoding="UTF-8"?>\n<testsuites')
    assert json.loads(report.read_text())["summary"]["error"] == 3


def test_outputs_must_pair_with_formats(run_cli, tmp_path: Path) -> None:
    code, _, err = run_cli("--isolated", "--format", "sarif", "--format", "junit", str(REPO / INPUTS[1]))
    assert code == 2 and "one --output per --format" in err
    code, _, err = run_cli(
        "--isolated", "--format", "sarif", "-o", str(tmp_path / "no" / "dir.sarif"), str(REPO / INPUTS[1])
    )
    assert code == 2 and "cannot write" in err


def test_auto_is_github_under_github_actions(run_cli, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(REPO)
    monkeypatch.setenv("GITHUB_ACTIONS", "true")
    _, out, _ = run_cli("--isolated", "--select", "MLF005", INPUTS[0])
    assert out.startswith("::error file=tests/data/values/formatters-findings.yaml,line=8,col=3,")
    monkeypatch.setenv("GITHUB_ACTIONS", "false")
    assert run_cli("--isolated", "--select", "MLF005", INPUTS[0])[1].startswith("tests/data/values/")


@pytest.mark.parametrize(
    "argv",
    [
        "--format sarif --output mlflow-lint.sarif --format github values.yaml",  # README: GitHub Actions job
        "--format junit --output mlflow-lint.xml --format text values.yaml",  # README: GitLab job
    ],
)
def test_ci_recipes_from_the_readme(run_cli, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, argv: str) -> None:
    monkeypatch.chdir(tmp_path)
    Path("values.yaml").write_text("trackingServer:\n  prot: 5000\n", encoding="utf-8")
    code, out, _ = run_cli("--isolated", *argv.split())
    report = Path(argv.split()[3])
    assert code == 1 and report.stat().st_size > 0
    assert "MLF005" in out and "MLF005" in report.read_text(encoding="utf-8")
