"""basic_auth.ini probes: the auth database (PostgreSQL) and authorization_function."""

from __future__ import annotations

import importlib.util

import pytest

from .conftest import only, v2

pytestmark = pytest.mark.services


def auth(uri: str, function: str = "mlflow.server.auth:authenticate_request_basic_auth") -> dict:
    return v2(
        trackingServer={
            "basicAuth": {
                "enabled": True,
                "createSecret": {
                    "databaseUri": uri,
                    "adminPassword": "a-long-admin-password",
                    "authorizationFunction": function,
                },
            }
        }
    )


def test_auth_database_ok_and_wrong_password(probe_run, postgres_server):
    _, report, _ = probe_run(auth(postgres_server.url()), "--probe", "auth")
    result = only(report, "auth_db")
    assert result["status"] == "ok" and result["path"] == "trackingServer.basicAuth.createSecret.databaseUri"
    assert "MLFLOW_AUTH_CONFIG_PATH" in result["reason"]  # the chart never points MLflow at the mounted file
    _, report, _ = probe_run(auth(postgres_server.url(password="wrong-password")), "--probe", "auth")
    assert only(report, "auth_db")["status"] == "fail"


def test_authorization_function_needs_mlflow(probe_run, postgres_server):
    _, report, _ = probe_run(auth(postgres_server.url()), "--probe", "auth")
    result = only(report, "auth_function")
    if importlib.util.find_spec("mlflow") is None:
        assert result["status"] == "skipped" and "pip install mlflow==2.14.1" in result["reason"]
    else:
        assert result["status"] == "ok"


def test_auth_not_enabled_is_skipped_only_when_asked(probe_run):
    _, report, _ = probe_run(v2(), "--probe", "auth")
    assert only(report, "auth_db")["status"] == "skipped"
    _, report, _ = probe_run(v2(), "--probe")
    assert all(p["name"] != "auth_db" for p in report.get("probes", []))
