"""Planted secrets in basic_auth.ini, Secret manifests (data and stringData) and --set never reach
the output of any format, not even as an 8-character piece, nor as a piece of their base64."""

from __future__ import annotations

import base64
from pathlib import Path

import pytest

from mlflow_lint.formatters import FORMATTERS

PLANTED = {
    "ini_admin": "LeakIniPw-9f3kQz7Lm2",
    "ini_db": "LeakIniDb-X8v4Nq2Rt6",
    "data_key": "LeakDataK-Z3p9Wq1Ty5",
    "string_uri": "LeakStrPw-J6m2Xc8Vb4",
    "secret_ini": "LeakSecIni-P7r3Lk9Hw1",
    "set_admin": "LeakSetPw-Q4w8Er2Ty6",
    "set_db": "LeakSetDb-A1s5Df9Gh3",
    "bad_set": "LeakBadSet-Z9x8C7v6B5",
}


def pieces(secret: str) -> set[str]:
    out = set()
    for text in (secret, base64.b64encode(secret.encode()).decode()):
        out.update(text[i : i + 8] for i in range(len(text) - 7))
    return out


@pytest.fixture
def planted(tmp_path: Path) -> dict[str, Path]:
    ini = tmp_path / "basic_auth.ini"
    ini.write_text(
        f"[mlflow]\ndefault_permission = read\n"
        f"database_uri = postgres://auth:{PLANTED['ini_db']}%@db/auth\n"
        f"admin_username = {PLANTED['ini_admin']}\nadmin_password = {PLANTED['ini_admin']}\n",
        encoding="utf-8",
    )
    data_b64 = base64.b64encode(PLANTED["data_key"].encode()).decode()
    manifest = tmp_path / "secrets.yaml"
    manifest.write_text(
        f"""\
apiVersion: v1
kind: Secret
metadata: {{name: s3}}
data:
  AWS_ACCESS_KEY_ID: {data_b64}
  AWS_SECRET_ACCES_KEY: {data_b64}
---
apiVersion: v1
kind: Secret
metadata: {{name: backend}}
stringData:
  MLFLOW_BACKEND_STORE_URI: "postgres://mlflow:{PLANTED["string_uri"]}@db/mlflow"
---
apiVersion: v1
kind: Secret
metadata: {{name: auth}}
stringData:
  basic_auth.ini: |
    [mlflow]
    default_permission = read
    database_uri = postgresql://mlflow:{PLANTED["string_uri"]}@db/mlflow
    admin_username = {PLANTED["secret_ini"]}
    admin_password = {PLANTED["secret_ini"]}
""",
        encoding="utf-8",
    )
    values = tmp_path / "values.yaml"
    values.write_text(
        """\
backendStore:
  existingSecret: backend
artifactStore:
  s3:
    enabled: true
    existingSecret: s3
""",
        encoding="utf-8",
    )
    auth = tmp_path / "auth-values.yaml"
    auth.write_text("trackingServer:\n  basicAuth:\n    enabled: true\n    existingSecret: auth\n", encoding="utf-8")
    return {"ini": ini, "manifest": manifest, "values": values, "auth": auth}


@pytest.mark.parametrize("fmt", sorted(FORMATTERS))
def test_no_piece_of_a_planted_secret_in_any_format(fmt: str, planted: dict[str, Path], run_cli) -> None:
    runs = [
        ("--format", fmt, "--mlflow-version", "2.22.0", str(planted["ini"])),
        ("--format", fmt, "--secrets", str(planted["manifest"]), str(planted["values"]), str(planted["auth"])),
        (
            "--format",
            fmt,
            "--secrets",
            str(planted["manifest"]),
            "-f",
            str(planted["values"]),
            "--set",
            f"trackingServer.basicAuth.enabled=true,trackingServer.basicAuth.createSecret.adminPassword="
            f"{PLANTED['set_admin']}%",
            "--set-string",
            f"backendStore.createSecret.backendStoreUri=postgres://u:{PLANTED['set_db']}@db/x",
        ),
        ("--format", fmt, "-f", str(planted["values"]), "--set", f"pw={{{PLANTED['bad_set']}"),
    ]
    outputs = []
    for argv in runs:
        code, out, err = run_cli("--isolated", *argv)
        assert code in (1, 2), (argv, out, err)
        outputs.append(out + err)
    text = "\n".join(outputs)
    assert "MLF7" in text and "MLF5" in text  # the checks did run on the planted content
    for name, secret in PLANTED.items():
        leaked = [p for p in pieces(secret) if p in text]
        assert not leaked, f"{name} leaked in {fmt}: {leaked}"
