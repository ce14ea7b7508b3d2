"""Probes on the published charts' values, against a real PostgreSQL on loopback.

The adapters hand the probes what `mlflow server` gets: community-charts passes a bare
`postgresql://` that libpq completes from the pod's PG* variables (from the chart's env
ConfigMap and Secret), bitnami splices `$(MLFLOW_DATABASE_PASSWORD)` into the URI (from a
Secret the chart generates from `externalDatabase.password`), the official chart passes the
URI in MLFLOW_BACKEND_STORE_URI.
"""

from __future__ import annotations

import json
from urllib.parse import urlsplit

import pytest
from tests.probes.conftest import only

pytestmark = pytest.mark.services
DRIVER = "psycopg"  # the test venv has psycopg 3 (the project's `db` extra), not psycopg2


def parts(server) -> dict:
    url = urlsplit(server.url())
    return {
        "host": url.hostname,
        "port": url.port,
        "database": url.path.lstrip("/"),
        "user": url.username,
        "password": server.password,
    }


def community(server) -> dict:
    p = parts(server)
    return {
        "backendStore": {
            "postgres": {
                "enabled": True,
                "host": p["host"],
                "port": p["port"],
                "database": p["database"],
                "user": p["user"],
                "password": p["password"],
                "driver": DRIVER,
            }
        },
        "artifactRoot": {"proxiedArtifactStorage": True, "defaultArtifactsDestination": "/tmp/artifacts"},
    }


def bitnami(server) -> dict:
    p = parts(server)
    return {
        "postgresql": {"enabled": False},
        "minio": {"enabled": False},
        "tracking": {"auth": {"enabled": False}, "service": {"type": "ClusterIP"}},
        "externalDatabase": {
            "dialectDriver": f"postgresql+{DRIVER}",
            "host": p["host"],
            "port": p["port"],
            "database": p["database"],
            "user": p["user"],
            "password": p["password"],
        },
    }


def official(server) -> dict:
    return {"mlflow": {"backendStoreUri": server.url(driver=DRIVER), "artifactsDestination": "/tmp/artifacts"}}


@pytest.mark.parametrize("values", [community, bitnami, official], ids=lambda f: f.__name__)
def test_database_probe_reaches_the_chart_backend(values, probe_run, postgres_server) -> None:
    _, report, _ = probe_run(values(postgres_server), "--probe", "db", "--select", "MLF9")
    result = only(report, "database")
    assert result["status"] == "ok", result
    assert postgres_server.password not in str(report)  # the password never appears


def test_wrong_password_fails_through_the_chart(probe_run, postgres_server) -> None:
    values = community(postgres_server)
    values["backendStore"]["postgres"]["password"] = "not-the-password"
    _, report, _ = probe_run(values, "--probe", "db", "--select", "MLF9")
    assert only(report, "database")["status"] == "fail"


def test_bitnami_password_from_a_given_secret_reaches_the_probe(probe_run, postgres_server, tmp_path) -> None:
    """`$(MLFLOW_DATABASE_PASSWORD)` in bitnami's URI reads externalDatabase.existingSecret: with the
    Secret given (--secrets) the probe connects with its password; without it, it does not guess."""
    values = bitnami(postgres_server)
    del values["externalDatabase"]["password"]
    values["externalDatabase"].update(existingSecret="mlflow-db", existingSecretPasswordKey="db-password")
    secrets = tmp_path / "secrets.yaml"
    secrets.write_text(
        json.dumps(
            {
                "apiVersion": "v1",
                "kind": "Secret",
                "metadata": {"name": "mlflow-db"},
                "stringData": {"db-password": postgres_server.password},
            }
        ),
        encoding="utf-8",
    )
    _, report, _ = probe_run(values, "--probe", "db", "--select", "MLF9", "--secrets", str(secrets))
    assert only(report, "database")["status"] == "ok"
    assert postgres_server.password not in str(report)
    _, report, _ = probe_run(values, "--probe", "db", "--select", "MLF9")
    result = only(report, "database")
    assert result["status"] == "skipped" and "$(VAR)" in result["reason"]
