"""Messages follow the MLflow version the user names (`--mlflow-version`), not the chart's appVersion."""

from __future__ import annotations

VALUES = """\
backendStore:
  existingSecret: ""
  createSecret:
    backendStoreUri: postgresql://mlflow@db:5432/mlflow
"""


def _messages(report: dict, code: str) -> list[str]:
    return [f["message"] for f in report["findings"] if f["code"] == code]


def test_default_image_is_named_after_the_given_version(lint_text) -> None:
    messages = _messages(lint_text(VALUES, "--mlflow-version", "3.17.2"), "MLF413")
    assert messages and all("ghcr.io/mlflow/mlflow:v3.17.2" in m for m in messages)
    assert not any("2.14.1" in m for m in messages)


def test_postgresql_driver_on_3x_is_psycopg(lint_text) -> None:
    (message,) = _messages(lint_text(VALUES, "--mlflow-version", "3.17.2"), "MLF413")
    assert "needs psycopg (psycopg 3" in message and "psycopg2" not in message


def test_postgresql_driver_on_2x_is_psycopg2(lint_text) -> None:
    (message,) = _messages(lint_text(VALUES, "--mlflow-version", "2.14.1"), "MLF413")
    assert "needs psycopg2" in message and "v2.14.1" in message


def test_image_tag_still_wins_for_the_image_name(lint_text) -> None:
    text = VALUES + "image:\n  tag: v2.22.0\n"
    (message,) = _messages(lint_text(text, "--mlflow-version", "3.17.2"), "MLF413")
    assert "ghcr.io/mlflow/mlflow:v2.22.0" in message
