"""Rendered manifests as input, and `--chart DIR|TGZ` rendering with real Helm (helm-python-sdk).

The chart rendered here is tests/data/charts/seed-v2: a stand-in for the seed chart written for
these tests from the facts (its values.yaml is written at test time from the schema defaults).
"""

from __future__ import annotations

import json
import shutil
import tarfile
from collections import Counter
from pathlib import Path

import pytest

from mlflow_lint import charts, manifests
from mlflow_lint.cli import main

helm = pytest.importorskip("helm_python", reason="the `helm` extra (helm-python-sdk) renders the test chart")

CHART = Path(__file__).parent / "data" / "charts" / "seed-v2"

HAND_WRITTEN = """\
apiVersion: v1
kind: Secret
metadata:
  name: mlflow-db
stringData:
  DB_URI: postgres://mlflow@db.internal:5432/mlflow
---
apiVersion: v1
kind: ConfigMap
metadata:
  name: mlflow-settings
data:
  MLFLOW_S3_IGNORE_TLS: "maybe"
---
apiVersion: apps/v1
kind: Deployment
metadata:
  name: tracking
spec:
  replicas: 1
  template:
    spec:
      containers:
        - name: server
          image: ghcr.io/mlflow/mlflow:v2.14.1
          command: ["mlflow", "server"]
          args:
            - --backend-store-uri=$(DB_URI)
            - --host=127.0.0.1
            - --static-prefix=$(UNDEFINED)
            - --port=$$(5000)
          envFrom:
            - secretRef:
                name: mlflow-db
            - configMapRef:
                name: mlflow-settings
          env:
            - name: MLFLOW_S3_IGNORE_TLS
              value: "true"
"""

# Exercises MLflow rules of every kind: command line, env, backend, basic auth, ingress, init container.
SEED_VALUES = """\
replicaCount: 2
image:
  tag: v2.14.1
trackingServer:
  mode: no-serve-artifacts
  host: 127.0.0.1
  basicAuth:
    enabled: true
    createSecret:
      defaultPermission: READ
      databaseUri: sqlite:///basic_auth.db
      adminUsername: admin
      adminPassword: password
backendStore:
  databaseUpgrade: true
  createSecret:
    backendStoreUri: postgresql://mlflow@db.internal:5432/mlflow
extraEnv:
  - name: MLFLOW_S3_IGNORE_TLS
    value: "maybe"
  - name: MLFLOW_SERVER_ALLOWED_HOSTS
    value: localhost
ingress:
  enabled: true
  hosts:
    - host: mlflow.internal.acme.io
      paths: [{path: /, pathType: Prefix}]
"""
# Families whose findings depend on where a value sits, not on what the server gets: the file
# itself (MLF0xx), the secret audit (a password in values vs in a Secret manifest, MLF3xx), the
# basic_auth.ini judged as a file (MLF5xx) and Secret manifests (MLF7xx).
SAME_BEHAVIOUR = ("MLF1", "MLF2", "MLF4", "MLF6")


@pytest.fixture(scope="module")
def chart_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The test chart with its values.yaml: the seed v2 schema's defaults."""
    target = tmp_path_factory.mktemp("chart") / "mlflow"
    shutil.copytree(CHART, target)
    defaults = charts.load_chart("seed-v2").defaults
    (target / "values.yaml").write_text(json.dumps(defaults, indent=1), encoding="utf-8")
    return target


def lint(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, list[dict[str, object]]]:
    code = main(["--isolated", "--format", "json", *args])
    out = capsys.readouterr().out
    return code, json.loads(out)["findings"] if out.strip() else []


def render(chart_dir: Path, values_text: str) -> str:
    chart = helm.Chart.load(str(chart_dir))
    rendered = chart.render(helm.values_from_yaml(values_text), name="mlflow")
    return "".join(f"---\n# Source: {name}\n{body}" for name, body in sorted(rendered.items()) if body.strip())


def test_a_hand_written_stream_builds_a_deployment(tmp_path: Path) -> None:
    stream = manifests.read_stream("m.yaml", HAND_WRITTEN)
    label, index = manifests.server_workload(stream) or ("", -1)
    assert (label, index) == ("Deployment/tracking", 0)
    dep = manifests.build(stream, label, index)
    args = {a.option: a.value for a in dep.args}
    assert args["--backend-store-uri"] == "postgres://mlflow@db.internal:5432/mlflow"  # $(DB_URI) from envFrom
    assert args["--static-prefix"] == "$(UNDEFINED)"  # an undefined reference stays as written
    assert args["--port"] == "$(5000)"  # `$$` escapes
    assert dep.env["MLFLOW_S3_IGNORE_TLS"].value == "true"  # env beats envFrom
    sources = [(s.kind, s.name, s.generated) for s in dep.env_from]
    assert sources == [("Secret", "mlflow-db", True), ("ConfigMap", "mlflow-settings", True)]
    assert dep.image.tag == "v2.14.1" and dep.image.registry == "ghcr.io"


def test_a_hand_written_stream_is_linted_at_its_lines(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / "manifests.yaml"
    path.write_text(HAND_WRITTEN, encoding="utf-8")
    _, findings = lint(capsys, str(path))
    found = {(f["code"], f["line"]) for f in findings}
    assert ("MLF406", 29) in found  # --host=127.0.0.1
    assert ("MLF102", 28) in found  # the expanded postgres:// URI, at the argument that holds it
    assert "MLF010" not in {f["code"] for f in findings}  # several documents are expected in a stream
    assert "MLF602" not in {f["code"] for f in findings}  # the ConfigMap's `maybe` is overridden by env


def test_manifests_without_an_mlflow_server(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / "other.yaml"
    path.write_text("apiVersion: v1\nkind: ConfigMap\nmetadata: {name: x}\ndata: {a: b}\n", encoding="utf-8")
    code, findings = lint(capsys, str(path))
    assert code == 1 and [f["code"] for f in findings] == ["MLF012"]
    assert "mlflow server" in str(findings[0]["message"])


def test_rendered_manifests_lint_like_their_values(
    chart_dir: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    values = tmp_path / "values.yaml"
    values.write_text(SEED_VALUES, encoding="utf-8")
    rendered = tmp_path / "rendered.yaml"
    rendered.write_text(render(chart_dir, SEED_VALUES), encoding="utf-8")
    _, from_values = lint(capsys, str(values))
    _, from_manifests = lint(capsys, str(rendered))

    def behaviour(findings: list[dict[str, object]]) -> Counter[str]:
        return Counter(str(f["code"]) for f in findings if str(f["code"]).startswith(SAME_BEHAVIOUR))

    expected = behaviour(from_values)
    assert len(expected) >= 8, expected  # the comparison is not vacuous
    assert behaviour(from_manifests) == expected


def test_chart_dir_renders_with_helm_and_traces_findings_to_values(
    chart_dir: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    values = tmp_path / "values.yaml"
    values.write_text(SEED_VALUES, encoding="utf-8")
    code, findings = lint(capsys, "--chart", str(chart_dir), str(values))
    assert code == 1
    by_code = {str(f["code"]): f for f in findings}
    assert (by_code["MLF406"]["file"], by_code["MLF406"]["line"]) == (str(values), 6)  # traced: host
    assert (by_code["MLF409"]["file"], by_code["MLF409"]["line"]) == (str(values), 17)  # traced: the URI
    assert (by_code["MLF602"]["file"], by_code["MLF602"]["line"]) == (str(values), 20)
    untraced = by_code["MLF401"]  # `--app-name=mlflow.server:app` comes from the template, not a value
    assert str(untraced["file"]).endswith("mlflow/templates/deployment.yaml")


def test_a_packaged_chart_renders_too(chart_dir: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    archive = tmp_path / "mlflow-0.2.0.tgz"
    with tarfile.open(archive, "w:gz") as tar:
        tar.add(chart_dir, arcname="mlflow")
    values = tmp_path / "values.yaml"
    values.write_text("trackingServer:\n  host: 127.0.0.1\n", encoding="utf-8")
    _, findings = lint(capsys, "--chart", str(archive), str(values))
    assert [(f["code"], f["line"]) for f in findings if f["code"] == "MLF406"] == [("MLF406", 2)]


def test_a_render_failure_is_a_finding(chart_dir: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    values = tmp_path / "values.yaml"
    values.write_text("trackingServer:\n  mode: null\n", encoding="utf-8")  # the template requires a mode
    code, findings = lint(capsys, "--chart", str(chart_dir), str(values))
    assert code == 1
    assert [f["code"] for f in findings] == ["MLF013"]
    assert "trackingServer.mode is required" in str(findings[0]["message"])


def test_a_render_failure_does_not_echo_a_secret(
    chart_dir: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    values = tmp_path / "values.yaml"
    secret = "Zr8#kQ2vLm9sWx4t"
    values.write_text(
        f'trackingServer:\n  mode: null\n  basicAuth:\n    createSecret:\n      adminPassword: "{secret}"\n',
        encoding="utf-8",
    )
    main(["--isolated", "--chart", str(chart_dir), str(values)])
    captured = capsys.readouterr()
    assert secret not in captured.out + captured.err


def test_a_set_flag_is_rendered_and_traced(chart_dir: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    values = tmp_path / "values.yaml"
    values.write_text("trackingServer:\n  host: 0.0.0.0\n", encoding="utf-8")
    _, findings = lint(capsys, "--chart", str(chart_dir), "-f", str(values), "--set", "trackingServer.host=10.0.0.1")
    assert [(f["file"], f["line"]) for f in findings if f["code"] == "MLF406"] == [("--set", 1)]


def test_a_chart_that_renders_for_ever_is_stopped(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    from mlflow_lint import helm_render

    chart = tmp_path / "slow"
    (chart / "templates").mkdir(parents=True)
    (chart / "Chart.yaml").write_text("apiVersion: v2\nname: slow\nversion: 0.1.0\n", encoding="utf-8")
    (chart / "templates" / "loop.yaml").write_text(
        "{{ range until 20000 }}{{ range until 20000 }}{{ end }}{{ end }}\n", encoding="utf-8"
    )
    monkeypatch.setattr(helm_render, "TIMEOUT", 0.5)
    monkeypatch.setattr(helm_render.render, "__defaults__", (None, 0.5))
    values = tmp_path / "values.yaml"
    values.write_text("replicaCount: 1\n", encoding="utf-8")
    code, findings = lint(capsys, "--chart", str(chart), str(values))
    assert code == 1 and [f["code"] for f in findings] == ["MLF013"]
    assert "did not finish" in str(findings[0]["message"])


def test_manifests_of_odd_shapes_get_findings_not_a_traceback(capsys: pytest.CaptureFixture[str]) -> None:
    code, findings = lint(capsys, str(Path(__file__).parent / "data" / "odd-manifests.yaml"))
    assert code == 1
    assert {"MLF414", "MLF406"} <= {f["code"] for f in findings}


def test_a_chart_linking_outside_itself_is_not_rendered(
    chart_dir: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    outside = tmp_path / "credentials"
    outside.write_text("aws_secret_access_key = wJalrXUtnFEMI/K7MDENG/bPxRfiCYzEXAMPLEKEY\n", encoding="utf-8")
    chart = tmp_path / "linked"
    shutil.copytree(chart_dir, chart)
    (chart / "notes.txt").symlink_to(outside)
    (chart / "templates" / "leak.yaml").write_text(
        "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: leak}\n"
        'data:\n  notes: {{ .Files.Get "notes.txt" | quote }}\n',
        encoding="utf-8",
    )
    values = tmp_path / "values.yaml"
    values.write_text("replicaCount: 1\n", encoding="utf-8")
    _, findings = lint(capsys, "--chart", str(chart), str(values))
    assert [f["code"] for f in findings] == ["MLF013"]
    assert "link to outside the chart" in str(findings[0]["message"])
    assert "wJalrXUtnFEMI" not in json.dumps(findings)
