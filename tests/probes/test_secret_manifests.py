"""Probes whose credentials come from Secret manifests given with --secrets (existingSecret).

Each probe is `ok` with the Secret's right credentials and `fail` with wrong ones; the JSON
`credentials` field names the Secret and key, never the value; a Secret that is referenced
but not given makes the probe `skipped` with "pass it with --secrets".
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from .conftest import env, only, v2

pytestmark = pytest.mark.services


def secret(name: str, **string_data: str) -> dict[str, Any]:
    return {
        "apiVersion": "v1",
        "kind": "Secret",
        "metadata": {"name": name},
        "type": "Opaque",
        "stringData": string_data,
    }


@pytest.fixture
def with_secrets(probe_run, tmp_path: Path):
    """with_secrets(values, [manifest, ...], *flags): --probe with the manifests in one file."""

    def run(values: dict[str, Any], manifests: list[dict[str, Any]], *flags: str) -> tuple[int, dict[str, Any]]:
        path = tmp_path / "secrets.yaml"
        path.write_text("\n---\n".join(json.dumps(m) for m in manifests), encoding="utf-8")
        code, report, _ = probe_run(values, "--secrets", str(path), *flags)
        return code, report

    return run


def no_leak(report: dict[str, Any], *values: str) -> None:
    text = json.dumps(report)
    for value in values:
        assert value not in text and value[:8] not in text, value[:3]


def backend(name: str = "mlflow-db") -> dict[str, Any]:
    return v2(backendStore={"existingSecret": name})


def test_backend_store_uri_from_existing_secret(with_secrets, postgres_server):
    good = secret("mlflow-db", MLFLOW_BACKEND_STORE_URI=postgres_server.url())
    code, report = with_secrets(backend(), [good], "--probe", "db", "--select", "MLF9")
    result = only(report, "database")
    assert (code, result["status"]) == (0, "ok"), result
    assert result["path"] == "backendStore.existingSecret"
    assert "Secret `mlflow-db`" in result["credentials"] and "MLFLOW_BACKEND_STORE_URI" in result["credentials"]
    no_leak(report, postgres_server.password)

    wrong = secret("mlflow-db", MLFLOW_BACKEND_STORE_URI=postgres_server.url(password="wrong-password-42"))
    code, report = with_secrets(backend(), [wrong], "--probe", "db", "--select", "MLF9")
    result = only(report, "database")
    assert (code, result["status"]) == (1, "fail") and "wrong credentials" in result["reason"], result
    assert [f["code"] for f in report["findings"]] == ["MLF901"]
    no_leak(report, "wrong-password-42")


def s3_values(svc) -> dict[str, Any]:
    return v2(
        trackingServer={"defaultArtifactRoot": f"s3://{svc.bucket}/exp"},
        artifactStore={"s3": {"enabled": True, "existingSecret": "mlflow-s3"}},
        extraEnv=env(MLFLOW_S3_ENDPOINT_URL=svc.endpoint_url, AWS_DEFAULT_REGION=svc.region),
    )


def test_s3_keys_from_existing_secret(with_secrets, s3_server):
    good = secret("mlflow-s3", AWS_ACCESS_KEY_ID=s3_server.access_key, AWS_SECRET_ACCESS_KEY=s3_server.secret_key)
    code, report = with_secrets(s3_values(s3_server), [good], "--probe", "artifacts", "--select", "MLF9")
    result = only(report, "s3")
    assert (code, result["status"]) == (0, "ok"), result
    assert "AWS_SECRET_ACCESS_KEY from Secret `mlflow-s3`" in result["credentials"], result["credentials"]
    no_leak(report, s3_server.secret_key)

    wrong = secret(
        "mlflow-s3", AWS_ACCESS_KEY_ID=s3_server.access_key, AWS_SECRET_ACCESS_KEY="wrong-secret-key-0123456789"
    )
    code, report = with_secrets(s3_values(s3_server), [wrong], "--probe", "artifacts", "--select", "MLF9")
    result = only(report, "s3")
    assert (code, result["status"]) == (1, "fail") and "SignatureDoesNotMatch" in result["reason"], result
    no_leak(report, "wrong-secret-key-0123456789")


def auth_ini(uri: str) -> str:
    return (
        "[mlflow]\ndefault_permission = READ\ndatabase_uri = " + uri + "\nadmin_username = admin\n"
        "admin_password = a-long-admin-password-1\nauthorization_function = \n"
    )


def auth_values() -> dict[str, Any]:
    return v2(trackingServer={"basicAuth": {"enabled": True, "existingSecret": "mlflow-auth"}})


def test_auth_database_from_basic_auth_ini_in_a_secret(with_secrets, postgres_server):
    good = secret("mlflow-auth", **{"basic_auth.ini": auth_ini(postgres_server.url())})
    code, report = with_secrets(auth_values(), [good], "--probe", "auth", "--select", "MLF9")
    result = only(report, "auth_db")
    assert result["status"] == "ok", result
    assert result["path"] == "trackingServer.basicAuth.existingSecret"
    assert result["credentials"] == "inside the URI (Secret `mlflow-auth` key `basic_auth.ini`)"
    no_leak(report, postgres_server.password)

    wrong = secret("mlflow-auth", **{"basic_auth.ini": auth_ini(postgres_server.url(password="not-the-password"))})
    code, report = with_secrets(auth_values(), [wrong], "--probe", "auth", "--select", "MLF9")
    result = only(report, "auth_db")
    assert (code, result["status"]) == (1, "fail") and "wrong credentials" in result["reason"], result
    no_leak(report, "not-the-password")


@pytest.mark.parametrize(
    ("values", "probe", "group", "name"),
    [
        (backend("other-db"), "database", "db", "other-db"),
        (auth_values(), "auth_db", "auth", "mlflow-auth"),
    ],
)
def test_secret_not_given_is_skipped(with_secrets, values, probe, group, name):
    unrelated = secret("unrelated", KEY="value-of-no-interest")
    code, report = with_secrets(values, [unrelated], "--probe", group, "--select", "MLF9")
    result = only(report, probe)
    assert result["status"] == "skipped" and "with --secrets" in result["reason"], result
    assert f"Secret `{name}`" in result["reason"]
    assert code == 0 and report["findings"] == []  # nothing was attempted, nothing is wrong


def test_s3_secret_not_given_is_skipped(probe_run, s3_server):
    code, report, _ = probe_run(s3_values(s3_server), "--probe", "artifacts", "--select", "MLF9")
    result = only(report, "s3")
    assert (code, result["status"]) == (0, "skipped") and "pass it with --secrets" in result["reason"], result
    assert "Secret `mlflow-s3`" in result["reason"]
