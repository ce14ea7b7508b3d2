"""The auditor on whole values files: quiet on the chart's defaults and on references; digests."""

from __future__ import annotations

import hashlib

import pytest

from mlflow_lint.config import Settings
from mlflow_lint.engine import lint_values

REFERENCES_ONLY = """\
trackingServer:
  basicAuth:
    enabled: true
    existingSecret: mlflow-basic-auth-secret
backendStore:
  existingSecret: mlflow-database-backend-store-secret
artifactStore:
  s3:
    enabled: true
    existingSecret: mlflow-s3-artifact-store-secret
    existingCaSecret: mlflow-ca-bundle
  azure:
    existingSecret: mlflow-azure-artifact-store-secret
  gcp:
    existingSecret: mlflow-gcp-artifact-store-secret
  oss:
    existingSecret: mlflow-oss-artifact-store-secret
podAnnotations:
  corp/secretName: mlflow-db-credentials-production
  corp/passwordKey: POSTGRES_PASSWORD
  corp/keyOfSecretAccessKey: AWS_SECRET_ACCESS_KEY
  corp/clientSecretKey: client-secret
  corp/cookieSecretKey: cookie-secret
extraEnv:
  - name: AWS_SECRET_ACCESS_KEY
    valueFrom: {secretKeyRef: {name: mlflow-s3, key: AWS_SECRET_ACCESS_KEY}}
  - name: MLFLOW_TRACKING_PASSWORD
    value: $(PASSWORD_FROM_ENV_FROM)
extraEnvFrom:
  - secretRef: {name: mlflow-extra-secrets}
extraVolumes:
  - name: keys
    secret: {secretName: mlflow-gcp-key}
"""


def secret_findings(text: str, *args: str) -> list:
    settings = Settings()
    if args:
        from mlflow_lint.config import apply

        settings = apply(settings, {"chart": args[0]}, "test")
    return [f for f in lint_values([("values.yaml", text)], settings) if f.code.startswith("MLF3")]


@pytest.mark.parametrize("chart", ["seed-v1", "seed-v2"])
def test_chart_defaults_give_no_secret_finding(chart: str) -> None:
    assert secret_findings("{}\n", chart) == []


@pytest.mark.parametrize("chart", ["seed-v1", "seed-v2"])
def test_references_give_no_secret_finding(chart: str) -> None:
    assert secret_findings(REFERENCES_ONLY, chart) == []


def test_every_secret_finding_carries_the_digest_never_the_value() -> None:
    password, key = "Zx81PqRt55Lw", "Hk3lq8Zr0vYw2Xb9Tn5Mf7Gd1Jc4Ps6Ua8Ei0Ro2"
    text = f"""\
backendStore:
  createSecret:
    backendStoreUri: postgresql://mlflow:{password}@db/mlflow
extraEnv:
  - name: AWS_SECRET_ACCESS_KEY
    value: {key}
"""
    found = {f.code: f for f in secret_findings(text)}
    assert found["MLF301"].secret_digest == hashlib.sha256(password.encode()).hexdigest()
    assert found["MLF304"].secret_digest == hashlib.sha256(key.encode()).hexdigest()
    for finding in found.values():
        assert password not in finding.message + finding.hint and key not in finding.message + finding.hint


def test_one_finding_per_secret() -> None:
    """A chart credential key is MLF301 only; a shaped secret is its provider rule only."""
    text = """\
artifactStore:
  s3:
    createSecret:
      accessKeyId: AKIAZ3MSJV4WWNQ5AB7C
extraEnv:
  - name: AWS_ACCESS_KEY_ID
    value: AKIAZ3MSJV4WWNQ5AB7D
"""
    codes = sorted((f.path, f.code) for f in secret_findings(text))
    assert codes == [("artifactStore.s3.createSecret.accessKeyId", "MLF301"), ("extraEnv[0].value", "MLF304")]
