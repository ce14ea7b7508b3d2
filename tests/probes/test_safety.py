"""What the probes must never do: connect without --probe, change data without --probe-write,
leave a marker behind, or crash when an SDK is missing."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from .conftest import env, only, v2
from .test_s3 import s3_values

REPO = Path(__file__).resolve().parents[2]
SDKS = (
    "boto3",
    "botocore",
    "sqlalchemy",
    "psycopg",
    "pymysql",
    "google.cloud.storage",
    "azure.storage.blob",
    "oss2",
    "paramiko",
)


def _python(code: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=REPO, timeout=120)


def test_offline_run_imports_no_probe_module_and_no_sdk(tmp_path):
    values = tmp_path / "values.yaml"
    values.write_text(
        json.dumps(
            v2(
                backendStore={"createSecret": {"backendStoreUri": "postgresql://u:p@db/x"}},
                trackingServer={"defaultArtifactRoot": "s3://b/p"},
            )
        )
    )
    done = _python(
        "import sys, socket\n"
        "def refuse(*a, **k): raise SystemExit('connection attempted')\n"
        "socket.socket.connect = socket.create_connection = socket.getaddrinfo = refuse\n"
        "from mlflow_lint.cli import main\n"
        f"main(['--isolated', '--format', 'json', {str(values)!r}])\n"
        f"loaded = [m for m in sys.modules if m.startswith('mlflow_lint.probes') or m in {SDKS!r}]\n"
        "print(loaded)\n"
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip().splitlines()[-1] == "[]"


def test_probe_plan_contacts_nothing(run_cli, tmp_path):
    # No `services` marker: the autouse guard fails the test on any connection attempt.
    values = tmp_path / "values.yaml"
    values.write_text(
        json.dumps(
            v2(
                backendStore={"createSecret": {"backendStoreUri": "postgresql+psycopg://u:hunter2pass@db:5432/x"}},
                trackingServer={"defaultArtifactRoot": "s3://bucket/p"},
                extraEnv=env(
                    AWS_ACCESS_KEY_ID="AKIAEXAMPLEEXAMPLE01",
                    AWS_SECRET_ACCESS_KEY="wJalrXUtnFEMIK7MDENGbPxRfiCYEXAMPLEKEY",
                ),
            )
        )
    )
    code, out, _ = run_cli("--isolated", "--format", "json", "--probe-plan", "--select", "MLF9", str(values))
    report = json.loads(out)
    assert code == 0 and {p["status"] for p in report["probes"]} == {"planned"}
    assert "hunter2pass" not in out and "wJalrXUtnFEMIK7" not in out and "db:5432" in out


@pytest.mark.services
def test_probes_leave_the_bucket_and_database_unchanged(probe_run, s3_server, postgres_server):
    import sqlalchemy

    def state() -> tuple[list[str], list[str]]:
        engine = sqlalchemy.create_engine(postgres_server.url())
        with engine.connect() as conn:
            tables = sorted(sqlalchemy.inspect(conn).get_table_names())
        engine.dispose()
        return sorted(str(p.relative_to(s3_server.root)) for p in s3_server.root.rglob("*")), tables

    values = s3_values(s3_server)
    values["backendStore"] = {"createSecret": {"backendStoreUri": postgres_server.url()}}
    before = state()
    _, report, _ = probe_run(values, "--probe")
    assert {p["status"] for p in report["probes"]} == {"ok"}, report["probes"]
    assert state() == before
    _, report, _ = probe_run(values, "--probe", "--probe-write")
    assert "wrote, read back and deleted" in only(report, "s3")["reason"]
    assert state() == before  # the marker object is gone again


@pytest.mark.services
def test_probe_write_cleans_up_ftp_and_local(probe_run, ftp_server, tmp_path):
    local = tmp_path / "artifacts"
    local.mkdir()
    uri = f"ftp://{ftp_server.user}:{ftp_server.password}@{ftp_server.host}:{ftp_server.port}/"
    for root, name in ((uri, "ftp"), (str(local), "local")):
        _, report, _ = probe_run(v2(trackingServer={"defaultArtifactRoot": root}), "--probe", "--probe-write")
        assert only(report, name)["status"] == "ok", report["probes"]
    assert list(local.iterdir()) == [] and list(ftp_server.root.iterdir()) == []


def test_missing_sdk_is_skipped_with_the_install_line(tmp_path):
    values = tmp_path / "values.yaml"
    values.write_text(
        json.dumps(
            v2(
                trackingServer={"defaultArtifactRoot": "s3://bucket/p"},
                extraEnv=env(
                    MLFLOW_S3_ENDPOINT_URL="http://127.0.0.1:9",
                    AWS_ACCESS_KEY_ID="AKIAEXAMPLEEXAMPLE01",
                    AWS_SECRET_ACCESS_KEY="wJalrXUtnFEMIK7MDENGbPxRfiCYEXAMPLEKEY",
                ),
            )
        )
    )
    done = _python(
        "import sys\nsys.modules['boto3'] = None\n"
        "from mlflow_lint.cli import main\n"
        f"sys.exit(main(['--isolated', '--format', 'json', '--probe', '--select', 'MLF9', {str(values)!r}]))\n"
    )
    assert done.returncode == 4, done.stderr
    report = json.loads(done.stdout)
    result = only(report, "s3")
    assert result["status"] == "skipped"
    assert "pip install 'mlflow-lint[s3]'" in result["reason"]
    assert "additional_dependencies: [boto3]" in result["reason"]
    assert [f["code"] for f in report["findings"]] == ["MLF900"]


def test_unknown_probe_group_is_a_usage_error(run_cli, tmp_path):
    values = tmp_path / "values.yaml"
    values.write_text("{}")
    code, _, err = run_cli("--isolated", "--probe", "db,cache", str(values))
    assert code == 2 and "unknown probe group cache" in err
