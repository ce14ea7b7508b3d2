"""No output format ever prints a secret, or any 8-character piece of one.

Unique random secrets are planted in every credential position of a values file, and in
positions that make OTHER rules and the schema talk about those same keys (wrong types,
unknown keys next to them, duplicate keys, malformed URIs that contain the secret). The
CLI then runs in every format of `FORMATTERS` (iterated, so formats added later are
covered), with `--fail-on info`, with suppressed findings, and writing to `-o` files.
"""

from __future__ import annotations

import random
import re
import string
from pathlib import Path

import pytest

from mlflow_lint.formatters import FORMATTERS
from mlflow_lint.redact import MASK, PIECE

_LETTERS = "ghijklmnopqrstuvwxyzGHIJKLMNOPQRSTUVWXYZ"  # never in the hex of fingerprints and digests
_RANDOM = random.SystemRandom()


def plant(secrets: list[str], tag: str) -> str:
    """A unique random secret; letters outside hex, so no digest or fingerprint can match it by chance."""
    del tag  # names the position in the YAML only; an English word inside a secret would match messages
    value = "S3cr3t" + "".join(_RANDOM.choice(_LETTERS) for _ in range(32))
    assert value not in secrets
    secrets.append(value)
    return value


def aws_key_id(secrets: list[str]) -> str:
    value = "AKIA" + "".join(_RANDOM.choice(string.ascii_uppercase + "234567") for _ in range(16))
    secrets.append(value)
    return value


def alibaba_key_id(secrets: list[str]) -> str:
    value = "LTAI" + "".join(_RANDOM.choice(_LETTERS) for _ in range(20))
    secrets.append(value)
    return value


def number(secrets: list[str]) -> int:
    value = _RANDOM.randint(10**19, 10**20 - 1)
    secrets.append(str(value))
    return value


def values_text(s: list[str]) -> str:
    p = lambda tag: plant(s, tag)  # noqa: E731 - a short alias keeps the YAML readable
    pem_lines = "\\n".join(p("pem") for _ in range(3))
    keyfile = (
        f'{{"type": "service_account", "project_id": "ml", "private_key_id": "{p("kid")}", '
        f'"private_key": "-----BEGIN PRIVATE KEY-----\\n{pem_lines}\\n-----END PRIVATE KEY-----\\n"}}'
    )
    admin = p("admin")
    return f"""\
image:
  tag: v2.14.1
trackingServer:
  mode: serve-artifacts
  defaultArtifactRoot: ftp://mlflow:{p("ftp")}@ftp.corp.internal/artifacts
  artifactsDestination: sftp://mlflow:{p("sftp")}@sftp.corp.internal:notaport/artifacts
  extraArgs:
    - --backend-store-uri=postgresql://mlflow:{p("argdb")}@db/mlflow
    - --artifacts-destination ftp://u:{p("argftp")}@ftp.corp.internal/x
    - --db-password={p("argpw")}
    - --app-name=mlflow.server:app
  basicAuth:
    enabled: true
    createSecret:
      databaseUri: oracle+x+y://auth:{p("authdb")}@authdb/auth?password={p("authq")}
      adminUsername: {admin}
      adminPassword: {admin}
      adminPasword: {p("typo")}
backendStore:
  databaseUpgrade: true
  createSecret:
    backendStoreUri: postgresql+psycopg2+bad://mlflow:{p("backend")}@db:notaport/mlflow
    backendStoreUri: postgresql://mlflow:{p("dup")}@db/mlflow
artifactStore:
  s3:
    enabled: true
    createSecret:
      accessKeyId: {aws_key_id(s)}
      secretAccessKey: {p("s3secret")}
      secretAccesKey: {p("s3typo")}
  gcp:
    enabled: true
    createSecret:
      keyFile: '{keyfile}'
  azure:
    enabled: true
    createSecret:
      azureStorageConnectionString: "DefaultEndpointsProtocol=https;AccountName=a;AccountKey={p("azkey")}=="
      azureStorageAccessKey: [{p("azlist")}]
  oss:
    enabled: true
    createSecret:
      accessKeyId: LTAI{p("ossid")}
      accessKeySecret: {number(s)}
serviceAccount:
  annotations:
    corp/deploy-key: {p("annot")}
    corp/db: postgresql://u:{p("annotdb")}@h/db
podAnnotations:
  corp/client-secret: {p("podannot")}  # mlflow-lint: disable=MLF311 -- test of the suppressed path
  corp/tls-key: "-----BEGIN RSA PRIVATE KEY-----\\n{p("rsa")}\\n-----END RSA PRIVATE KEY-----"
extraEnv:
  - name: AWS_ACCESS_KEY_ID
    value: {aws_key_id(s)}
  - name: MLFLOW_OSS_KEY_ID
    value: {alibaba_key_id(s)}
  - name: AWS_SECRET_ACCESS_KEY
    value: {p("envaws")}  # mlflow-lint: disable=MLF303 -- test of the suppressed path
  - name: MLFLOW_AUTH_ADMIN_PASSWORD
    value: {p("envadmin")}
  - name: MLFLOW_FLASK_SERVER_SECRET_KEY
    value: {number(s)}
  - name: MLFLOW_TRACKING_PASSWORD
    value: {p("envtrack")}
  - name: MLFLOW_TRACKING_PASSWORD
    value: {p("envtrack2")}
  - name: MLFLOW_BACKEND_STORE_URI
    value: postgresql+x+y://u:{p("envdb")}@db/x
  - name: AZURE_STORAGE_CONNECTION_STRING
    value: "AccountName=a;AccountKey={p("envaz")}"
  - name: MLFLOW_S3_ENDPOINT_URL
    value: https://u:{p("envs3")}@minio:9000
  - name: MLFLOW_S3_IGNORE_TLS
    value: true
    valu: {p("envtypo")}
"""


def assert_no_leak(text: str, secrets: list[str]) -> None:
    for secret in secrets:
        for start in range(len(secret) - PIECE + 1):
            piece = secret[start : start + PIECE]
            assert piece not in text, f"a piece of a planted secret leaked: ...{text[text.find(piece) - 60 :][:140]}"


@pytest.fixture
def planted(tmp_path: Path) -> tuple[Path, list[str]]:
    secrets: list[str] = []
    path = tmp_path / "values.yaml"
    path.write_text(values_text(secrets), encoding="utf-8")
    return path, secrets


@pytest.mark.parametrize("fmt", sorted(FORMATTERS))
def test_no_format_prints_a_planted_secret(fmt: str, planted: tuple[Path, list[str]], run_cli, tmp_path) -> None:
    path, secrets = planted
    code, out, err = run_cli("--isolated", "--format", fmt, "--fail-on", "info", str(path))
    assert code == 1, err
    assert out.strip()
    assert_no_leak(out + err, secrets)
    target = tmp_path / f"report.{fmt}"
    run_cli("--isolated", "--format", fmt, "-o", str(target), str(path))
    assert_no_leak(target.read_text(encoding="utf-8"), secrets)


def test_full_layout_shows_the_lines_with_every_secret_masked(planted: tuple[Path, list[str]], run_cli) -> None:
    """The source lines of `--output-format full` are the riskiest output: they quote the file."""
    path, secrets = planted
    _, out, _ = run_cli("--isolated", "--output-format", "full", "--fail-on", "info", str(path))
    shown = [line for line in out.splitlines() if re.match(r"^\s*\d+ \| ", line)]
    assert len(shown) >= 20 and sum(MASK in line for line in shown) >= 15
    assert any("adminPasword: ****" in line for line in shown)  # a misspelt key the engine cannot know is secret
    assert_no_leak(out, secrets)


def test_the_planted_file_makes_many_rules_speak(planted: tuple[Path, list[str]], lint_text) -> None:
    """The test means something only if rules and the schema talk about the planted keys."""
    path, _ = planted
    report = lint_text(path.read_text(encoding="utf-8"))
    codes = {f["code"] for f in report["findings"]}
    assert {
        "MLF002",
        "MLF005",
        "MLF006",
        "MLF301",
        "MLF302",
        "MLF303",
        "MLF304",
        "MLF305",
        "MLF306",
        "MLF307",
        "MLF308",
        "MLF309",
        "MLF311",
    } <= codes
    assert any(f["suppressed"] for f in report["findings"])


@pytest.mark.parametrize("fmt", sorted(FORMATTERS))
def test_broken_yaml_next_to_a_secret(fmt: str, tmp_path: Path, run_cli) -> None:
    secrets: list[str] = []
    path = tmp_path / "broken.yaml"
    path.write_text(
        f'backendStore:\n  createSecret:\n    backendStoreUri: "postgresql://u:{plant(secrets, "x")}@db\n'
        f"extraEnv: [{{name: A_PASSWORD, value: {plant(secrets, 'y')}}}\n",
        encoding="utf-8",
    )
    code, out, err = run_cli("--isolated", "--format", fmt, str(path))
    assert code == 1
    assert_no_leak(out + err, secrets)


@pytest.mark.parametrize("fmt", sorted(FORMATTERS))
def test_secret_used_as_a_key(fmt: str, tmp_path: Path, run_cli) -> None:
    """A secret pasted one line too high becomes a key: the unknown-key message must not show it."""
    secrets: list[str] = []
    path = tmp_path / "values.yaml"
    text = f"artifactStore:\n  s3:\n    createSecret:\n      secretAccessKey:\n      {plant(secrets, 'k')}: x\n"
    path.write_text(text, encoding="utf-8")
    _, out, err = run_cli("--isolated", "--format", fmt, str(path))
    assert_no_leak(out + err, secrets)


def test_without_the_redactor_the_check_fails(planted: tuple[Path, list[str]], run_cli, monkeypatch) -> None:
    """The guard has teeth: with redaction switched off, rules' messages do expose planted secrets."""
    from mlflow_lint import redact

    monkeypatch.setattr(redact.Redactor, "finding", lambda self, finding: finding)
    monkeypatch.setattr(redact.Redactor, "text", lambda self, text: text)
    path, secrets = planted
    _, out, err = run_cli("--isolated", "--format", "json", str(path))
    with pytest.raises(AssertionError):
        assert_no_leak(out + err, secrets)
