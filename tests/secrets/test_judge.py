"""judge.py and the new detectors, one payload table each: what is a secret, what only names one."""

from __future__ import annotations

import base64

import pytest

from mlflow_lint.secrets import detectors, judge


@pytest.mark.parametrize(
    ("name", "value"),
    [
        ("password", "Vk8q2LmZr7Tx"),
        ("adminPassword", "admin"),  # weak is still a credential
        ("rootPassword", "minioadmin"),
        ("flaskServerSecretKey", "c0ffee4a7b2d9e15f3a8b6c1d0e2f471"),
        ("secretKey", "minio123"),
        ("clientSecret", "8Q~a0fZ_x.Yb2cD3eF4gH5iJ6kL7mN8oP9qR0sT"),
        ("api-key", "Zk8Jq2Lm5Np7Rt9Vw1Xy3Ab6"),
        ("SMTP_PASS", "Hq4Wm8Zr2Lp6"),
        ("bearerToken", "tok123abc"),
        ("jaas_password", "r4nd0m-Pa55w0rd!"),
    ],
)
def test_names_that_hold_a_credential(name: str, value: str) -> None:
    assert judge.holds(name, value)


@pytest.mark.parametrize(
    ("name", "value"),
    [
        ("passwordKey", "password"),
        ("existingSecretPasswordKey", "db-password"),
        ("clientSecretKey", "client-secret"),
        ("secretKey", "AZURE_STORAGE_CONNECTION_STRING"),  # an ExternalSecret's target key
        ("flaskServerSecretKey", "flask-server-secret-key"),
        ("certificatesSecret", "mlflow-tls"),
        ("passwordSecret", "mlflow-db-credentials"),
        ("tokenAudience", "mlflow"),
        ("passwordPolicy", "strong"),
        ("tokenRefreshInterval", "300s"),
        ("checksum/secret", "9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08"),
        ("passwordHash", "$2b$12$KIXQJ9Zr0vYw2Xb9Tn5Mf7Gd1Jc4Ps6Ua8Ei0Ro2sQe4Wt6Yu8Io"),
        ("certKeyFilename", "tls.key"),
        ("passwordHint", "Ask the platform team for it"),
        ("replicaCount", "3"),
        ("username", "mlflow"),
    ],
)
def test_names_and_values_that_only_point_at_a_credential(name: str, value: str) -> None:
    assert not judge.holds(name, value)


@pytest.mark.parametrize(
    "path",
    [
        ("backendStore", "existingDatabaseSecret", "passwordKey"),
        ("env", 0, "valueFrom", "secretKeyRef", "key"),
        ("externalSecrets", "data", 0, "remoteRef", "property"),
        ("spec", "encryptedData", "password"),
        ("auth", "existingAdminSecret", "name"),
    ],
)
def test_reference_sub_trees(path: tuple[object, ...]) -> None:
    assert judge.in_reference(path)


def test_not_a_reference_sub_tree() -> None:
    assert not judge.in_reference(("backendStore", "postgres", "password"))
    assert not judge.in_reference(("trackingServer", "basicAuth", "createSecret", "adminPassword"))


def test_base64_is_decoded_only_when_it_is_text() -> None:
    assert judge.decoded(base64.b64encode(b"Vk8q2LmZr7Tx").decode()) == "Vk8q2LmZr7Tx"
    assert judge.decoded(base64.b64encode(bytes(range(200, 230))).decode()) is None  # binary
    assert judge.decoded("Password1234") is None  # base64 alphabet, but not base64 of text
    assert judge.decoded("short") is None


def test_config_lines() -> None:
    text = "[mlflow]\nadmin_username = admin\nadmin_password = Qw7Er9Ty2Ui4\n# password = old\nexport DB_PASS=x9\n"
    assert list(judge.blob_pairs(text)) == [
        (1, "admin_username", "admin"),
        (2, "admin_password", "Qw7Er9Ty2Ui4"),
        (4, "DB_PASS", "x9"),
    ]


@pytest.mark.parametrize(
    ("text", "kind"),
    [
        ("ghp_R8kLq2Zx9Vm4Nc7Tb1Yw5Hs3Jd6Fg0Pa8Ue2", "github-token"),
        ("github_pat_A1b2C3d4E5f6G7h8I9j0K1_" + ("x9Y8w7V6u5T4s3R2q1P0o" * 3)[:59], "github-token"),
        ("glpat-Hq4Wm8Zr2Lp6Tn5Mf7Gd", "gitlab-token"),
        ("xoxb-4821937465-5937284619-Zq8Wm2Xn4Bv6Cr1Ty3Uo5Ip7", "slack-token"),
        ("https://hooks.slack.com/services/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", "slack-webhook"),
        ("dapi3f9a8c7d6e5b4a39281706f5e4d3c2b1", "databricks-token"),
        ("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", "huggingface-token"),
        ("AIzaSyB3kL9mN2pQ7rS5tU8vW1xY4zA6bC0dE3f", "google-api-key"),
        ("sk-proj-Zq8Wm2Xn4Bv6Cr1Ty3Uo5IpT3BlbkFJa9Sd0Fg2Hj4Kl6Zx8Cv", "openai-api-key"),
        ("npm_Zq8Wm2Xn4Bv6Cr1Ty3Uo5Ip7Ae9Sd0Fg2Hj4", "npm-token"),
        (
            "eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJzdWIiOiJzdmMtbWxmbG93In0.SflKxwRJSMeKKF2QT4fwpMeJf36POk6yJV_adQssw5c",
            "jwt",
        ),
    ],
)
def test_service_tokens(text: str, kind: str) -> None:
    assert [d.kind for d in detectors.scan(f"token: {text}")] == [kind]


@pytest.mark.parametrize(
    "text",
    [
        "ghp_xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx",  # a documentation stand-in
        "see hooks.slack.com/services for the webhook",
        "ghcr.io/org/hf_models:latest",
        "eyJub3QiOiJhIGp3dCJ9.eyJzdWIiOiJ4In0.c2lnbmF0dXJlc2lnbmF0dXJl",  # header without alg/typ
        "-----BEGIN PRIVATE KEY-----\nyour key here\n-----END PRIVATE KEY-----",
        '{"type": "service_account", "private_key": '
        '"-----BEGIN PRIVATE KEY-----\\n<key>\\n-----END PRIVATE KEY-----\\n"}',
    ],
)
def test_lookalikes_are_not_tokens(text: str) -> None:
    assert detectors.scan(text) == ()


@pytest.mark.parametrize(
    "text",
    [
        "config = " + " " * 300_000 + "x\nb = 1",  # a config line of spaces
        "eyJ" * 200_000 + "." + "eyJ" * 10 + ".x",  # JWT-like runs
        "xoxb-" + "1-" * 100_000 + "!",  # Slack-like runs
        "ghp_" + "a" * 400_000,
        "A" * 400_000 + "==",  # long base64
        "ab_" + "x" * 300_000 + "y",  # placeholder-like runs
    ],
)
def test_hostile_strings_cost_linear_time(text: str) -> None:
    """CPU time, generous: a quadratic pattern would take minutes on these."""
    import time

    from mlflow_lint.secrets import filters

    started = time.process_time()
    detectors.scan(text)
    list(judge.blob_pairs(text))
    judge.decoded(text)
    filters.is_placeholder(text)
    judge.holds("password", text)
    assert time.process_time() - started < 5
