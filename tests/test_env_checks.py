"""Value checks of env vars, and that secret values never reach a message."""

from __future__ import annotations

import pytest

from mlflow_lint import env_checks as checks
from mlflow_lint.env_catalog import lookup


def var(name: str):
    found = lookup(name)
    assert found is not None
    return found


@pytest.mark.parametrize(
    ("text", "ok"),
    [("true", True), ("FALSE", True), ("1", True), ("0", True), ("yes", False), (" true", False), ("", False)],
)
def test_mlflow_booleans(text: str, ok: bool) -> None:
    assert (checks.bool_problem(text) == "") is ok


@pytest.mark.parametrize(
    ("text", "ok"),
    [("60", True), ("-1", True), (" 60 ", True), ("60s", False), ("1e3", False), ("1.5", False), ("", False)],
)
def test_integers(text: str, ok: bool) -> None:
    assert (checks.int_problem(text, var("MLFLOW_ARTIFACT_UPLOAD_DOWNLOAD_TIMEOUT")) == "") is ok


def test_port_range() -> None:
    assert "maximum" in checks.int_problem("70000", var("MLFLOW_PORT"))


def test_gcs_multiple() -> None:
    assert checks.multiple_problem(104_857_600, 262_144) == ""
    assert checks.multiple_problem(0, 262_144) == ""
    assert "99876864 or 100139008" in checks.multiple_problem(100_000_000, 262_144)
    assert "use e.g. 262144" in checks.multiple_problem(1000, 262_144)


@pytest.mark.parametrize(
    ("text", "ok"),
    [
        ("http://minio:9000", True),
        ("https://s3.eu-west-1.amazonaws.com", True),
        ("minio:9000", False),
        ("s3://bucket", False),
        ("http://", False),
    ],
)
def test_endpoints(text: str, ok: bool) -> None:
    assert (checks.endpoint_problem(text) == "") is ok


def test_upload_args() -> None:
    assert checks.upload_args_problem('{"ServerSideEncryption": "aws:kms", "SSEKMSKeyId": "1"}\n') == ""
    assert "KMSKeyId" in checks.upload_args_problem('{"KMSKeyId": "1"}')
    assert "not valid JSON" in checks.upload_args_problem("ACL=private")
    assert "not a JSON object" in checks.upload_args_problem("[1]")
    assert "deeply" in checks.upload_args_problem("[" * 100_000)


def test_kv_list_and_paths() -> None:
    assert checks.kv_list_problem("a=b,c=d") == ""
    assert "pair 2" in checks.kv_list_problem("a=b,c")
    assert "PEM" in checks.path_content_problem("-----BEGIN CERTIFICATE-----\nabc")
    assert "JSON" in checks.path_content_problem('{"type": "service_account"}')
    assert checks.path_content_problem("/etc/ssl/ca.crt") == ""


def test_static_prefix() -> None:
    assert checks.static_prefix_problem("/mlflow", True) == ""
    assert checks.static_prefix_problem("mlflow", False)
    assert checks.static_prefix_problem("/mlflow/", False)
    assert checks.static_prefix_problem("/{x}", True)
    assert checks.static_prefix_problem("/{x}", False) == ""


def test_shown_hides_secrets_and_long_values() -> None:
    assert checks.shown("MLFLOW_S3_IGNORE_TLS", "yes") == " (`yes`)"
    assert checks.shown("AWS_SECRET_ACCESS_KEY", "short") == ""
    assert checks.shown("MY_SETTING", "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY") == ""
    assert checks.shown("MY_SETTING", "x" * 41) == ""
    assert checks.shown("MLFLOW_TRACKING_URI", "http://u:pw@h") == ""


def test_messages_never_quote_secret_env_values(lint_text) -> None:
    secret = "s3cr3t-Value-That-Must-Not-Leak"
    text = f"""extraEnv:
- name: AWS_SECRET_ACCESS_KEY
  value: "{secret}"
- name: AWS_SECRET_ACCESS_KEY
  value: "{secret}"
- name: MLFLOW_AUTH_ADMIN_PASSWORD
  value: "{secret}"
trackingServer:
  extraArgs: ["--backend-store-uri=postgresql://u:{secret}@db/mlflow", "{secret}"]
"""
    report = lint_text(text, "--select", "MLF6")
    assert report["findings"]
    for finding in report["findings"]:
        assert secret[:8] not in finding["message"] + finding["hint"]
