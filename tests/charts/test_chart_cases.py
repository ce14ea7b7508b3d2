"""The per-chart cases linted as users run mlflow-lint: every expected finding, nothing else.

Each `tests/charts/<chart>/<case>.yaml` is written in that chart's own key layout; lines that
must produce findings end with `# expect: CODE[,CODE]` (all rules run, so a missing marker is
an unexpected finding). A leading `# args: ...` comment adds command-line flags; `# umbrella:
KEY` only tells record_renders.py where the chart's values sit (the linter finds them itself).
"""

from __future__ import annotations

import json
import re
import shlex
from pathlib import Path

import pytest

from mlflow_lint import charts
from mlflow_lint.cli import main
from mlflow_lint.document import load

HERE = Path(__file__).parent
_EXPECT = re.compile(r"#\s*expect:\s*([A-Z0-9, ]+)\s*$")
CHARTS = ("community", "bitnami", "official")


def case_files() -> list[Path]:
    return sorted(p for chart in CHARTS for p in (HERE / chart).glob("*.yaml"))


def expected(path: Path) -> set[tuple[int, str]]:
    out = set()
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        match = _EXPECT.search(line)
        if match and not line.lstrip().startswith("#"):
            out.update((number, code.strip()) for code in match[1].split(",") if code.strip())
    return out


def header_args(path: Path) -> list[str]:
    for line in path.read_text(encoding="utf-8").splitlines():
        if not line.startswith("#"):
            break
        if line.startswith("# args:"):
            return shlex.split(line.split(":", 1)[1])
    return []


def lint(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, list[dict]]:
    code = main(["--isolated", "--format", "json", *argv])
    return code, json.loads(capsys.readouterr().out)["findings"]


@pytest.mark.parametrize("path", case_files(), ids=lambda p: f"{p.parent.name}/{p.stem}")
def test_case_findings(path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    _, findings = lint(capsys, *header_args(path), str(path))
    assert {(f["line"], f["code"]) for f in findings} == expected(path), json.dumps(findings, indent=1)


@pytest.mark.parametrize("chart", CHARTS)
def test_chart_defaults_have_no_errors(chart: str, capsys: pytest.CaptureFixture[str]) -> None:
    """The chart's defaults: no error; a warning only where the default loses data or opens access."""
    code, findings = lint(capsys, str(HERE / chart / "defaults.yaml"))
    assert [f for f in findings if f["severity"] == "error"] == []
    assert code == 0
    allowed = {"community": {"MLF805", "MLF214"}, "bitnami": {"MLF807"}, "official": set()}[chart]
    assert {f["code"] for f in findings} <= allowed


@pytest.mark.parametrize("chart", ["community", "bitnami"])
def test_empty_values_are_the_chart_defaults(chart: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    empty = tmp_path / "values.yaml"
    empty.write_text("{}\n", encoding="utf-8")
    _, findings = lint(capsys, "--chart", chart, str(empty))
    assert [f for f in findings if f["severity"] == "error"] == []


def test_the_official_chart_requires_a_backend(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """The official chart's own defaults do not render (its template `fail`s): said once, as Helm says it."""
    empty = tmp_path / "values.yaml"
    empty.write_text("{}\n", encoding="utf-8")
    _, findings = lint(capsys, "--chart", "official", str(empty))
    assert [f["code"] for f in findings if f["severity"] == "error"] == ["MLF809"]


@pytest.mark.parametrize(
    ("case", "chart", "nest"),
    [
        ("community/defaults.yaml", "community", ""),
        ("bitnami/defaults.yaml", "bitnami", ""),
        ("official/defaults.yaml", "official", ""),
        ("community/umbrella.yaml", "community", "mlflow"),
        ("bitnami/umbrella.yaml", "bitnami", "mlflow"),
        ("official/umbrella.yaml", "official", "mlflow"),
        ("official/unknown-key.yaml", "official", ""),
    ],
)
def test_detection(case: str, chart: str, nest: str) -> None:
    data = load(case, (HERE / case).read_text(encoding="utf-8")).data
    found = charts.choose([data])
    assert (found.adapter.name, found.prefix) == (chart, (nest,) if nest else ())


def test_a_seed_file_is_left_to_the_seed_adapter() -> None:
    seed = HERE.parents[1] / "examples" / "values.yaml"
    assert charts.choose([load(str(seed), seed.read_text(encoding="utf-8")).data]).adapter.family == "seed"


def test_a_mixed_file_names_each_keys_chart(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    mixed = tmp_path / "values.yaml"
    mixed.write_text(
        "tracking:\n  auth:\n    existingSecret: a\nexternalS3:\n  serveArtifacts: false\n"
        "run:\n  enabled: false\n"
        "extraEnvVars:\n  A: b\nartifactRoot:\n  proxiedArtifactStorage: true\n",
        encoding="utf-8",
    )
    _, findings = lint(capsys, str(mixed))
    mixed_findings = [f for f in findings if f["code"] == "MLF801"]
    assert len(mixed_findings) == 1
    message = mixed_findings[0]["message"]
    assert "bitnami/mlflow" in message
    assert "`extraEnvVars` (community-charts/mlflow)" in message
    assert "`artifactRoot` (community-charts/mlflow)" in message
    assert not [f for f in findings if f["code"] in ("MLF005", "MLF802")]  # not also unknown keys


@pytest.mark.parametrize("chart", CHARTS)
def test_chart_flag_forces_the_chart(chart: str, capsys: pytest.CaptureFixture[str]) -> None:
    """`--chart` wins over detection: bitnami's defaults linted as another chart are unknown keys there."""
    other = "bitnami" if chart != "bitnami" else "community"
    _, findings = lint(capsys, "--chart", chart, str(HERE / other / "defaults.yaml"))
    assert {f["code"] for f in findings} & {"MLF005", "MLF802"}


def test_rules_lists_the_charts_each_rule_applies_to(capsys: pytest.CaptureFixture[str]) -> None:
    main(["rules", "--format", "json"])
    rows = {r["code"]: r["charts"] for r in json.loads(capsys.readouterr().out)}
    assert rows["MLF803"] == ["community"] and rows["MLF808"] == ["bitnami"] and rows["MLF813"] == ["official"]
    assert rows["MLF106"] == ["all"] and rows["MLF206"] == ["seed-v1", "seed-v2"]


@pytest.mark.parametrize(
    "case", ["community/postgres-external.yaml", "bitnami/external-db-s3.yaml", "official/backend-from-secret.yaml"]
)
def test_probe_plan_on_each_chart(case: str, capsys: pytest.CaptureFixture[str]) -> None:
    main(["--isolated", "--probe-plan", str(HERE / case)])
    out = capsys.readouterr().out
    assert "Probe plan (nothing was contacted)" in out and "database (backend store)" in out


def test_umbrella_findings_keep_the_files_paths(capsys: pytest.CaptureFixture[str]) -> None:
    """Values nested under `mlflow:` are linted in place: lines and paths of the real file."""
    _, findings = lint(capsys, str(HERE / "community" / "umbrella.yaml"))
    assert {(f["line"], f["path"]) for f in findings} == {
        (9, "mlflow.backendStore.postgres.password"),
        (12, "mlflow.artifactRoot.s3.enabled"),
    }


@pytest.mark.parametrize(
    ("case", "meant"),
    [("bitnami/unknown-key.yaml", "tracking.extraEnvVars"), ("official/unknown-key.yaml", "mlflow.backendStoreUri")],
)
def test_unknown_keys_helm_ignores_are_warnings_with_this_charts_suggestion(
    case: str, meant: str, capsys: pytest.CaptureFixture[str]
) -> None:
    _, findings = lint(capsys, str(HERE / case))
    ignored = [f for f in findings if f["code"] == "MLF802"]
    assert len(ignored) == 1 and ignored[0]["severity"] == "warning"
    assert f"did you mean `{meant}`?" in ignored[0]["message"] and "silently ignores" in ignored[0]["hint"]


def test_community_unknown_keys_are_errors_helm_refuses(capsys: pytest.CaptureFixture[str]) -> None:
    _, findings = lint(capsys, str(HERE / "community" / "unknown-key.yaml"))
    unknown = [f for f in findings if f["code"] == "MLF005"]
    assert len(unknown) == 2 and all(f["severity"] == "error" and "refuse" in f["hint"] for f in unknown)


@pytest.mark.parametrize("path", case_files(), ids=lambda p: f"{p.parent.name}/{p.stem}")
def test_each_case_is_detected_as_its_chart(path: Path) -> None:
    """A case not linted as its own chart would test another chart's rules (`--chart` in the header aside)."""
    if "--chart" in header_args(path):
        return
    data = load(str(path), path.read_text(encoding="utf-8")).data
    assert charts.choose([data]).adapter.name == path.parent.name
