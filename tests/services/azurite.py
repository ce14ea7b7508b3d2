"""Azure Blob Storage: Azurite (npm ``azurite@3.35.0``, installed by .ci/install-services.sh).

Runs with a random custom account (``AZURITE_ACCOUNTS``) rather than the well-known
devstoreaccount1 key, so a test cannot pass by accident with the documented default key.
``--skipApiVersionCheck`` is required: current azure-storage-blob sends an API version newer
than Azurite knows and every call would fail with InvalidHeaderValue.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import secrets
import time
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from email.utils import formatdate
from pathlib import Path

from ._common import (
    HOST,
    INSTALL_HINT,
    ServiceMissingError,
    ServiceStartError,
    free_port,
    make_dir,
    run_server,
    services_dir,
)


@dataclass(frozen=True)
class AzuriteService:
    """A running Azurite blob endpoint with one pre-created container."""

    host: str
    port: int
    account_name: str
    account_key: str
    container: str
    data_dir: Path
    log_file: Path

    @property
    def blob_endpoint(self) -> str:
        """The account URL (Azurite is path-style: the account is the first path segment)."""
        return f"http://{self.host}:{self.port}/{self.account_name}"

    def connection_string(self, account_key: str | None = None) -> str:
        """A connection string; pass another ``account_key`` for negative tests."""
        return (
            f"DefaultEndpointsProtocol=http;AccountName={self.account_name};"
            f"AccountKey={account_key or self.account_key};BlobEndpoint={self.blob_endpoint};"
        )


def _azurite_bin() -> Path:
    path = services_dir() / "node" / "node_modules" / ".bin" / "azurite-blob"
    if not path.exists():
        raise ServiceMissingError(f"Azurite not found at {path}; {INSTALL_HINT}")
    return path


def _create_container(svc: AzuriteService) -> None:
    """PUT a container with a hand-made SharedKey signature, so the fixture needs no Azure SDK."""
    version = "2021-08-06"
    date = formatdate(usegmt=True)
    path = f"/{svc.account_name}/{svc.container}"
    # Canonicalized resource for path-style emulator URLs: /account + the full URL path.
    to_sign = (
        "PUT\n" + "\n" * 11 + f"x-ms-date:{date}\nx-ms-version:{version}\n/{svc.account_name}{path}\nrestype:container"
    )
    sig = base64.b64encode(hmac.new(base64.b64decode(svc.account_key), to_sign.encode(), hashlib.sha256).digest())
    req = urllib.request.Request(
        f"http://{svc.host}:{svc.port}{path}?restype=container",
        method="PUT",
        headers={
            "x-ms-date": date,
            "x-ms-version": version,
            "Content-Length": "0",
            "Authorization": f"SharedKey {svc.account_name}:{sig.decode()}",
        },
    )
    with urllib.request.urlopen(req, timeout=10) as resp:
        if resp.status != 201:
            raise ServiceStartError(f"Azurite create container: HTTP {resp.status}")


@contextmanager
def start_azurite(base: object, container: str = "mlflow-artifacts") -> Iterator[AzuriteService]:
    """Start azurite-blob on a free loopback port with a fresh account and key."""
    binary = _azurite_bin()
    work = make_dir(base, "azurite")
    data, log = work / "data", work / "azurite.log"
    data.mkdir()
    account, key = "mlflowtest", base64.b64encode(secrets.token_bytes(64)).decode()
    port = free_port()
    cmd = [str(binary), "--blobHost", HOST, "--blobPort", str(port), "--location", str(data)]
    # --debug: the request log is the only place Azurite explains a 403; errors quote its tail.
    cmd += ["--silent", "--disableTelemetry", "--skipApiVersionCheck", "--debug", str(work / "debug.log")]
    env = {"AZURITE_ACCOUNTS": f"{account}:{key}"}
    # cwd=work: Azurite drops stray files into the current directory in some modes.
    with run_server(cmd, port=port, what="azurite-blob", log=work / "debug.log", output=log, env=env, cwd=work):
        svc = AzuriteService(HOST, port, account, key, container, data, log)
        _create_container(svc)
        yield svc


if __name__ == "__main__":  # manual check: python -m tests.services.azurite
    import tempfile

    t0 = time.monotonic()
    with start_azurite(Path(tempfile.mkdtemp())) as svc:
        print(f"ready in {time.monotonic() - t0:.2f}s: {svc.blob_endpoint}")
