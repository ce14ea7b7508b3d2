"""A throwaway PostgreSQL cluster (initdb + pg_ctl), never the machine's own on 5432.

initdb and postgres refuse to run as root, so as root they run as the ``postgres`` user via
runuser. The cluster lives in a fresh directory under the system temp dir rather than the
given base dir: pytest's basetemp is mode 0700 root, which the postgres user cannot enter.
"""

from __future__ import annotations

import os
import secrets
import shutil
import subprocess
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from ._common import HOST, INSTALL_HINT, ServiceMissingError, ServiceStartError, free_port, log_tail


@dataclass(frozen=True)
class PostgresService:
    """A running cluster with superuser ``postgres`` and an owner ``mlflow`` of db ``mlflow``."""

    host: str
    port: int
    user: str
    password: str
    database: str
    superuser: str
    superuser_password: str
    data_dir: Path
    socket_dir: Path
    log_file: Path

    def url(self, driver: str = "psycopg", *, password: str | None = None, database: str | None = None) -> str:
        """A SQLAlchemy URL for the ``mlflow`` user (override password/database for negative tests)."""
        pw = self.password if password is None else password
        return f"postgresql+{driver}://{self.user}:{pw}@{self.host}:{self.port}/{database or self.database}"


def _bin_dir() -> Path:
    versions = sorted(Path("/usr/lib/postgresql").glob("*/bin/initdb"), key=lambda p: int(p.parts[-3]))
    if not versions:
        raise ServiceMissingError(f"PostgreSQL server binaries not found under /usr/lib/postgresql; {INSTALL_HINT}")
    return versions[-1].parent


def _as_owner(cmd: list[str]) -> list[str]:
    return ["runuser", "-u", "postgres", "--", *cmd] if os.geteuid() == 0 else cmd


def _run(cmd: list[str], what: str, log: Path, env: dict[str, str] | None = None) -> None:
    res = subprocess.run(cmd, capture_output=True, text=True, env={**os.environ, **(env or {})}, timeout=120)
    if res.returncode != 0:
        raise ServiceStartError(f"{what} failed ({res.returncode}):\n{res.stdout}\n{res.stderr}\n{log_tail(log)}")


@contextmanager
def start_postgres(base: object = None) -> Iterator[PostgresService]:
    """Start a scram-sha-256, fsync=off cluster on a free loopback port; stop it with -m fast."""
    del base  # see module docstring: the service user cannot reach pytest's temp dirs
    bindir = _bin_dir()
    root = Path(tempfile.mkdtemp(prefix="mlflow-lint-pg-"))
    if os.geteuid() == 0:
        shutil.chown(root, "postgres", "postgres")
    data, log, pwfile = root / "data", root / "postgres.log", root / "pwfile"
    super_pw, user_pw = secrets.token_urlsafe(12), secrets.token_urlsafe(12)
    pwfile.write_text(super_pw + "\n")
    if os.geteuid() == 0:
        shutil.chown(pwfile, "postgres", "postgres")
    port = free_port()
    pg_ctl = [str(bindir / "pg_ctl"), "-D", str(data), "-w"]
    initdb = [str(bindir / "initdb"), "-D", str(data), "-U", "postgres", "--auth=scram-sha-256"]
    initdb += [f"--pwfile={pwfile}", "-E", "UTF8", "--no-sync", "--no-instructions"]
    # Durability is pointless for a throwaway cluster; these make start-up and DDL faster.
    opts = f"-h {HOST} -p {port} -k {root} -c fsync=off -c full_page_writes=off -c synchronous_commit=off"
    psql = [str(bindir / "psql"), "-X", "-q", "-v", "ON_ERROR_STOP=1", "-h", HOST, "-p", str(port), "-U", "postgres"]
    try:
        _run(_as_owner(initdb), "initdb", log)
        pwfile.unlink()
        _run(_as_owner([*pg_ctl, "-l", str(log), "-t", "60", "-o", opts, "start"]), "pg_ctl start", log)
        # One statement per call: CREATE DATABASE cannot run inside a multi-statement block.
        for stmt in (f"CREATE ROLE mlflow LOGIN PASSWORD '{user_pw}'", "CREATE DATABASE mlflow OWNER mlflow"):
            _run([*psql, "-d", "postgres", "-c", stmt], "psql setup", log, {"PGPASSWORD": super_pw})
        yield PostgresService(HOST, port, "mlflow", user_pw, "mlflow", "postgres", super_pw, data, root, log)
    finally:
        # Also after a failed or timed-out start, which may leave a postmaster behind.
        if (data / "postmaster.pid").exists():
            subprocess.run(_as_owner([*pg_ctl, "-m", "fast", "stop"]), capture_output=True, timeout=60)
        shutil.rmtree(root, ignore_errors=True)


if __name__ == "__main__":  # manual check: python -m tests.services.postgres
    t0 = time.monotonic()
    with start_postgres() as svc:
        print(f"ready in {time.monotonic() - t0:.2f}s: {svc.url()}")
