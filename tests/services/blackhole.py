"""TCP servers for timeout and connection-error tests.

``port`` accepts connections and never sends a byte (the peer hangs until its own timeout);
``closing_port`` accepts and closes at once (the peer sees EOF / connection reset).
Accepted sockets are held open until teardown, so the silent case stays silent.
"""

from __future__ import annotations

import socketserver
import threading
from collections.abc import Iterator
from contextlib import ExitStack, contextmanager
from dataclasses import dataclass

from ._common import HOST, serve_in_thread


@dataclass(frozen=True)
class BlackholeService:
    """Loopback ports that misbehave on purpose."""

    host: str
    port: int  # accepts, never answers
    closing_port: int  # accepts, closes immediately


class _Server(socketserver.ThreadingTCPServer):
    daemon_threads = True
    allow_reuse_address = True
    # A large backlog, so parallel connects all complete their handshake.
    request_queue_size = 128


class _SilentHandler(socketserver.BaseRequestHandler):
    def handle(self) -> None:
        # Wait until teardown (or the peer leaves); never write.
        stop: threading.Event = self.server.stop  # type: ignore[attr-defined]
        self.request.settimeout(0.2)
        while not stop.is_set():
            try:
                if self.request.recv(65536) == b"":
                    return
            except TimeoutError:
                continue
            except OSError:
                return


class _ClosingHandler(socketserver.BaseRequestHandler):
    def handle(self) -> None:
        return  # BaseServer closes the socket after handle() returns


@contextmanager
def start_blackhole(base: object = None) -> Iterator[BlackholeService]:
    """Start both servers in daemon threads on free loopback ports."""
    del base  # no files needed
    silent, closing = _Server((HOST, 0), _SilentHandler), _Server((HOST, 0), _ClosingHandler)
    silent.stop = threading.Event()  # type: ignore[attr-defined]
    with ExitStack() as stack:
        stack.enter_context(serve_in_thread(closing, "blackhole-closing"))
        stack.enter_context(serve_in_thread(silent, "blackhole-silent"))
        stack.callback(silent.stop.set)  # type: ignore[attr-defined]  # runs first: frees handlers
        yield BlackholeService(HOST, silent.server_address[1], closing.server_address[1])
