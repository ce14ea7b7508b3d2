"""Shared plumbing: free ports, readiness polling, process teardown, binary lookup."""

from __future__ import annotations

import http.server
import os
import shutil
import signal
import socket
import socketserver
import subprocess
import sysconfig
import tempfile
import threading
import time
from collections.abc import Iterator, Mapping, Sequence
from contextlib import contextmanager
from pathlib import Path

HOST = "127.0.0.1"
REPO_ROOT = Path(__file__).resolve().parents[2]
INSTALL_HINT = "run `.ci/install-services.sh <venv-or-python>` as root to install the test servers"
# Generous: a loaded 2-core CI box can be slow, but a hung start must still end clearly.
READY_TIMEOUT = 30.0


class ServiceMissingError(RuntimeError):
    """A server binary or package is missing; the fixture turns this into a test failure."""


class ServiceStartError(RuntimeError):
    """A server was found but did not come up."""


def services_dir() -> Path:
    """Where non-Python servers (Azurite) are installed; mirrors install-services.sh."""
    return Path(os.environ.get("MLFLOW_LINT_SERVICES_DIR", REPO_ROOT / ".test-services"))


def find_executable(name: str) -> str:
    """Find ``name`` next to this interpreter first (pip-installed servers), then on PATH."""
    beside = Path(sysconfig.get_path("scripts")) / name
    if beside.is_file() and os.access(beside, os.X_OK):
        return str(beside)
    found = shutil.which(name)
    if found is None:
        raise ServiceMissingError(f"`{name}` not found; {INSTALL_HINT}")
    return found


def make_dir(base: object, name: str) -> Path:
    """A fresh directory for one server: from a pytest TempPathFactory, or under a path."""
    mktemp = getattr(base, "mktemp", None)
    if callable(mktemp):
        return Path(mktemp(name))
    return Path(tempfile.mkdtemp(prefix=f"{name}-", dir=str(base)))


def free_port() -> int:
    """A port the kernel just considered free. External binaries need the number up front;
    the tiny race with other processes is accepted (ephemeral ports are randomised)."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind((HOST, 0))
        return int(sock.getsockname()[1])


def log_tail(path: Path | None, lines: int = 25) -> str:
    """The last lines of a server log, for error messages."""
    if path is None or not path.exists():
        return "(no log)"
    text = path.read_text(errors="replace").splitlines()
    return "\n".join(text[-lines:]) or "(log empty)"


def wait_for_port(
    port: int,
    *,
    what: str,
    proc: subprocess.Popen[bytes] | None = None,
    log: Path | None = None,
    timeout: float = READY_TIMEOUT,
) -> None:
    """Poll a TCP connect until it succeeds; fail fast if the process exits meanwhile."""
    deadline = time.monotonic() + timeout
    while True:
        if proc is not None and proc.poll() is not None:
            raise ServiceStartError(
                f"{what} exited with code {proc.returncode} before listening on {HOST}:{port}\n"
                f"--- log tail ---\n{log_tail(log)}"
            )
        try:
            with socket.create_connection((HOST, port), timeout=0.5):
                return
        except OSError:
            pass
        if time.monotonic() > deadline:
            raise ServiceStartError(
                f"{what} not listening on {HOST}:{port} after {timeout:.0f}s\n--- log tail ---\n{log_tail(log)}"
            )
        time.sleep(0.02)


def stop_process(proc: subprocess.Popen[bytes], timeout: float = 10.0) -> None:
    """SIGTERM the process group (servers may fork helpers), then SIGKILL if it lingers."""
    if proc.poll() is not None:
        return
    for sig in (signal.SIGTERM, signal.SIGKILL):
        try:
            os.killpg(proc.pid, sig)
        except ProcessLookupError:
            return
        try:
            proc.wait(timeout=timeout)
            return
        except subprocess.TimeoutExpired:
            continue


@contextmanager
def run_server(
    cmd: Sequence[str],
    *,
    port: int,
    what: str,
    log: Path,
    env: Mapping[str, str] | None = None,
    cwd: Path | None = None,
    output: Path | None = None,
    stop_timeout: float = 10.0,
) -> Iterator[subprocess.Popen[bytes]]:
    """Start ``cmd`` in its own session, wait for the port, stop it afterwards.

    stdout/stderr go to ``output`` (default ``log``); ``log`` is what errors quote, for servers
    that write their real log elsewhere themselves.
    """
    full_env = {**os.environ, **(env or {})}
    with (output or log).open("ab") as out:
        # start_new_session: a process group we can signal as a whole, and Ctrl-C in the
        # terminal does not hit the server before the fixture's own teardown runs.
        proc = subprocess.Popen(
            list(cmd),
            stdin=subprocess.DEVNULL,
            stdout=out,
            stderr=subprocess.STDOUT,
            env=full_env,
            cwd=cwd,
            start_new_session=True,
        )
    try:
        try:
            wait_for_port(port, what=what, proc=proc, log=log)
        except ServiceStartError as exc:
            if output is None or output == log:
                raise
            raise ServiceStartError(f"{exc}\n--- output tail ---\n{log_tail(output)}") from None
        yield proc
    finally:
        stop_process(proc, timeout=stop_timeout)


@contextmanager
def serve_in_thread(server: socketserver.BaseServer, name: str) -> Iterator[None]:
    """Run a stdlib socketserver in a daemon thread; shut it down and close it afterwards."""
    thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.05}, name=name, daemon=True)
    thread.start()
    try:
        yield
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=5)


class QuietHandler(http.server.BaseHTTPRequestHandler):
    """A request handler that logs to ``server.log_path`` (if set) instead of stderr,
    so in-process stubs do not clutter test output."""

    protocol_version = "HTTP/1.1"  # keep-alive, like real object stores; clients pool sockets

    def log_message(self, format: str, *args: object) -> None:
        path = getattr(self.server, "log_path", None)
        if path is not None:
            with open(path, "a", encoding="utf-8") as fh:
                fh.write(f"{self.address_string()} {format % args}\n")

    def send_body(self, status: int, body: bytes, content_type: str, headers: Mapping[str, str] | None = None) -> None:
        """Send a complete response with Content-Length (no body for HEAD)."""
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(body)))
        for key, value in (headers or {}).items():
            self.send_header(key, value)
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(body)
