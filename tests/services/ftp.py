"""An FTP server: pyftpdlib, run as a child process (``python -m tests.services.ftp``).

A child process keeps the server's threads, logging and any warnings out of the pytest
process (which runs with filterwarnings=error). The auth-failure delay is cut from pyftpdlib's
3 s default to 0.1 s so wrong-password tests stay fast; the 530 reply is unchanged.
"""

from __future__ import annotations

import argparse
import importlib.util
import os
import secrets
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from ._common import HOST, INSTALL_HINT, REPO_ROOT, ServiceMissingError, free_port, make_dir, run_server


@dataclass(frozen=True)
class FTPService:
    """A running FTP server; ``user`` owns ``root`` with full permissions."""

    host: str
    port: int
    user: str
    password: str
    root: Path
    log_file: Path


@contextmanager
def start_ftp(base: object) -> Iterator[FTPService]:
    """Start pyftpdlib on a free loopback port (passive ports are kernel-chosen, also loopback)."""
    if importlib.util.find_spec("pyftpdlib") is None:
        raise ServiceMissingError(f"pyftpdlib is not installed in {sys.prefix}; {INSTALL_HINT}")
    work = make_dir(base, "ftp")
    root, log = work / "root", work / "ftp.log"
    root.mkdir()
    user, password = "mlflow", secrets.token_urlsafe(12)
    port = free_port()
    cmd = [sys.executable, "-m", "tests.services.ftp", "--root", str(root), "--port", str(port), "--user", user]
    # The password travels in the environment, not argv, so `ps` does not show it.
    env = {"FTP_TEST_PASSWORD": password, "PYTHONPATH": str(REPO_ROOT)}
    with run_server(cmd, port=port, what="pyftpdlib", log=log, env=env, cwd=REPO_ROOT):
        yield FTPService(HOST, port, user, password, root, log)


def _serve(root: str, port: int, user: str, password: str) -> None:
    from pyftpdlib.authorizers import DummyAuthorizer
    from pyftpdlib.handlers import FTPHandler
    from pyftpdlib.servers import FTPServer

    authorizer = DummyAuthorizer()
    authorizer.add_user(user, password, root, perm="elradfmwMT")

    class Handler(FTPHandler):
        auth_failed_timeout = 0.1

    Handler.authorizer = authorizer
    FTPServer((HOST, port), Handler).serve_forever()


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description="child process for tests.services.ftp")
    parser.add_argument("--root", required=True)
    parser.add_argument("--port", type=int, required=True)
    parser.add_argument("--user", required=True)
    parser.add_argument("--selftest", action="store_true", help="start one and print timing")
    args = parser.parse_args()
    if args.selftest:
        t0 = time.monotonic()
        with start_ftp(Path(args.root)) as svc:
            print(f"ready in {time.monotonic() - t0:.2f}s: {svc}")
    else:
        _serve(args.root, args.port, args.user, os.environ["FTP_TEST_PASSWORD"])
