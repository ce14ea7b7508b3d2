"""The probe attacks of issue 12, each against a rogue server on loopback, each failing safe.

Every attack has a control beside it where that is possible: the same rogue server, reached
by the client library the unsafe way, really receives the secret, so a passing test is not a
rogue server that records nothing.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from pathlib import Path

import pytest

from mlflow_lint.probes import auth, guard
from mlflow_lint.probes.base import Budget

from ..probes.conftest import env, only, v2
from .rogues import header_log, rogue_mysql, rogue_postgres

pytestmark = pytest.mark.services

REPO = Path(__file__).resolve().parents[2]
FAKE_AWS = {
    "AWS_ACCESS_KEY_ID": "AKIAMACHINEOWNKEY001",
    "AWS_SECRET_ACCESS_KEY": "machine-own-secret-key-never-sent",
    "AWS_SESSION_TOKEN": "machine-own-session-token-never-sent",
}


def backend(uri: str) -> dict:
    return v2(backendStore={"createSecret": {"backendStoreUri": uri}})


# --- file theft through LOCAL INFILE -------------------------------------------------------------


def _secret_file(tmp_path: Path) -> Path:
    stolen = tmp_path / "ci-secrets.env"
    stolen.write_text("CI_DEPLOY_TOKEN=exfiltrated-by-local-infile\n")
    return stolen


def test_rogue_mysql_control_pymysql_with_local_infile_sends_the_file(tmp_path):
    import pymysql

    stolen = _secret_file(tmp_path)
    with rogue_mysql(str(stolen)) as (port, state):
        conn = pymysql.connect(
            host="127.0.0.1", port=port, user="u", password="p", local_infile=True, connect_timeout=3, read_timeout=3
        )
        try:
            conn.cursor().execute("SELECT 1")
        except pymysql.MySQLError:
            pass
        finally:
            conn.close()
        time.sleep(0.2)
    assert b"exfiltrated-by-local-infile" in state.received


def test_local_infile_in_the_uri_is_refused_and_nothing_is_contacted(probe_run, tmp_path):
    stolen = _secret_file(tmp_path)
    with rogue_mysql(str(stolen)) as (port, state):
        code, report, _ = probe_run(
            backend(f"mysql+pymysql://u:p@127.0.0.1:{port}/db?local_infile=1"), "--probe", "db", "--select", "MLF9"
        )
    result = only(report, "database")
    assert result["status"] == "skipped" and "`local_infile`" in result["reason"], result
    assert code == 4 and [f["code"] for f in report["findings"]] == ["MLF900"]
    assert state.connections == 0


@pytest.mark.parametrize(
    "query",
    ["read_default_file=/etc/mysql/my.cnf", "read_default_group=client", "init_command=SELECT%201", "plugin=evil"],
)
def test_other_driver_options_are_refused(probe_run, query):
    with rogue_mysql("/etc/hostname") as (port, state):
        _, report, _ = probe_run(backend(f"mysql+pymysql://u:p@127.0.0.1:{port}/db?{query}"), "--probe", "db")
    assert only(report, "database")["status"] == "skipped" and state.connections == 0


def test_rogue_mysql_asking_for_a_file_receives_nothing(probe_run, tmp_path):
    stolen = _secret_file(tmp_path)
    with rogue_mysql(str(stolen)) as (port, state):
        _, report, _ = probe_run(backend(f"mysql+pymysql://u:p@127.0.0.1:{port}/db"), "--probe", "db")
        time.sleep(0.2)
    assert state.connections >= 1 and state.queries, "the probe never reached the LOCAL INFILE request"
    assert b"exfiltrated" not in state.received
    assert only(report, "database")["status"] == "error"


# --- the machine's PostgreSQL password --------------------------------------------------------


@pytest.fixture
def machine_pg_credentials(tmp_path, monkeypatch):
    home = tmp_path / "home"
    home.mkdir()
    for name, secret in ((home / ".pgpass", "from-home-pgpass"), (tmp_path / "pgpass", "from-pgpassfile")):
        name.write_text(f"*:*:*:*:{secret}\n")
        name.chmod(0o600)
    monkeypatch.setenv("HOME", str(home))
    monkeypatch.setenv("PGPASSFILE", str(tmp_path / "pgpass"))
    monkeypatch.setenv("PGPASSWORD", "from-pgpassword")
    return ("from-home-pgpass", "from-pgpassfile", "from-pgpassword")


def test_rogue_postgres_control_libpq_sends_pgpassword(machine_pg_credentials):
    import psycopg

    with rogue_postgres() as (port, state), pytest.raises(psycopg.OperationalError):
        psycopg.connect(f"host=127.0.0.1 port={port} user=u dbname=db connect_timeout=3")
    assert state.passwords == [b"from-pgpassword"]


def test_rogue_postgres_gets_no_password_of_the_machine(probe_run, machine_pg_credentials):
    for driver in ("psycopg", "psycopg2", ""):
        scheme = f"postgresql+{driver}" if driver else "postgresql"
        with rogue_postgres() as (port, state):
            _, report, _ = probe_run(backend(f"{scheme}://u@127.0.0.1:{port}/db"), "--probe", "db")
        result = only(report, "database")
        if "not installed" in result["reason"]:
            continue  # psycopg2 is not an extra of this project
        assert state.connections >= 1, result
        assert state.passwords in ([], [b""]), (driver, state.passwords)
        assert os.environ["PGPASSWORD"] == "from-pgpassword"  # the phase gave the environment back


@pytest.mark.parametrize(
    "query",
    [
        "passfile=/tmp/x",
        "service=prod",
        "hostaddr=169.254.169.254",
        "sslkey=/home/ci/.ssh/id_rsa",
        "host=/var/run/postgresql",
    ],
)
def test_libpq_options_that_read_files_or_move_the_host_are_refused(probe_run, query):
    with rogue_postgres() as (port, state):
        _, report, _ = probe_run(backend(f"postgresql+psycopg://u@127.0.0.1:{port}/db?{query}"), "--probe", "db")
    assert only(report, "database")["status"] == "skipped" and state.connections == 0


# --- code execution through names in the values ------------------------------------------------

SENTINEL = "mlflow_lint_sentinel_mod"


def _sentinel(folder: Path) -> Path:
    record = folder / "imported.txt"
    (folder / f"{SENTINEL}.py").write_text(
        f"open({str(record)!r}, 'a').write('imported\\n')\ndef authorize(*a, **k):\n    return None\n"
    )
    return record


def test_driver_and_authorization_function_from_the_checkout_are_never_imported(tmp_path):
    record = _sentinel(tmp_path)
    values = v2(
        backendStore={"createSecret": {"backendStoreUri": f"postgresql+{SENTINEL}://u:p@127.0.0.1:9/db"}},
        trackingServer={
            "basicAuth": {
                "enabled": True,
                "createSecret": {
                    "databaseUri": f"mysql+{SENTINEL}://u:p@127.0.0.1:9/auth",
                    "adminPassword": "a-long-admin-password",
                    "authorizationFunction": f"{SENTINEL}:authorize",
                },
            }
        },
    )
    (tmp_path / "values.yaml").write_text(json.dumps(values))
    # `python -m` puts the working directory first on sys.path: the CI job's checkout.
    done = subprocess.run(
        [sys.executable, "-m", "mlflow_lint", "--isolated", "--format", "json", "--probe", "values.yaml"],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=120,
        env={**os.environ, "PYTHONPATH": f"{tmp_path}{os.pathsep}{REPO / 'linter'}"},
    )
    assert not record.exists(), done.stdout
    report = json.loads(done.stdout)
    assert only(report, "database")["status"] == "skipped"
    assert only(report, "auth_db")["status"] == "skipped"
    assert "MLF900" in {f["code"] for f in report["findings"]}
    # the control: that module is importable from there
    subprocess.run([sys.executable, "-c", f"import {SENTINEL}"], cwd=tmp_path, check=True, timeout=60)
    assert record.exists()


def test_the_zen_of_python_is_not_printed(probe_run, capsys):
    _, report, _ = probe_run(backend("postgresql+this://u:p@127.0.0.1:9/db"), "--probe", "db")
    assert "Beautiful is better" not in json.dumps(report)
    assert "this" not in sys.modules  # `import this` prints the Zen of Python
    assert only(report, "database")["status"] == "skipped"


def test_isolated_interpreter_imports_only_installed_packages(tmp_path, monkeypatch):
    record = _sentinel(tmp_path)
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("PYTHONPATH", str(tmp_path))
    budget = Budget(30)
    assert auth._isolated(SENTINEL, "authorize", budget).returncode in (3, auth.NOT_INSTALLED)
    assert not record.exists()
    assert auth._isolated("json", "loads", budget).returncode == auth.NOT_INSTALLED  # stdlib: not a plugin
    assert auth._isolated("pytest", "main", budget).returncode == 0  # installed in site-packages
    assert auth._isolated("pytest", "no_such_function", budget).returncode == 4


def test_isolated_interpreter_sees_no_credentials(monkeypatch):
    monkeypatch.setenv("AWS_SECRET_ACCESS_KEY", "never-in-the-child")
    with pytest.MonkeyPatch.context() as patch:
        seen: dict[str, object] = {}

        def spy(command: list[str], **kwargs: object) -> object:
            seen.update(kwargs, command=command)
            raise subprocess.TimeoutExpired("python", 1)

        patch.setattr(auth.subprocess, "run", spy)
        with pytest.raises(subprocess.TimeoutExpired):
            auth._isolated("mlflow", "x", Budget(5))
    assert seen["command"][1] == "-I"  # type: ignore[index]
    assert "AWS_SECRET_ACCESS_KEY" not in seen["env"]  # type: ignore[operator]
    assert seen["cwd"] != os.getcwd()


# --- the runner's own cloud credentials ---------------------------------------------------------


def s3_at(port: int, **extra: str) -> dict:
    return v2(
        trackingServer={"defaultArtifactRoot": "s3://bucket/prefix"},
        extraEnv=env(MLFLOW_S3_ENDPOINT_URL=f"http://127.0.0.1:{port}", AWS_DEFAULT_REGION="us-east-1", **extra),
    )


def test_machine_aws_keys_never_reach_a_values_chosen_endpoint(probe_run, monkeypatch):
    for name, value in FAKE_AWS.items():
        monkeypatch.setenv(name, value)
    with header_log() as (port, state):
        code, report, _ = probe_run(s3_at(port), "--probe", "artifacts", "--select", "MLF9")
        result = only(report, "s3")
        assert result["status"] == "skipped" and "--probe-ambient-credentials" in result["reason"]
        assert code == 4 and state.requests == []
        # with the flag, still not: the endpoint is not the provider's and not named on the command line
        _, report, _ = probe_run(s3_at(port), "--probe", "artifacts", "--probe-ambient-credentials")
        assert only(report, "s3")["status"] == "skipped" and state.requests == []
        assert f"127.0.0.1:{port}" in only(report, "s3")["reason"]
        # named on the command line: now the user chose to send them, signed with SigV4
        _, report, _ = probe_run(
            s3_at(port, MLFLOW_EXPERIMENTAL_S3_SIGNATURE_VERSION="s3"),
            "--probe",
            "artifacts",
            "--probe-ambient-credentials",
            "--probe-allow-host",
            f"127.0.0.1:{port}",
        )
    assert state.requests, report
    authorization = [h.get("Authorization", "") for _, _, h in state.requests]
    assert all(a.startswith("AWS4-HMAC-SHA256 ") for a in authorization), authorization  # never SigV2
    assert "machine-own-secret-key-never-sent" not in state.all_text()


def test_config_supplied_keys_go_to_the_config_endpoint_with_sigv4_and_one_attempt(probe_run, monkeypatch):
    for name, value in FAKE_AWS.items():
        monkeypatch.setenv(name, value)
    with header_log(status=500) as (port, state):
        _, report, _ = probe_run(
            s3_at(
                port,
                AWS_ACCESS_KEY_ID="AKIAVALUESKEY0000001",
                AWS_SECRET_ACCESS_KEY="values-secret-0000000000000000",
                MLFLOW_EXPERIMENTAL_S3_SIGNATURE_VERSION="s3",
            ),
            "--probe",
            "artifacts",
        )
    assert only(report, "s3")["status"] in ("fail", "error")
    assert state.methods() == ["HEAD"], state.methods()  # one attempt: botocore retries a 500 otherwise
    text = state.all_text()
    assert "AKIAVALUESKEY0000001" in text and "AKIAMACHINEOWNKEY001" not in text
    assert "machine-own-session-token-never-sent" not in text
    assert all(h.get("Authorization", "").startswith("AWS4-HMAC-SHA256 ") for _, _, h in state.requests)


def test_gcs_key_path_from_the_values_is_never_read_and_no_token_is_sent(probe_run, tmp_path, monkeypatch):
    with header_log() as (port, state):
        key = tmp_path / "machine-key.json"
        key.write_text(
            json.dumps(
                {
                    "type": "service_account",
                    "client_email": "ci@example.iam.gserviceaccount.com",
                    "private_key": "not-a-real-key",
                    "token_uri": f"http://127.0.0.1:{port}/token",
                }
            )
        )
        monkeypatch.setenv("GOOGLE_APPLICATION_CREDENTIALS", str(key))
        values = v2(
            trackingServer={"defaultArtifactRoot": "gs://bucket/p"},
            extraEnv=env(GOOGLE_APPLICATION_CREDENTIALS=str(key), STORAGE_EMULATOR_HOST=f"http://127.0.0.1:{port}"),
        )
        _, report, _ = probe_run(values, "--probe", "artifacts")
        assert only(report, "gcs")["status"] == "skipped" and state.requests == []
        # without the path in the values: anonymous against the emulator, the machine's key unused
        values["extraEnv"] = env(STORAGE_EMULATOR_HOST=f"http://127.0.0.1:{port}")
        _, report, _ = probe_run(values, "--probe", "artifacts")
    assert not [r for r in state.requests if r[1].startswith("/token")]
    assert not [h for _, _, h in state.requests if "Authorization" in h], state.requests


@pytest.mark.parametrize(
    ("root", "name"),
    [("s3://bucket/p", "s3"), ("gs://bucket/p", "gcs"), ("wasbs://c@acct.blob.core.windows.net/p", "azure_blob")],
)
def test_no_credentials_at_all_never_reaches_the_metadata_service(probe_run, monkeypatch, tmp_path, root, name):
    for variable in list(os.environ):
        if variable.startswith(("AWS_", "GOOGLE_", "AZURE_", "CLOUDSDK_")):
            monkeypatch.delenv(variable)
    monkeypatch.setenv("HOME", str(tmp_path))  # no ~/.aws, no gcloud ADC file
    start = time.monotonic()
    _, report, _ = probe_run(
        v2(trackingServer={"defaultArtifactRoot": root}),
        "--probe",
        "artifacts",
        "--probe-ambient-credentials",
        "--probe-timeout",
        "3",
    )
    result = only(report, name)
    assert result["status"] in ("error", "fail", "skipped"), result
    assert time.monotonic() - start < 3 + 2  # no metadata look-up waited for
    # (the autouse recorder asserts that no link-local address was contacted)


def test_metadata_and_link_local_addresses_are_refused_at_connect_time(probe_run):
    values = v2(
        trackingServer={"defaultArtifactRoot": "s3://bucket/p"},
        extraEnv=env(
            MLFLOW_S3_ENDPOINT_URL="http://169.254.169.254",
            AWS_ACCESS_KEY_ID="AKIAVALUESKEY0000001",
            AWS_SECRET_ACCESS_KEY="values-secret-0000000000000000",
        ),
    )
    _, report, _ = probe_run(values, "--probe", "artifacts", "--probe-timeout", "3")
    result = only(report, "s3")
    assert result["status"] == "fail" and "link-local" in result["reason"], result
    _, report, _ = probe_run(
        backend("postgresql+psycopg://u:p@169.254.169.254:5432/db"), "--probe", "db", "--probe-timeout", "3"
    )
    assert "link-local" in only(report, "database")["reason"]


def test_guard_refuses_link_local_names_and_addresses():
    assert guard.forbidden("169.254.169.254") and guard.forbidden("fe80::1") and guard.forbidden("fd00:ec2::254")
    assert guard.forbidden("metadata.google.internal") and guard.forbidden("::ffff:169.254.1.1")
    assert not guard.forbidden("127.0.0.1") and not guard.forbidden("s3.amazonaws.com")


def test_probe_plan_shows_every_connection_tls_and_credential_source(run_cli, tmp_path):
    values = tmp_path / "values.yaml"
    values.write_text(
        json.dumps(
            v2(
                backendStore={
                    "createSecret": {
                        "backendStoreUri": "postgresql+psycopg://u:pw-in-uri@db.internal:6432/x?sslmode=require"
                    }
                },
                trackingServer={"defaultArtifactRoot": "s3://bucket/p"},
                extraEnv=env(MLFLOW_S3_ENDPOINT_URL="https://minio.example:9000"),
            )
        )
    )
    code, out, _ = run_cli("--isolated", "--format", "json", "--probe-plan", "--select", "MLF9", str(values))
    report = json.loads(out)
    db = only(report, "database")["reason"]
    assert "db.internal:6432 (TLS: yes (sslmode=require))" in db and "pw-in-uri" not in out
    s3 = only(report, "s3")  # no credentials in the values: this machine's would be used
    assert code == 4 and s3["status"] == "skipped" and "--probe-ambient-credentials" in s3["reason"]
    code, out, _ = run_cli(
        "--isolated",
        "--format",
        "json",
        "--probe-plan",
        "--select",
        "MLF9",
        "--probe-ambient-credentials",
        "--probe-allow-host",
        "MINIO.example:9000",
        str(values),
    )
    s3 = only(json.loads(out), "s3")
    assert code == 0 and s3["status"] == "planned", s3
    assert "minio.example:9000 (TLS: yes)" in s3["reason"] and "linter's own environment" in s3["reason"]


# --- --probe-write --------------------------------------------------------------------------


def test_probe_write_deletes_its_marker_when_the_read_back_stalls(probe_run):
    with header_log(stall_get=30) as (port, state):
        start = time.monotonic()
        _, report, _ = probe_run(
            s3_at(
                port, AWS_ACCESS_KEY_ID="AKIAVALUESKEY0000001", AWS_SECRET_ACCESS_KEY="values-secret-0000000000000000"
            ),
            "--probe",
            "artifacts",
            "--probe-write",
            "--probe-timeout",
            "4",
        )
        seconds = time.monotonic() - start
    methods = state.methods()
    assert "PUT" in methods and "DELETE" in methods, methods
    assert state.objects == {}
    assert only(report, "s3")["status"] in ("error", "fail") and seconds < 4 + 3


# --- sqlite read-only -----------------------------------------------------------------------


def test_sqlite_fragment_does_not_bypass_read_only(probe_run, tmp_path):
    tricky = tmp_path / "mlflow.db#"
    import sqlite3

    sqlite3.connect(tricky).close()
    _, report, _ = probe_run(backend(f"sqlite:///{tricky}"), "--probe", "db")
    assert not (tmp_path / "mlflow.db").exists()
    assert only(report, "database")["status"] in ("ok", "fail")


def test_forked_probe_processes_keep_the_guard(tmp_path):
    """The command line spreads SDK groups over forked children: the fence holds there too."""
    values = v2(
        backendStore={"createSecret": {"backendStoreUri": "postgresql+psycopg://u:p@127.0.0.1:9/db"}},
        trackingServer={"defaultArtifactRoot": "s3://bucket/p"},
        extraEnv=env(
            MLFLOW_S3_ENDPOINT_URL="http://169.254.169.254",
            AWS_ACCESS_KEY_ID="AKIAVALUESKEY0000001",
            AWS_SECRET_ACCESS_KEY="values-secret-0000000000000000",
        ),
    )
    (tmp_path / "values.yaml").write_text(json.dumps(values))
    script = (
        "import sys\nfrom mlflow_lint import entry\nfrom mlflow_lint.probes import processes\n"
        "entry.ONE_SHOT = True\nprocesses.cores = lambda: 2\nfrom mlflow_lint.cli import main\n"
        "sys.exit(main(['--isolated', '--format', 'json', '--probe', '--probe-timeout', '3', 'values.yaml']))\n"
    )
    done = subprocess.run([sys.executable, "-c", script], cwd=tmp_path, capture_output=True, text=True, timeout=120)
    report = json.loads(done.stdout)
    result = only(report, "s3")
    assert result["status"] == "fail" and "link-local" in result["reason"], (result, done.stderr)
