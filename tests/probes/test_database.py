"""Backend-store probe against real PostgreSQL and MariaDB servers (and SQLite files)."""

from __future__ import annotations

import json
import sqlite3
import uuid

import pytest

from mlflow_lint.probes.schema_heads import HEADS

from .conftest import DEADLINE, MARGIN, only, v2

pytestmark = pytest.mark.services
URI = ("backendStore", "createSecret", "backendStoreUri")


def backend(uri: str, **extra: object) -> dict:
    return v2(backendStore={"createSecret": {"backendStoreUri": uri}, **extra})


@pytest.fixture
def pg_database(postgres_server):
    """A fresh database owned by `mlflow`; yields a function that runs SQL in it as mlflow."""
    import sqlalchemy

    name = f"t_{uuid.uuid4().hex[:10]}"
    admin = postgres_server.url().replace(
        f"{postgres_server.user}:{postgres_server.password}",
        f"{postgres_server.superuser}:{postgres_server.superuser_password}",
    )
    engine = sqlalchemy.create_engine(admin.rsplit("/", 1)[0] + "/postgres", isolation_level="AUTOCOMMIT")
    with engine.connect() as conn:
        conn.execute(sqlalchemy.text(f"CREATE DATABASE {name} OWNER mlflow"))
    engine.dispose()

    def run_sql(*statements: str) -> None:
        db = sqlalchemy.create_engine(postgres_server.url(database=name))
        with db.begin() as conn:
            for stmt in statements:
                conn.execute(sqlalchemy.text(stmt))
        db.dispose()

    run_sql.url = postgres_server.url(database=name)  # type: ignore[attr-defined]
    return run_sql


def schema_at(revision: str) -> tuple[str, ...]:
    return (
        "CREATE TABLE experiments (experiment_id INT)",
        "CREATE TABLE alembic_version (version_num VARCHAR(32))",
        f"INSERT INTO alembic_version VALUES ('{revision}')",
    )


def test_empty_postgres_is_ok(probe_run, pg_database):
    code, report, _ = probe_run(backend(pg_database.url), "--probe", "db", "--select", "MLF9")
    result = only(report, "database")
    assert (code, result["status"]) == (0, "ok")
    assert "empty database" in result["reason"] and result["path"] == "backendStore.createSecret.backendStoreUri"
    assert pg_database.url.split(":")[2].split("@")[0] not in str(report)  # the password never appears


def test_current_schema_is_ok(probe_run, pg_database):
    pg_database(*schema_at(HEADS[(2, 14)]))
    _, report, _ = probe_run(backend(pg_database.url), "--probe", "db")
    result = only(report, "database")
    assert result["status"] == "ok" and "is the head of MLflow 2.14.1" in result["reason"]


def test_outdated_schema_fails_unless_database_upgrade(probe_run, pg_database):
    pg_database(*schema_at(HEADS[(2, 10)]))
    code, report, _ = probe_run(backend(pg_database.url), "--probe", "db", "--select", "MLF9")
    result = only(report, "database")
    assert (code, result["status"]) == (1, "fail") and "older than MLflow 2.14.1" in result["reason"]
    assert [f["code"] for f in report["findings"]] == ["MLF901"]
    text = json.dumps(backend(pg_database.url), indent=2)  # what probe_run wrote
    line = 1 + next(i for i, t in enumerate(text.splitlines()) if '"backendStoreUri"' in t)
    assert report["findings"][0]["line"] == result["line"] == line  # the values line that configured it
    _, report, _ = probe_run(backend(pg_database.url, databaseUpgrade=True), "--probe", "db")
    assert only(report, "database")["status"] == "ok"


def test_newer_schema_fails(probe_run, pg_database):
    pg_database(*schema_at(HEADS[(3, 17)]))
    _, report, _ = probe_run(backend(pg_database.url), "--probe", "db")
    result = only(report, "database")
    assert result["status"] == "fail" and "is newer than MLflow 2.14.1's head" in result["reason"]


def test_postgres_wrong_password_and_missing_database(probe_run, postgres_server):
    _, report, _ = probe_run(backend(postgres_server.url(password="wrong-password")), "--probe", "db")
    result = only(report, "database")
    assert result["status"] == "fail" and "wrong credentials" in result["reason"]
    _, report, _ = probe_run(backend(postgres_server.url(database="nosuchdb")), "--probe", "db")
    result = only(report, "database")
    assert result["status"] == "fail" and "`nosuchdb` does not exist" in result["reason"]


@pytest.mark.parametrize("scheme", ["postgresql+psycopg", "mysql+pymysql"])
def test_never_answering_server_is_error_within_the_deadline(probe_run, blackhole_server, scheme):
    uri = f"{scheme}://u:p@{blackhole_server.host}:{blackhole_server.port}/db"
    code, report, seconds = probe_run(
        backend(uri), "--probe", "db", "--probe-timeout", str(DEADLINE), "--select", "MLF9"
    )
    result = only(report, "database")
    assert (code, result["status"]) == (4, "error"), result
    assert seconds < DEADLINE + MARGIN, seconds


def test_mariadb_ok_wrong_password_missing_database(probe_run, mariadb_server):
    _, report, _ = probe_run(backend(mariadb_server.url()), "--probe", "db")
    assert only(report, "database")["status"] == "ok"
    _, report, _ = probe_run(backend(mariadb_server.url(password="wrong-password")), "--probe", "db")
    result = only(report, "database")
    assert result["status"] == "fail" and "wrong credentials" in result["reason"]
    _, report, _ = probe_run(backend(mariadb_server.url(database="nosuchdb")), "--probe", "db")
    result = only(report, "database")
    assert result["status"] == "fail" and "does not exist" in result["reason"]


def test_refused_port_is_error(probe_run, blackhole_server):
    import socket

    with socket.socket() as sock:  # a port that is bound but not listening refuses connections
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
        _, report, _ = probe_run(backend(f"postgresql+psycopg://u:p@127.0.0.1:{port}/db"), "--probe", "db")
    result = only(report, "database")
    assert result["status"] == "error" and "refused" in result["reason"]


def test_sqlite_file_directory_and_relative(probe_run, tmp_path):
    db = tmp_path / "mlflow.db"
    with sqlite3.connect(db) as conn:
        conn.execute("CREATE TABLE alembic_version (version_num VARCHAR(32))")
        conn.execute(f"INSERT INTO alembic_version VALUES ('{HEADS[(2, 14)]}')")
    _, report, _ = probe_run(backend(f"sqlite:///{db}"), "--probe", "db")
    assert only(report, "database")["status"] == "ok"
    _, report, _ = probe_run(backend(f"sqlite:///{tmp_path}/new.db"), "--probe", "db")
    assert only(report, "database")["status"] == "ok" and not (tmp_path / "new.db").exists()  # nothing created
    _, report, _ = probe_run(backend(f"sqlite:///{tmp_path}/missing/dir.db"), "--probe", "db")
    assert only(report, "database")["status"] == "error"
    _, report, _ = probe_run(backend("sqlite:///mlflow.db"), "--probe", "db")
    assert only(report, "database")["status"] == "skipped"


def test_mssql_and_other_missing_drivers_are_skipped_with_the_install_line(probe_run):
    # No SQL Server exists in any registry this project can install from: only this path is tested.
    _, report, _ = probe_run(backend("mssql+pymssql://sa:pw@127.0.0.1:1433/mlflow"), "--probe", "db")
    result = only(report, "database")
    assert result["status"] == "skipped" and "pip install pymssql" in result["reason"]
    assert "additional_dependencies: [pymssql]" in result["reason"]
    code, report, _ = probe_run(backend("postgresql+pg8000://u:p@127.0.0.1:1/db"), "--probe", "db", "--select", "MLF9")
    assert only(report, "database")["status"] == "skipped" and code == 4
    assert [f["code"] for f in report["findings"]] == ["MLF900"]
