"""An SFTP server: asyncssh, run as a child process (``python -m tests.services.sftp``).

Password auth for ``user``, plus public-key auth with a generated client key; the SFTP root
is chrooted to ``root``; no shell or exec. Host and client keys are made in the parent with
``cryptography`` so ``known_hosts`` exists before the server starts.
"""

from __future__ import annotations

import argparse
import asyncio
import hmac
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
class SFTPService:
    """A running SFTP server. ``known_hosts`` holds ``[127.0.0.1]:port ssh-ed25519 ...``."""

    host: str
    port: int
    user: str
    password: str
    root: Path
    host_key_pub: Path
    known_hosts: Path
    client_key: Path  # OpenSSH private key accepted for ``user`` (no passphrase)
    log_file: Path


def _write_key(path: Path) -> str:
    """Write a fresh ed25519 private key (OpenSSH format, 0600); return its public line."""
    from cryptography.hazmat.primitives import serialization
    from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

    key = Ed25519PrivateKey.generate()
    path.write_bytes(
        key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.OpenSSH, serialization.NoEncryption())
    )
    path.chmod(0o600)
    return key.public_key().public_bytes(serialization.Encoding.OpenSSH, serialization.PublicFormat.OpenSSH).decode()


@contextmanager
def start_sftp(base: object) -> Iterator[SFTPService]:
    """Start the asyncssh SFTP server on a free loopback port."""
    for module in ("asyncssh", "cryptography"):
        if importlib.util.find_spec(module) is None:
            raise ServiceMissingError(f"{module} is not installed in {sys.prefix}; {INSTALL_HINT}")
    work = make_dir(base, "sftp")
    root, log = work / "root", work / "sftp.log"
    root.mkdir()
    host_pub = _write_key(work / "host_key")
    (work / "host_key.pub").write_text(host_pub + "\n")
    (work / "authorized_keys").write_text(_write_key(work / "client_key") + "\n")
    user, password, port = "mlflow", secrets.token_urlsafe(12), free_port()
    known_hosts = work / "known_hosts"
    known_hosts.write_text(f"[{HOST}]:{port} {host_pub}\n")
    cmd = [sys.executable, "-m", "tests.services.sftp", "--work", str(work), "--port", str(port), "--user", user]
    env = {"SFTP_TEST_PASSWORD": password, "PYTHONPATH": str(REPO_ROOT)}
    with run_server(cmd, port=port, what="asyncssh sftp", log=log, env=env, cwd=REPO_ROOT):
        yield SFTPService(
            HOST, port, user, password, root, work / "host_key.pub", known_hosts, work / "client_key", log
        )


async def _serve(work: Path, port: int, user: str, password: str) -> None:
    import asyncssh

    class Server(asyncssh.SSHServer):
        def begin_auth(self, username: str) -> bool:
            return True  # always require auth, even for unknown users

        def password_auth_supported(self) -> bool:
            return True

        def validate_password(self, username: str, pw: str) -> bool:
            return username == user and hmac.compare_digest(pw.encode(), password.encode())

    root = os.fsencode(work / "root")
    await asyncssh.listen(
        HOST,
        port,
        server_host_keys=[str(work / "host_key")],
        server_factory=Server,
        authorized_client_keys=str(work / "authorized_keys"),
        sftp_factory=lambda chan: asyncssh.SFTPServer(chan, chroot=root),
        allow_scp=False,
    )
    await asyncio.Event().wait()


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description="child process for tests.services.sftp")
    parser.add_argument("--work", required=True)
    parser.add_argument("--port", type=int, default=0)
    parser.add_argument("--user", default="mlflow")
    parser.add_argument("--selftest", action="store_true", help="start one and print timing")
    args = parser.parse_args()
    if args.selftest:
        t0 = time.monotonic()
        with start_sftp(Path(args.work)) as svc:
            print(f"ready in {time.monotonic() - t0:.2f}s: {svc}")
    else:
        asyncio.run(_serve(Path(args.work), args.port, args.user, os.environ["SFTP_TEST_PASSWORD"]))
