"""Choosing a chart: detection, umbrella values, unrecognised files, and `--chart` on the command line."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from mlflow_lint import charts
from mlflow_lint.cli import main

UMBRELLA = """\
global:
  storageClass: fast
postgresql:
  enabled: true
mlflow:
  trackingServer:
    host: 127.0.0.1
    hots: x
  replicaCount: 1
"""


def lint_json(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, list[dict[str, object]]]:
    code = main(["--isolated", "--format", "json", *args])
    out = capsys.readouterr().out
    return code, (json.loads(out)["findings"] if out.strip() else [])


@pytest.mark.parametrize(
    ("data", "name"),
    [
        ({"trackingServer": {"mode": "serve-artifacts"}}, "seed-v2"),
        ({"artifactStore": {"enabled": True}, "trackingServer": {"enabled": True}}, "seed-v1"),
        ({"artifactRoot": {"s3": {}}, "extraEnvVars": {}}, "community"),
        ({"tracking": {"auth": {}}, "externalDatabase": {}}, "bitnami"),
        ({"mlflow": {"backendStoreUri": "sqlite:////m/db"}, "server": {"value_options": {}}}, "official"),
        ({"image": {"tag": "v2.14.1"}}, "seed-v2"),  # only generic keys: the default chart
    ],
)
def test_detection(data: dict[str, object], name: str) -> None:
    choice = charts.choose([data])
    assert choice.adapter.name == name
    assert choice.prefix == ()
    assert choice.recognised


def test_an_umbrella_key_is_found_and_the_official_chart_own_mlflow_key_is_not_one() -> None:
    assert charts.choose([{"mlflow": {"trackingServer": {}}, "postgresql": {}}]).prefix == ("mlflow",)
    assert charts.choose([{"mlflow": {"server": {"value_options": {}}}}]).adapter.name == "official"
    official = charts.choose([{"mlflow": {"backendStoreUri": "x"}}])
    assert (official.adapter.name, official.prefix) == ("official", ())


def test_umbrella_values_are_linted_in_place(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / "values.yaml"
    path.write_text(UMBRELLA, encoding="utf-8")
    _, findings = lint_json(capsys, str(path))
    found = {(f["code"], f["line"], f["path"]) for f in findings}
    assert ("MLF406", 7, "mlflow.trackingServer.host") in found  # line and path of the real file
    assert ("MLF005", 8, "mlflow.trackingServer.hots") in found
    assert not [
        f for f in findings if f["code"] in ("MLF005", "MLF012") and str(f["path"]).startswith(("global", "postgresql"))
    ], "the umbrella's other subcharts are not this chart's keys"


def test_a_file_for_another_chart_is_linted_as_that_chart(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """community-charts is modelled (issue 14): its file is linted with its own keys, not reported."""
    path = tmp_path / "values.yaml"
    path.write_text(
        "artifactRoot:\n  proxiedArtifactStorage: true\nextraEnvVars:\n  A: b\n"
        "serverHost: 0.0.0.0\nextraFlags: [serveArtifacts]\n",
        encoding="utf-8",
    )
    _, findings = lint_json(capsys, str(path))
    codes = {f["code"] for f in findings}
    assert not codes & {"MLF012", "MLF005"}
    assert "MLF805" in codes  # community's own default: the in-memory SQLite backend


def test_secrets_are_still_audited_in_an_unrecognised_file(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / "values.yaml"
    path.write_text(
        "apiVersion: v1\nkind: Secret\nmetadata: {name: db}\n"
        "stringData:\n  MLFLOW_BACKEND_STORE_URI: postgresql://mlflow:Xq83kd0Zp2mv@db/mlflow\n",
        encoding="utf-8",
    )
    _, findings = lint_json(capsys, str(path))
    codes = [f["code"] for f in findings]
    assert codes[0] == "MLF012" and "MLF005" not in codes
    assert any(str(c).startswith("MLF3") for c in codes)
    assert "Xq83kd0Zp2mv" not in json.dumps(findings)


def test_forcing_another_chart_names_the_keys_chart(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / "values.yaml"
    path.write_text("trackingServer:\n  host: 0.0.0.0\n", encoding="utf-8")
    _, findings = lint_json(capsys, "--chart", "bitnami", str(path))
    mixed = [f for f in findings if f["code"] == "MLF801"]
    assert len(mixed) == 1 and "`trackingServer` (the seed chart)" in str(mixed[0]["message"])


def test_a_bad_chart_name_lists_the_choices(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / "values.yaml"
    path.write_text("replicaCount: 1\n", encoding="utf-8")
    assert main(["--isolated", "--chart", "seed-v3", str(path)]) == 2
    err = capsys.readouterr().err
    assert "seed-v3" in err and all(name in err for name in charts.BY_NAME)


def test_the_help_lists_the_charts(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit):
        main(["--help"])
    out = " ".join(capsys.readouterr().out.split())
    assert "seed-v1, seed-v2, community, bitnami, official" in out


def test_every_adapter_keeps_the_interface() -> None:
    """One module per chart family: detect, schema + defaults, build (see charts/base.py)."""
    from mlflow_lint.deployment import Deployment
    from mlflow_lint.release import Values

    assert len(charts.BY_NAME) == len(charts.ADAPTERS)
    for adapter in charts.ADAPTERS:
        assert adapter.detect({}).confidence == 0 and adapter.app_version
        if not adapter.modelled:
            assert adapter.name not in charts.REVISIONS
            continue
        chart = charts.load_chart(adapter.name)
        assert chart.defaults, adapter.name
        assert adapter.build is not None
        deployment = adapter.build(Values(chart.defaults, []), chart)
        assert isinstance(deployment, Deployment) and deployment.adapter == adapter.name
        assert deployment.args and deployment.roles
