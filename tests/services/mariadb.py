"""A throwaway MariaDB server (mariadb-install-db + mariadbd --no-defaults), never the system one.

As root, mariadbd must run with ``--user=mysql``, so the data dir is owned by mysql and lives
under the system temp dir (pytest's basetemp is mode 0700 root; mysql cannot enter it).
root@localhost keeps Debian's default unix_socket auth: only the fixture (as root, over the
private socket) uses it, to create database ``mlflow`` and user ``mlflow``@``127.0.0.1``.
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

from ._common import HOST, INSTALL_HINT, ServiceMissingError, ServiceStartError, free_port, log_tail, run_server


@dataclass(frozen=True)
class MariaDBService:
    """A running server with database ``mlflow`` and user ``mlflow``@``127.0.0.1``."""

    host: str
    port: int
    user: str
    password: str
    database: str
    data_dir: Path
    socket: Path
    log_file: Path

    def url(self, driver: str = "pymysql", *, password: str | None = None, database: str | None = None) -> str:
        """A SQLAlchemy URL for the ``mlflow`` user (override password/database for negative tests)."""
        pw = self.password if password is None else password
        return f"mysql+{driver}://{self.user}:{pw}@{self.host}:{self.port}/{database or self.database}"


def _tool(name: str) -> str:
    path = shutil.which(name) or (f"/usr/sbin/{name}" if Path(f"/usr/sbin/{name}").exists() else None)
    if path is None:
        raise ServiceMissingError(f"`{name}` not found (Debian package mariadb-server); {INSTALL_HINT}")
    return path


@contextmanager
def start_mariadb(base: object = None) -> Iterator[MariaDBService]:
    """Start mariadbd on a free loopback port with a small InnoDB; SIGTERM is a clean shutdown."""
    del base  # see module docstring
    mariadbd, install_db, client = _tool("mariadbd"), _tool("mariadb-install-db"), _tool("mariadb")
    root = Path(tempfile.mkdtemp(prefix="mlflow-lint-mariadb-"))
    data, sock, log = root / "data", root / "mysqld.sock", root / "error.log"
    user_args = ["--user=mysql"] if os.geteuid() == 0 else []
    if os.geteuid() == 0:
        shutil.chown(root, "mysql", "mysql")
    # A small redo log keeps the data dir at ~26 MB instead of ~114 MB and speeds install-db.
    small = ["--innodb-log-file-size=8M", "--innodb-buffer-pool-size=32M"]
    install = [install_db, "--no-defaults", f"--datadir={data}", *user_args, "--skip-test-db", *small]
    port = free_port()
    # --innodb-fast-shutdown=2 skips flushing on stop (crash-like, fine for throwaway data): 0.04 s vs 1.6 s.
    server = [mariadbd, "--no-defaults", f"--datadir={data}", f"--socket={sock}", f"--pid-file={root}/mysqld.pid"]
    server += [f"--port={port}", f"--bind-address={HOST}", *user_args, "--skip-name-resolve", f"--log-error={log}"]
    server += ["--skip-log-bin", "--innodb-fast-shutdown=2", *small]
    try:
        res = subprocess.run(install, capture_output=True, text=True, timeout=120)
        if res.returncode != 0:
            raise ServiceStartError(f"mariadb-install-db failed:\n{res.stdout}\n{res.stderr}")
        # --log-error sends the server's own messages to log; run_server's log catches the rest.
        with run_server(server, port=port, what="mariadbd", log=log, output=root / "stdout.log", stop_timeout=30):
            password = secrets.token_urlsafe(12)
            sql = (
                f"CREATE DATABASE mlflow; CREATE USER 'mlflow'@'{HOST}' IDENTIFIED BY '{password}';"
                f"GRANT ALL ON mlflow.* TO 'mlflow'@'{HOST}';"
            )
            setup = [client, "--no-defaults", "-S", str(sock), "-uroot", "-e", sql]
            res = subprocess.run(setup, capture_output=True, text=True, timeout=60)
            if res.returncode != 0:
                raise ServiceStartError(f"MariaDB setup failed: {res.stderr}\n{log_tail(log)}")
            yield MariaDBService(HOST, port, "mlflow", password, "mlflow", data, sock, log)
    finally:
        shutil.rmtree(root, ignore_errors=True)


if __name__ == "__main__":  # manual check: python -m tests.services.mariadb
    t0 = time.monotonic()
    with start_mariadb() as svc:
        print(f"ready in {time.monotonic() - t0:.2f}s: {svc.url()}")
        t0 = time.monotonic()
    print(f"stopped in {time.monotonic() - t0:.2f}s")
