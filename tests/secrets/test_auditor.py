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


def test_a_value_a_later_layer_replaces_is_still_reported_in_its_own_file() -> None:
    """`-f base.yaml -f prod.yaml`: the password in base.yaml is still committed, whatever prod.yaml says."""
    base = "externalDatabase:\n  password: Vk8q2LmZr7Tx\n"
    prod = "externalDatabase:\n  password: $(DB_PASSWORD)\n"
    found = [
        (f.file, f.line, f.code)
        for f in lint_values([("base.yaml", base), ("prod.yaml", prod)], Settings())
        if f.code.startswith("MLF3")
    ]
    assert found == [("base.yaml", 2, "MLF301")]  # a credential key of the chart (bitnami's externalDatabase)


def test_map_form_env_is_an_env_var_and_other_keys_are_names() -> None:
    text = """\
extraEnvVars:
  SMTP_PASSWORD: Hq4Wm8Zr2Lp6
smtp:
  password: Hq4Wm8Zr2Lp7
"""
    assert sorted((f.path, f.code) for f in secret_findings(text)) == [
        ("extraEnvVars.SMTP_PASSWORD", "MLF303"),
        ("smtp.password", "MLF311"),
    ]


def test_manifests_are_audited_document_by_document(tmp_path) -> None:
    import base64
    import json

    from mlflow_lint.cli import main

    encoded = base64.b64encode(b"Vk8q2LmZr7Tx").decode()
    manifests = tmp_path / "m.yaml"
    manifests.write_text(f"""\
apiVersion: v1
kind: Secret
metadata: {{name: db}}
data:
  password: {encoded}
  username: {base64.b64encode(b"mlflow").decode()}
---
apiVersion: bitnami.com/v1alpha1
kind: SealedSecret
metadata: {{name: sealed}}
spec:
  encryptedData:
    password: AgBy3i4OJSWK+PiTySYZZA8q2LmZr7TxVk8q2LmZr7Tx==
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
            - name: MLFLOW_TRACKING_PASSWORD
              value: Zx81PqRt55Lw
""")
    values = tmp_path / "values.yaml"
    values.write_text("image: {tag: v2.14.1}\n")
    import contextlib
    import io

    out = io.StringIO()
    with contextlib.redirect_stdout(out):
        main(["--isolated", "--format", "json", "--select", "MLF3", "--secrets", str(manifests), str(values)])
    found = sorted((f["line"], f["code"]) for f in json.loads(out.getvalue())["findings"])
    assert found == [(5, "MLF311"), (25, "MLF303")]
