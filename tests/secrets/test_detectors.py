"""Payload -> should-flag tables for every detector and filter (detect-secrets style)."""

from __future__ import annotations

import base64
import hashlib
import json

import pytest

from mlflow_lint.secrets import detectors, filters
from mlflow_lint.secrets.collect import credential_parts

AZURE_KEY = base64.b64encode(hashlib.sha512(b"mlflow-lint-azure").digest()).decode()
PEM_BODY = "MIIEvQIBADANBgkqhkiG9w0BAQEFAASCBKcwggSjAgEAAoIBAQC7VJTUt9Us8cKj\nMzEfYyjiWA4R4/M2bS1GB4t7NXp98C3SC6dV"
PEM = f"-----BEGIN PRIVATE KEY-----\n{PEM_BODY}\n-----END PRIVATE KEY-----\n"
SERVICE_ACCOUNT = json.dumps(
    {
        "type": "service_account",
        "project_id": "p",
        "private_key_id": "8c1f0e2d3b4a5968",
        "private_key": PEM,
        "client_email": "a@p.iam.gserviceaccount.com",
    }
)


def kinds(text: str) -> set[str]:
    return {d.kind for d in detectors.scan(text)}


@pytest.mark.parametrize(
    ("payload", "kind", "should_flag"),
    [
        ("AKIAZ3MSJV4WWNQ5AB7C", "aws-access-key-id", True),
        ("ASIAY34FZKBOKMUTVV7A", "aws-access-key-id", True),
        ("A3T7Z3MSJV4WWNQ5AB7C", "aws-access-key-id", True),
        ("--env=AKIAZ3MSJV4WWNQ5AB7C,x", "aws-access-key-id", True),
        ("AKIAIOSFODNN7EXAMPLE", "aws-access-key-id", False),  # AWS documentation key: a placeholder
        ("AKIAZ3MSJV4WWNQ5AB7", "aws-access-key-id", False),  # too short
        ("XAKIAZ3MSJV4WWNQ5AB7C", "aws-access-key-id", False),  # inside a longer token
        ("aws_secret_access_key=Hk3lq8Zr0vYw2Xb9Tn5Mf7Gd1Jc4Ps6Ua8Ei0Ro2", "aws-secret-access-key", True),
        ('{"AWS_SECRET_ACCESS_KEY": "Hk3lq8Zr0vYw2Xb9Tn5Mf7Gd1Jc4Ps6Ua8Ei0Ro2"}', "aws-secret-access-key", True),
        ("Hk3lq8Zr0vYw2Xb9Tn5Mf7Gd1Jc4Ps6Ua8Ei0Ro2", "aws-secret-access-key", False),  # needs a name
        (
            f"DefaultEndpointsProtocol=https;AccountName=a;AccountKey={AZURE_KEY};EndpointSuffix=core.windows.net",
            "azure-storage-key",
            True,
        ),
        (AZURE_KEY, "azure-storage-key", True),
        ("AccountKey=<YOUR_ACCOUNT_KEY>", "azure-storage-key", False),
        ("A" * 86 + "==", "azure-storage-key", False),  # no entropy
        (
            "https://a.blob.core.windows.net/c?sv=2022-11-02&sig=Zm9vYmFyYmF6cXV4Zm9vYmFyYmF6%3D",
            "azure-sas-signature",
            True,
        ),
        (PEM, "private-key", True),
        (
            "-----BEGIN OPENSSH PRIVATE KEY-----\nb3BlbnNzaC1rZXktdjEAAAAABG5vbmUAAAAEbm9uZQ\n"
            "-----END OPENSSH PRIVATE KEY-----",
            "private-key",
            True,
        ),
        (
            "-----BEGIN CERTIFICATE-----\nMIIDdzCCAl+gAwIBAgIEAgAAuTANBgkqhkiG9w0BAQUF\n-----END CERTIFICATE-----",
            "private-key",
            False,
        ),
        ("-----BEGIN PRIVATE KEY-----\n<YOUR_KEY>\n-----END PRIVATE KEY-----", "private-key", False),
        (SERVICE_ACCOUNT, "gcp-service-account-key", True),
        (
            '{"type": "service_account", "private_key": "' + PEM.replace("\n", "\\n") + '"',
            "gcp-service-account-key",
            True,
        ),  # truncated JSON still recognised
        ('{"type": "authorized_user", "client_id": "x"}', "gcp-service-account-key", False),
        ("LTAI5tQ8hJ2kL9mN3pR7sV1x", "alibaba-access-key-id", True),
        ("LTAI5tQ8", "alibaba-access-key-id", False),
        ("postgresql://mlflow:Zx81PqRt55Lw@db:5432/mlflow", "uri-password", True),
        ("ftp://user:p%40ss-word@ftp.corp/artifacts", "uri-password", True),
        ("--backend-store-uri=mysql+pymysql://u:Kd82hQ0zLx@mysql/mlflow", "uri-password", True),
        ("postgresql://db/mlflow?user=u&password=Kp2mX8vQ4z", "uri-password", True),
        ("postgresql://mlflow@db/mlflow", "uri-password", False),
        ("postgresql://mlflow:$(DB_PASSWORD)@db/mlflow", "uri-password", False),
        ("postgresql://mlflow:${DB_PASSWORD}@db/mlflow", "uri-password", False),
        ("<dialect>+<driver>://<username>:<password>@<host>:<port>/<database>", "uri-password", False),
        ("postgresql://mlflow:****@db/mlflow", "uri-password", False),
        ("https://minio.storage.svc:9000", "uri-password", False),
        ("sqlite:///basic_auth.db", "uri-password", False),
    ],
)
def test_detector(payload: str, kind: str, should_flag: bool) -> None:
    assert (kind in kinds(payload)) is should_flag


def test_service_account_reports_the_key_once_and_redacts_every_form() -> None:
    found = detectors.scan(SERVICE_ACCOUNT)
    assert [d.kind for d in found] == ["gcp-service-account-key"]
    parts = detectors.secret_parts(SERVICE_ACCOUNT)
    assert PEM_BODY in parts and "8c1f0e2d3b4a5968" in parts
    assert all(line in parts for line in PEM_BODY.splitlines())


@pytest.mark.parametrize(
    ("name", "value", "kind"),
    [
        ("AWS_SECRET_ACCESS_KEY", "Hk3lq8Zr0vYw2Xb9Tn5Mf7Gd1Jc4Ps6Ua8Ei0Ro2", "aws-secret-access-key"),
        ("secretAccessKey", "Hk3lq8Zr0vYw2Xb9Tn5Mf7Gd1Jc4Ps6Ua8Ei0Ro2", "aws-secret-access-key"),
        ("MLFLOW_OSS_KEY_SECRET", "uV3wX9yZ1aB5cD7eF2gH4iJ6kL8mN0", "alibaba-access-key-secret"),
        ("AWS_SECRET_ACCESS_KEY", "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY", None),
        ("AWS_REGION", "Hk3lq8Zr0vYw2Xb9Tn5Mf7Gd1Jc4Ps6Ua8Ei0Ro2", None),
    ],
)
def test_by_name(name: str, value: str, kind: str | None) -> None:
    found = detectors.by_name(name, value)
    assert (found.kind if found else None) == kind


@pytest.mark.parametrize(
    ("name", "holds", "names"),
    [
        ("AWS_SECRET_ACCESS_KEY", True, False),
        ("MLFLOW_FLASK_SERVER_SECRET_KEY", True, False),
        ("MLFLOW_AUTH_ADMIN_PASSWORD", True, False),
        ("AZURE_STORAGE_CONNECTION_STRING", True, False),
        ("apiToken", True, False),
        ("secretAccessKey", True, False),
        ("adminPassword", True, False),
        # keys that only NAME a secret (false positives of detect-secrets and checkov)
        ("passwordKey", False, True),
        ("keyOfSecretAccessKey", False, True),
        ("secretName", False, True),
        ("existingSecret", False, True),
        ("existingCaSecret", False, True),
        ("clientSecretKey", False, True),
        ("cookieSecretKey", False, True),
        ("AWS_WEB_IDENTITY_TOKEN_FILE", False, True),
        ("DB_PASSWORD_SECRET_NAME", False, True),
        ("secretKeyRef", False, True),
        ("MLFLOW_TRACKING_USERNAME", False, False),
        ("MLFLOW_S3_ENDPOINT_URL", False, False),
        ("replicaCount", False, False),
    ],
)
def test_names(name: str, holds: bool, names: bool) -> None:
    assert filters.holds_a_secret(name) is holds
    assert filters.names_a_secret(name) is names


@pytest.mark.parametrize(
    ("value", "placeholders"),
    [
        ("<YOUR_AWS_ACCESS_KEY_ID>", ["<YOUR_AWS_ACCESS_KEY_ID>"]),
        ("s3://<bucket>/<path>", ["<bucket>", "<path>"]),
        ("arn:aws:iam::account-id:role/<YOUR_IAM_ROLE_ARN>", ["account-id", "<YOUR_IAM_ROLE_ARN>"]),
        ("arn:aws:iam::123456789012:role/x", ["123456789012"]),
        ("YOUR_REGION", ["YOUR_REGION"]),
        ("https://your-minio:9000", ["your-minio"]),
        ("changeme", ["changeme"]),
        ("CHANGE_ME", ["CHANGE_ME"]),
        ("change-me", ["change-me"]),
        ("REPLACE_ME", ["REPLACE_ME"]),
        ("TODO", ["TODO"]),
        ("xxx", ["xxx"]),
        ("mlflow.example.com", ["mlflow.example.com"]),
        ("https://minio.example.org:9000", ["minio.example.org"]),
        ("mlflow.corp.example", ["mlflow.corp.example"]),
        ("chart-example.local", ["chart-example.local"]),
        ("AKIAIOSFODNN7EXAMPLE", ["AKIAIOSFODNN7EXAMPLE"]),
        # real values
        ("mlflow.example.internal", []),
        ("arn:aws:iam::210987654321:role/mlflow", []),
        ("arn:aws:s3:::bucket", []),
        ("TODO_LIST_URL", []),
        ("<path:secret/data/mlflow#pw>", []),
        ("s3://prod-bucket/mlflow", []),
        ("yourself", []),
        ("boxxxes", []),
    ],
)
def test_placeholders(value: str, placeholders: list[str]) -> None:
    assert filters.placeholders_in(value) == tuple(placeholders)


@pytest.mark.parametrize(
    ("value", "whole"),
    [
        ("<YOUR_AWS_ACCESS_KEY_ID>", True),
        ("<dialect>+<driver>://<username>:<password>@<host>:<port>/<database>", True),
        ("changeme", True),
        ("s3://<bucket>/<path>", False),
        ("hunter2", False),
    ],
)
def test_whole_placeholder(value: str, whole: bool) -> None:
    assert filters.is_placeholder(value) is whole


@pytest.mark.parametrize(
    ("value", "ignorable"),
    [
        ("$(DB_PASSWORD)", True),
        ("${DB_PASSWORD}", True),
        ("{{ .Values.pw }}", True),
        ("<path:secret/data/x#pw>", True),
        ("ENC[AES256_GCM,data:abc]", True),
        ("ref+vault://secret/x#pw", True),
        ("/var/run/secrets/token", True),
        ("./keyfile.json", True),
        ("true", True),
        ("60", True),
        ("****", True),
        ("", True),
        ("hunter2", False),
        ("Zx81PqRt55Lw", False),
        ("$(A)$(B)", False),
    ],
)
def test_ignorable(value: str, ignorable: bool) -> None:
    assert filters.ignorable(value) is ignorable


@pytest.mark.parametrize(
    ("value", "high"),
    [
        ("9f8e7d6c5b4a39281706f5e4d3c2b1a0ff1e2d3c", True),
        ("Zk8Jq2Lm5Np7Rt9Vw1Xy3Ab6Cd0Ef4Gh", True),
        ("database/creds/mlflow-role-readonly", False),
        ("aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa", False),
        ("short1A", False),
    ],
)
def test_entropy(value: str, high: bool) -> None:
    assert filters.is_high_entropy(value) is high


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("postgresql://mlflow:Zx81PqRt55Lw@db:5432/mlflow", {"Zx81PqRt55Lw"}),
        ("postgresql://mlflow@db/mlflow", set()),
        ("<YOUR_AWS_ACCESS_KEY_ID>", set()),
        ("$(AWS_SECRET_ACCESS_KEY)", set()),
        (12345678901234, {"12345678901234"}),
        (True, set()),
        (["S3cr3tInAList"], {"S3cr3tInAList"}),
        ("plain-Secret-Value", {"plain-Secret-Value"}),
    ],
)
def test_credential_parts(value: object, expected: set[str]) -> None:
    assert credential_parts(value) == expected
