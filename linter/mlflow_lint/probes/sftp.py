"""SFTP artifact stores (`sftp://user[:pass]@host[:port]/path`): paramiko, login and stat.

Host keys: the server's key must be in `--probe-known-hosts FILE` or `~/.ssh/known_hosts`
(MLflow's pysftp demands the same). An unknown host key is never accepted: the probe stops
with `error` and says how to record it. A changed key is `fail`. With a password in the URI
only password auth is tried; without one, the linter's own SSH keys are offered (the pod
would use its own). `timeout`, `banner_timeout` and `auth_timeout` come from the deadline.
"""

from __future__ import annotations

import os
import socket
import uuid
from urllib.parse import unquote, urlsplit

from mlflow_lint.probes.base import (
    ERROR,
    FAIL,
    MARKER_PREFIX,
    OK,
    Budget,
    Declaration,
    Outcome,
    Target,
    kind,
    missing_sdk,
    round_trip,
)
from mlflow_lint.probes.base import network_reason as _network

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any


def probe(target: Target, budget: Budget) -> Outcome:
    """Check the host key, log in, stat the path."""
    try:
        import paramiko
    except ImportError:
        return missing_sdk(PROBE, "paramiko")
    parts = urlsplit(target.uri)
    host, port = parts.hostname or "localhost", parts.port or 22
    where = f"{host}:{port}"
    known = budget.known_hosts or os.path.expanduser("~/.ssh/known_hosts")
    client = paramiko.SSHClient()
    try:
        if os.path.isfile(known):
            client.load_host_keys(known)
        client.set_missing_host_key_policy(paramiko.RejectPolicy())
        _connect(client, host, port, parts, budget)
        return _stat(client.open_sftp(), unquote(parts.path or "/"), where, budget)
    except Exception as exc:
        return classify(exc, where, parts.username or "", known)
    finally:
        client.close()


def _connect(client: Any, host: str, port: int, parts: Any, budget: Budget) -> None:
    seconds = budget.remaining()
    password = unquote(parts.password) if parts.password else None
    client.connect(
        host,
        port,
        username=unquote(parts.username or "") or None,
        password=password,
        timeout=seconds,
        banner_timeout=seconds,
        auth_timeout=seconds,
        allow_agent=password is None and budget.ambient,
        look_for_keys=password is None and budget.ambient,
        sock=_socket(host, port, seconds),
    )


def _socket(host: str, port: int, seconds: float) -> socket.socket:
    """A connected socket with Nagle off. paramiko leaves Nagle on, so two small SSH packets
    sent back to back wait for the server's delayed ACK (40 ms or more each time on Linux):
    on loopback that was 90 of the probe's 95 ms; OpenSSH's client also sets TCP_NODELAY."""
    sock = socket.create_connection((host, port), timeout=seconds)
    sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
    return sock


def _stat(sftp: Any, path: str, where: str, budget: Budget) -> Outcome:
    try:
        sftp.stat(path)
    except FileNotFoundError:
        return Outcome(OK, f"logged in to {where}; `{path}` does not exist yet (MLflow creates it on upload)")
    outcome = Outcome(OK, f"logged in to {where} and found `{path}`")
    return _write(sftp, path, outcome, budget) if budget.write else outcome


def _write(sftp: Any, path: str, read: Outcome, budget: Budget) -> Outcome:
    name = f"{path.rstrip('/')}/{MARKER_PREFIX}{uuid.uuid4().hex}"  # a path: keeps its leading slash

    def put(body: bytes) -> None:
        with sftp.open(name, "wb") as handle:
            handle.write(body)

    def get() -> bytes:
        with sftp.open(name, "rb") as handle:
            return handle.read()

    return round_trip(name, put, get, lambda: sftp.remove(name), read, budget)


def classify(exc: Exception, where: str, user: str, known: str) -> Outcome:
    import paramiko

    if isinstance(exc, paramiko.BadHostKeyException):
        return Outcome(
            FAIL,
            f"the host key of {where} differs from the one in {known}: a changed server or a "
            "man in the middle; pysftp in the pod refuses it too",
        )
    if isinstance(exc, paramiko.AuthenticationException):
        return Outcome(FAIL, f"{where} rejected user `{user}` ({kind(exc)}): wrong user, password or key")
    if isinstance(exc, paramiko.SSHException) and "not found in known_hosts" in str(exc):
        return Outcome(
            ERROR,
            f"the host key of {where} is not in {known}: it was not accepted blindly. Check the "
            "key out of band, then record it (`ssh-keyscan -p PORT HOST >> FILE`) and pass "
            "--probe-known-hosts FILE; the pod's pysftp needs it in its known_hosts too",
        )
    return (
        _network(exc, where, 0)
        if not _is_timeout_text(exc)
        else Outcome(ERROR, f"no answer from {where} within the deadline ({kind(exc)})")
    )


def _is_timeout_text(exc: Exception) -> bool:
    text = str(exc).lower()
    return "timeout" in text or "timed out" in text or "banner" in text


PROBE = Declaration(
    name="sftp",
    group="artifacts",
    run=probe,
    action="check the host key, log in, stat the path",
    sdk=("paramiko",),
    extra="sftp",
    packages="paramiko",
    import_seconds={"paramiko": 0.15},
)
