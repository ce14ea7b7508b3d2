"""Rogue servers on loopback, written for these tests: each plays the attacker's end of a probe
and records what the probe sent it.

- `RogueMySQL`: the MySQL wire protocol just far enough (handshake v10, accepts any login),
  then answers the first query with a LOCAL INFILE request (0xFB + a file name) and records
  whatever the client sends back.
- `RoguePostgres`: the PostgreSQL start-up protocol: declines SSL/GSS, then asks for a
  cleartext password (AuthenticationCleartextPassword) and records the PasswordMessage.
- `HeaderLog`: an HTTP server that logs every request line and header and answers as a
  tiny S3 or GCS endpoint would (configurable status, optional stall on GET of an object).
"""

from __future__ import annotations

import http.server
import socket
import socketserver
import struct
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager

HOST = "127.0.0.1"


class _Server(socketserver.ThreadingTCPServer):
    daemon_threads = True
    allow_reuse_address = True


@contextmanager
def _serving(handler: type[socketserver.BaseRequestHandler], state: object) -> Iterator[int]:
    server = _Server((HOST, 0), handler)
    server.state = state  # type: ignore[attr-defined]
    thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True)
    thread.start()
    try:
        yield server.server_address[1]
    finally:
        server.shutdown()
        server.server_close()


def _read_exactly(sock: socket.socket, count: int) -> bytes:
    data = b""
    while len(data) < count:
        chunk = sock.recv(count - len(data))
        if not chunk:
            raise ConnectionError("closed")
        data += chunk
    return data


# --- MySQL -----------------------------------------------------------------------------------


class MySQLState:
    def __init__(self, infile: str) -> None:
        self.infile = infile
        self.connections = 0
        self.queries: list[bytes] = []
        self.received = b""  # everything the client sent after the LOCAL INFILE request


def _mysql_packet(seq: int, payload: bytes) -> bytes:
    return struct.pack("<I", len(payload))[:3] + bytes([seq]) + payload


def _mysql_read(sock: socket.socket) -> tuple[int, bytes]:
    header = _read_exactly(sock, 4)
    length = int.from_bytes(header[:3], "little")
    return header[3], _read_exactly(sock, length)


class _MySQLHandler(socketserver.BaseRequestHandler):
    def handle(self) -> None:
        state: MySQLState = self.server.state  # type: ignore[attr-defined]
        state.connections += 1
        sock = self.request
        sock.settimeout(5)
        # CLIENT_LONG_PASSWORD | CONNECT_WITH_DB | LOCAL_FILES | PROTOCOL_41 | TRANSACTIONS
        # | SECURE_CONNECTION | PLUGIN_AUTH
        caps = 0x1 | 0x8 | 0x80 | 0x200 | 0x2000 | 0x8000 | 0x80000
        salt = b"abcdefghijklmnopqrst"
        handshake = (
            b"\x0a"
            + b"5.7.99-rogue\x00"
            + struct.pack("<I", 7)
            + salt[:8]
            + b"\x00"
            + struct.pack("<H", caps & 0xFFFF)
            + b"\x21"
            + struct.pack("<H", 2)
            + struct.pack("<H", caps >> 16)
            + bytes([21])
            + b"\x00" * 10
            + salt[8:]
            + b"\x00"
            + b"mysql_native_password\x00"
        )
        try:
            sock.sendall(_mysql_packet(0, handshake))
            seq, _ = _mysql_read(sock)  # the login: accepted whatever it holds
            sock.sendall(_mysql_packet(seq + 1, b"\x00\x00\x00\x02\x00\x00\x00"))
            ok = b"\x00\x00\x00\x02\x00\x00\x00"
            while True:
                seq, command = _mysql_read(sock)
                if command[:1] != b"\x03":  # not COM_QUERY (COM_QUIT...): done
                    return
                state.queries.append(command[1:])
                if command[1:4].upper() == b"SET":  # the client's own set-up (SET NAMES): fine
                    sock.sendall(_mysql_packet(seq + 1, ok))
                    continue
                sock.sendall(_mysql_packet(seq + 1, b"\xfb" + state.infile.encode()))
                while True:  # the file, in packets, ends with an empty one
                    seq, chunk = _mysql_read(sock)
                    if not chunk:
                        break
                    state.received += chunk
                sock.sendall(_mysql_packet(seq + 1, ok))
        except (OSError, ConnectionError):
            return


@contextmanager
def rogue_mysql(infile: str) -> Iterator[tuple[int, MySQLState]]:
    state = MySQLState(infile)
    with _serving(_MySQLHandler, state) as port:
        yield port, state


# --- PostgreSQL -------------------------------------------------------------------------------


class PostgresState:
    def __init__(self) -> None:
        self.connections = 0
        self.startup: list[bytes] = []
        self.passwords: list[bytes] = []


class _PostgresHandler(socketserver.BaseRequestHandler):
    def handle(self) -> None:
        state: PostgresState = self.server.state  # type: ignore[attr-defined]
        state.connections += 1
        sock = self.request
        sock.settimeout(5)
        try:
            while True:  # SSLRequest / GSSENCRequest come first: decline them
                length = struct.unpack("!I", _read_exactly(sock, 4))[0]
                body = _read_exactly(sock, length - 4)
                code = struct.unpack("!I", body[:4])[0]
                if code in (80877103, 80877104):
                    sock.sendall(b"N")
                    continue
                state.startup.append(body)
                break
            sock.sendall(b"R" + struct.pack("!II", 8, 3))  # AuthenticationCleartextPassword
            kind = _read_exactly(sock, 1)
            length = struct.unpack("!I", _read_exactly(sock, 4))[0]
            body = _read_exactly(sock, length - 4)
            if kind == b"p":
                state.passwords.append(body.rstrip(b"\x00"))
            message = b"SFATAL\x00C28P01\x00Mpassword authentication failed for user\x00\x00"
            sock.sendall(b"E" + struct.pack("!I", len(message) + 4) + message)
        except (OSError, ConnectionError):
            return


@contextmanager
def rogue_postgres() -> Iterator[tuple[int, PostgresState]]:
    state = PostgresState()
    with _serving(_PostgresHandler, state) as port:
        yield port, state


# --- HTTP (S3 / GCS) ---------------------------------------------------------------------------


class HttpState:
    def __init__(self, status: int = 200, stall_get: float = 0.0) -> None:
        self.status = status
        self.stall_get = stall_get  # seconds a GET of an object (not a listing) hangs
        self.requests: list[tuple[str, str, dict[str, str]]] = []  # (method, path, headers)
        self.objects: dict[str, bytes] = {}

    def methods(self) -> list[str]:
        return [method for method, _, _ in self.requests]

    def all_text(self) -> str:
        return "\n".join(f"{m} {p} " + " ".join(f"{k}: {v}" for k, v in h.items()) for m, p, h in self.requests)


class _HttpHandler(http.server.BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def log_message(self, format: str, *args: object) -> None:
        return

    def _record(self) -> bytes:
        state: HttpState = self.server.state  # type: ignore[attr-defined]
        state.requests.append((self.command, self.path, dict(self.headers.items())))
        length = int(self.headers.get("Content-Length") or 0)
        return self.rfile.read(length) if length else b""

    def _answer(self, status: int, body: bytes = b"", kind: str = "application/xml") -> None:
        self.send_response(status)
        self.send_header("Content-Type", kind)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(body)

    def do_HEAD(self) -> None:
        state: HttpState = self.server.state  # type: ignore[attr-defined]
        self._record()
        self._answer(state.status)

    def do_GET(self) -> None:
        state: HttpState = self.server.state  # type: ignore[attr-defined]
        self._record()
        if state.status != 200:
            self._answer(state.status, b"<Error><Code>InternalError</Code></Error>")
            return
        path = self.path.split("?", 1)[0]
        if "list-type=2" in self.path or path.count("/") < 2:
            body = (
                b'<?xml version="1.0" encoding="UTF-8"?><ListBucketResult><Name>b</Name><KeyCount>0</KeyCount>'
                b"<MaxKeys>1</MaxKeys><IsTruncated>false</IsTruncated></ListBucketResult>"
            )
            self._answer(200, body)
            return
        if state.stall_get:
            time.sleep(state.stall_get)
        self._answer(200, state.objects.get(path, b""), "application/octet-stream")

    def do_PUT(self) -> None:
        state: HttpState = self.server.state  # type: ignore[attr-defined]
        state.objects[self.path.split("?", 1)[0]] = self._record()
        self._answer(200)

    def do_DELETE(self) -> None:
        state: HttpState = self.server.state  # type: ignore[attr-defined]
        self._record()
        state.objects.pop(self.path.split("?", 1)[0], None)
        self._answer(204)

    def do_POST(self) -> None:
        self._record()
        self._answer(400, b'{"error": "invalid_grant"}', "application/json")


class _HttpServer(http.server.ThreadingHTTPServer):
    daemon_threads = True


@contextmanager
def header_log(status: int = 200, stall_get: float = 0.0) -> Iterator[tuple[int, HttpState]]:
    state = HttpState(status, stall_get)
    server = _HttpServer((HOST, 0), _HttpHandler)
    server.state = state  # type: ignore[attr-defined]
    thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True)
    thread.start()
    try:
        yield server.server_address[1], state
    finally:
        server.shutdown()
        server.server_close()
