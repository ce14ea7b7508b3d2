"""The leak harness of issue 7: planted secrets in every input the linter reads, probe error
paths included, and not one 8-character piece of any of them in any output.

Inputs: a values file (createSecret credentials, URIs, extraEnv, extraArgs, annotations), a
basic_auth.ini, Secret manifests (`data` base64 and `stringData`) and `--set` flags. The
databases and buckets the values point at are the blackhole server (accepts and never
answers) and a closed port, so every probe takes its `error` path with the credentials in
hand. Every format of FORMATTERS runs, to stdout and to `-o` files; stderr is scanned too.
"""

from __future__ import annotations

import base64
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest

from mlflow_lint.formatters import FORMATTERS
from mlflow_lint.redact import PIECE
from tests.test_no_secret_leaks import _LETTERS, _RANDOM, aws_key_id, plant

pytestmark = pytest.mark.services


def _formatted(secrets: list[str], prefix: str, length: int, suffix: str = "") -> str:
    """A random secret in a service's token format (prefix + random part), recorded in `secrets`."""
    value = prefix + "".join(_RANDOM.choice(_LETTERS) for _ in range(length)) + suffix
    secrets.append(value)
    return value


def _jwt(secrets: list[str]) -> str:
    header = base64.urlsafe_b64encode(b'{"alg":"HS256","typ":"JWT"}').decode().rstrip("=")
    subject = "".join(_RANDOM.choice(_LETTERS) for _ in range(24))
    claims = base64.urlsafe_b64encode(f'{{"sub":"{subject}"}}'.encode()).decode().rstrip("=")
    signature = "".join(_RANDOM.choice(_LETTERS) for _ in range(43))
    token = f"{header}.{claims}.{signature}"
    secrets.append(token)
    return token


def _detector_values(p: Callable[[], str], secrets: list[str]) -> str:
    """One planted value per detector of issue 15, in the layouts of the other charts."""
    gh, gl = _formatted(secrets, "ghp_", 36), _formatted(secrets, "glpat-", 20)
    slack = _formatted(secrets, "xoxb-4821937465-5937284619-", 24)
    hook = "https://hooks.slack.com/services/T04KQ2Z7M/B05LR8X3N/" + _formatted(secrets, "", 24)  # the secret part
    databricks = "dapi" + "".join(_RANDOM.choice("0123456789abcdef") for _ in range(32))
    secrets.append(databricks)
    hf, google = _formatted(secrets, "hf_", 34), _formatted(secrets, "AIza", 35)
    openai = _formatted(secrets, "sk-proj-", 24, "T3BlbkFJ" + "".join(_RANDOM.choice(_LETTERS) for _ in range(24)))
    npm = _formatted(secrets, "npm_", 36)
    ssh = _formatted(secrets, "", 64)
    sas = _formatted(secrets, "", 43)
    password = p()
    encoded = base64.b64encode(password.encode()).decode()
    return f"""\
backendStore:
  postgres:
    password: {p()}
auth:
  postgres:
    password: {p()}
flaskServerSecretKey: {p()}
externalDatabase:
  password: {p()}
extraEnvVars:
  GITHUB_TOKEN: {gh}
  GITLAB_TOKEN: {gl}
  SLACK_BOT_TOKEN: {slack}
  DATABRICKS_TOKEN: {databricks}
  HF_TOKEN: {hf}
  GOOGLE_API_KEY: {google}
  OPENAI_API_KEY: {openai}
  NPM_TOKEN: {npm}
  MLFLOW_TRACKING_TOKEN: {_jwt(secrets)}
  SMTP_PASS: {p()}
  AZURE_STORAGE_SAS_TOKEN: "sv=2022-11-02&ss=b&srt=co&sp=rwdlac&se=2027-06-30T18:00:00Z&spr=https&sig={sas}"
podAnnotations:
  corp/alerts: {hook}
jobs:
  dbPasswordBase64: {encoded}
  sshKey: "-----BEGIN OPENSSH PRIVATE KEY-----\\n{ssh}\\n-----END OPENSSH PRIVATE KEY-----"
  config: |
    [smtp]
    password = {p()}
"""


def _pieces(secrets: list[str]) -> set[str]:
    encoded = [base64.b64encode(s.encode()).decode() for s in secrets]
    return {s[i : i + PIECE] for s in secrets + encoded for i in range(len(s) - PIECE + 1)}


def _inputs(tmp_path: Path, port: int, secrets: list[str]) -> tuple[list[str], Path, Path, Path]:
    p = lambda: plant(secrets, "")  # noqa: E731
    db = f"postgresql+psycopg://mlflow:{p()}@127.0.0.1:{port}/mlflow"
    values = tmp_path / "values.yaml"
    values.write_text(
        f"""\
image:
  tag: v2.14.1
trackingServer:
  mode: no-serve-artifacts
  defaultArtifactRoot: s3://bucket/path
  extraArgs:
    - --gunicorn-opts={p()}
  basicAuth:
    enabled: true
    createSecret:
      adminPassword: {p()}
      databaseUri: mysql+pymysql://auth:{p()}@127.0.0.1:{port}/auth
backendStore:
  createSecret:
    backendStoreUri: {db}
artifactStore:
  s3:
    enabled: true
    createSecret:
      accessKeyId: {aws_key_id(secrets)}
      secretAccessKey: {p()}
serviceAccount:
  annotations:
    corp/token: {p()}
extraEnv:
  - name: MLFLOW_S3_ENDPOINT_URL
    value: http://127.0.0.1:{port}
  - name: MLFLOW_FLASK_SERVER_SECRET_KEY
    value: {p()}
  - name: MLFLOW_TRACKING_PASSWORD
    value: {p()}
"""
        + _detector_values(p, secrets)
    )
    ini = tmp_path / "basic_auth.ini"
    ini.write_text(
        f"[mlflow]\ndefault_permission = READ\ndatabase_uri = postgresql://a:{p()}@127.0.0.1:{port}/a\n"
        f"admin_username = admin\nadmin_password = {p()}\n"
    )
    manifests = tmp_path / "secrets.yaml"
    encoded = base64.b64encode(p().encode()).decode()
    manifests.write_text(f"""\
apiVersion: v1
kind: Secret
metadata: {{name: mlflow-extra}}
data:
  AWS_SECRET_ACCESS_KEY: {encoded}
stringData:
  MLFLOW_BACKEND_STORE_URI: postgresql://u:{p()}@127.0.0.1:{port}/db
  basic_auth.ini: |
    [mlflow]
    admin_password = {p()}
---
apiVersion: apps/v1
kind: Deployment
metadata: {{name: mlflow}}
spec:
  template:
    spec:
      containers:
        - name: mlflow
          env:
            - name: MLFLOW_TRACKING_TOKEN
              value: {p()}
            - name: HF_TOKEN
              value: {_formatted(secrets, "hf_", 34)}
""")

    flags = [
        "--set",
        f"artifactStore.s3.createSecret.secretAccessKey={p()}",
        "--set-string",
        f"extraEnv[2].value={p()}",
        # shadowed: a later flag replaces it, but it is still in the command line (CI config)
        "--set-string",
        f"externalDatabase.password={p()}",
        "--set-string",
        "externalDatabase.password=$(PW)",
    ]
    return flags, manifests, ini, values


# The text format twice more: its two layouts (`full` shows source lines, redacted).
@pytest.mark.parametrize("fmt", [*sorted(FORMATTERS), "full", "concise"])
def test_no_piece_of_any_planted_secret_in_any_output(fmt: str, tmp_path: Path, blackhole_server) -> None:
    secrets: list[str] = []
    flags, manifests, ini, values = _inputs(tmp_path, blackhole_server.port, secrets)
    report = tmp_path / f"report.{fmt}"
    runs = [
        ["--probe", "--probe-timeout", "1", "--secrets", str(manifests), "-f", str(values), *flags],
        ["--probe-plan", "--secrets", str(manifests), "-f", str(values), *flags],
        ["--fail-on", "info", str(ini), str(values)],
    ]
    pieces = _pieces(secrets)
    for argv in runs:
        result = subprocess.run(
            [sys.executable, "-m", "mlflow_lint", "--isolated", *_formats(fmt), "--output", str(report), *argv],
            capture_output=True,
            text=True,
            timeout=60,
            check=False,
        )
        assert result.returncode in (1, 4), result.stderr
        output = result.stdout + result.stderr + report.read_text()
        leaked = sorted(piece for piece in pieces if piece in output)
        assert not leaked, f"{fmt} {argv[0]}: {len(leaked)} pieces leaked, e.g. {leaked[:3]}"


def _formats(fmt: str) -> list[str]:
    """The format to stdout and to `--output`."""
    if fmt in ("full", "concise"):
        return ["--format", "text", "--format", "text", "--output-format", fmt]
    return ["--format", fmt, "--format", fmt]


def test_the_harness_would_see_a_leak(tmp_path: Path, blackhole_server) -> None:
    """Control: the same scan finds the secrets in the inputs themselves."""
    secrets: list[str] = []
    flags, manifests, ini, values = _inputs(tmp_path, blackhole_server.port, secrets)
    text = values.read_text() + ini.read_text() + manifests.read_text() + " ".join(flags)
    assert all(s in text or base64.b64encode(s.encode()).decode() in text for s in secrets)
    assert len(secrets) == 38


def test_every_detector_fires_on_the_harness_inputs(tmp_path: Path, blackhole_server) -> None:
    """Control: the planted values of issue 15 are found, so the leak test above exercises every detector's
    messages (a detector that never fired could not leak)."""
    secrets: list[str] = []
    flags, manifests, ini, values = _inputs(tmp_path, blackhole_server.port, secrets)
    result = subprocess.run(
        [
            sys.executable,
            "-m",
            "mlflow_lint",
            "--isolated",
            "--format",
            "json",
            "--secrets",
            str(manifests),
            str(ini),
            "-f",
            str(values),
            *flags,
        ],
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    import json

    findings = json.loads(result.stdout)["findings"]
    codes = [f["code"] for f in findings]
    assert codes.count("MLF312") == 11, sorted(f["path"] for f in findings if f["code"] == "MLF312")
    assert {"MLF301", "MLF302", "MLF303", "MLF305", "MLF306", "MLF311", "MLF312", "MLF313"} <= set(codes)
    named = {f["path"] for f in findings if f["code"] == "MLF311"}
    assert {
        "backendStore.postgres.password",
        "flaskServerSecretKey",
        "externalDatabase.password",
        "jobs.dbPasswordBase64",
        "jobs.config",
        'stringData["basic_auth.ini"]',
    } <= named, named
    assert any(f["file"] == "--set-string" and f["path"] == "externalDatabase.password" for f in findings)
