"""The env var catalogue: lookups, secrets, suggestions and version spans."""

from __future__ import annotations

import pytest

from mlflow_lint import env_catalog as cat


def test_entries_are_well_formed() -> None:
    for name, var in cat.CATALOG.items():
        assert name == var.name
        assert var.kind in cat.KINDS, name
        assert bool(var.choices) == (var.kind == "enum"), name
        assert not (var.option and not var.option.startswith("--")), name


@pytest.mark.parametrize(
    "name",
    [
        "AWS_SECRET_ACCESS_KEY",
        "AWS_SESSION_TOKEN",
        "AZURE_STORAGE_CONNECTION_STRING",
        "AZURE_STORAGE_ACCESS_KEY",
        "AZURE_CLIENT_SECRET",
        "MLFLOW_OSS_KEY_ID",
        "MLFLOW_OSS_KEY_SECRET",
        "MLFLOW_FLASK_SERVER_SECRET_KEY",
        "MLFLOW_AUTH_ADMIN_PASSWORD",
        "MLFLOW_TRACKING_PASSWORD",
        "MLFLOW_TRACKING_TOKEN",
        "MLFLOW_BACKEND_STORE_URI",
        "MY_DB_PASSWORD",
        "SLACK_API_KEY",
        "github_token",
    ],
)
def test_secret_names(name: str) -> None:
    assert cat.is_secret(name)


@pytest.mark.parametrize(
    "name",
    [
        "MLFLOW_S3_ENDPOINT_URL",
        "GOOGLE_APPLICATION_CREDENTIALS",
        "AWS_WEB_IDENTITY_TOKEN_FILE",
        "AZURE_FEDERATED_TOKEN_FILE",
        "AWS_DEFAULT_REGION",
        "MY_PASSWORD_FILE",
        "TZ",
        "MLFLOW_S3_IGNORE_TLS",
    ],
)
def test_non_secret_names(name: str) -> None:
    assert not cat.is_secret(name)


@pytest.mark.parametrize(
    ("typo", "meant"),
    [
        ("MLFLOW_S3_ENDPOINT", "MLFLOW_S3_ENDPOINT_URL"),
        ("MLFLOW_OSS_ENDPOINT", "MLFLOW_OSS_ENDPOINT_URL"),
        ("BACKEND_STORE_URI", "MLFLOW_BACKEND_STORE_URI"),
        ("BACKEND_STORE_URL", "MLFLOW_BACKEND_STORE_URI"),
        ("AWS_REGION_NAME", "AWS_DEFAULT_REGION"),
        ("DEFAULT_ARTIFACT_ROOT", "MLFLOW_DEFAULT_ARTIFACT_ROOT"),
        ("mlflow_s3_ignore_tls", "MLFLOW_S3_IGNORE_TLS"),
        ("MLFLOW_S3_IGNORE_TSL", "MLFLOW_S3_IGNORE_TLS"),
        ("MLFLOW_GCS_UPLOAD_CHUNKSIZE", "MLFLOW_GCS_UPLOAD_CHUNK_SIZE"),
        ("AZURE_STORAGE_CONNECTION_STRNG", "AZURE_STORAGE_CONNECTION_STRING"),
        ("MLFLOW_AUTH_CONFIG", "MLFLOW_AUTH_CONFIG_PATH"),
    ],
)
def test_suggestions(typo: str, meant: str) -> None:
    assert cat.suggest(typo) == meant


@pytest.mark.parametrize(
    "name",
    [
        "MLFLOW_S3_ENDPOINT_URL",
        "TZ",
        "HTTP_PROXY",
        "PYTHONUNBUFFERED",
        "keyfile.json",
        "_MLFLOW_SERVER_FILE_STORE",
        "MY_APP_SETTING",
        "AWS_REGION",
    ],
)
def test_no_suggestion(name: str) -> None:
    assert cat.suggest(name) is None


def test_version_gap() -> None:
    style = cat.lookup("MLFLOW_BOTO_CLIENT_ADDRESSING_STYLE")
    assert style is not None
    assert "2.14.1" in cat.version_gap(style, (2, 10, 0))
    assert cat.version_gap(style, (2, 12, 0)) == ""  # between the compared wheels: unknown
    assert cat.version_gap(style, (2, 14, 1)) == ""
    timeout = cat.lookup("MLFLOW_GCS_DEFAULT_TIMEOUT")
    assert timeout is not None
    assert "3.3.0" in cat.version_gap(timeout, (3, 8, 0))
    assert cat.version_gap(timeout, (2, 22, 0)) == ""


def test_internal_names() -> None:
    assert cat.is_internal("_MLFLOW_SERVER_ARTIFACT_ROOT")
    assert cat.is_internal("prometheus_multiproc_dir")
    assert not cat.is_internal("MLFLOW_HOST")
