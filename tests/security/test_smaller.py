"""The smaller leaks of issue 12: URI passwords with `@` or a space, and a --set without `=`."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from mlflow_lint import uris

pytestmark = pytest.mark.services  # (offline; the marker lets the audit recorder run)

FTP_SECRET = "Sup3r@Zx9q-ftpw"
SPACED_SECRET = "Kq7 zebra9 Vw2x"


@pytest.fixture
def values(tmp_path: Path) -> Path:
    path = tmp_path / "values.yaml"
    path.write_text(
        json.dumps(
            {
                "image": {"tag": "v2.14.1"},
                "backendStore": {"databaseUri": f"postgresql://mlflow:{SPACED_SECRET}@db.internal/mlflow"},
                "trackingServer": {"defaultArtifactRoot": f"sftp://art:{FTP_SECRET}@sftp.internal/artifacts"},
            }
        )
    )
    return path


def _pieces(secret: str) -> list[str]:
    return [secret[i : i + 6] for i in range(len(secret) - 5)]


@pytest.mark.parametrize("fmt", ["text", "json", "sarif", "junit", "github"])
def test_passwords_with_at_or_space_are_found_and_fully_redacted(run_cli, values, fmt):
    code, out, _ = run_cli("--isolated", "--format", fmt, "--probe-plan", str(values))
    assert code == 1
    for secret in (FTP_SECRET, SPACED_SECRET):
        assert not [p for p in _pieces(secret) if p in out], (secret, fmt)
    assert "Zx9q" not in out and "zebra9" not in out


def test_both_passwords_are_reported(run_cli, values):
    _, out, _ = run_cli("--isolated", "--format", "json", str(values))
    paths = {f["path"] for f in json.loads(out)["findings"] if f["code"] == "MLF302"}
    assert {"backendStore.databaseUri", "trackingServer.defaultArtifactRoot"} <= paths


def test_userinfo_is_split_at_the_last_at_like_mlflow():
    assert uris.raw_passwords("ftp://u:a@b@host/x") == ["a@b"]
    assert uris.redact("sftp://u:p@ss@h:22/p and s3://b/k") == "sftp://u:****@h:22/p and s3://b/k"
    assert uris.redact("postgresql://u:pass word@db/x?opt=a@b") == "postgresql://u:****@db/x?opt=a@b"


def test_set_without_equals_does_not_echo_its_text(run_cli, values):
    code, out, err = run_cli("--isolated", "-f", str(values), "--set", "hunter2-Secret-Value")
    assert code == 2 and "hunter2" not in err + out and "--set #1" in err
