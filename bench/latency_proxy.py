"""A user-space TCP forwarder on loopback that delays every chunk, a stand-in for network distance.

The probe benchmark runs against servers on loopback, where a probe is mostly CPU (SDK
imports, SigV4, SSH key exchange) and the GIL serialises it. A real database or bucket is
milliseconds away: a probe then mostly waits, and waits overlap. This proxy simulates that
distance: each chunk read from one side is written to the other `--delay` seconds later (in
both directions, order kept), so a round trip costs 2 x delay. Not simulated: the TCP
handshake itself (the kernel completes it locally), bandwidth and loss.

Runs as its own process (so its work does not compete for the linter's GIL):
    python -m bench.latency_proxy --delay 0.025 LISTEN_PORT:HOST:PORT [...]
prints `ready` once every listener is up.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import time

HOST = "127.0.0.1"


async def _pump(reader: asyncio.StreamReader, writer: asyncio.StreamWriter, delay: float) -> None:
    """Copy reader -> writer, each chunk `delay` seconds after it was read (order kept)."""
    queue: asyncio.Queue[tuple[float, bytes]] = asyncio.Queue()

    async def deliver() -> None:
        while True:
            due, data = await queue.get()
            await asyncio.sleep(max(0.0, due - time.monotonic()))
            if not data:
                with contextlib.suppress(OSError):
                    writer.write_eof()
                return
            writer.write(data)
            await writer.drain()

    sender = asyncio.create_task(deliver())
    try:
        while True:
            data = await reader.read(65536)
            queue.put_nowait((time.monotonic() + delay, data))
            if not data:
                break
        await sender
    except (OSError, asyncio.CancelledError):
        sender.cancel()


async def _forward(
    client_r: asyncio.StreamReader, client_w: asyncio.StreamWriter, upstream: tuple[str, int], delay: float
) -> None:
    try:
        server_r, server_w = await asyncio.open_connection(*upstream)
    except OSError:
        client_w.close()
        return
    try:
        await asyncio.gather(_pump(client_r, server_w, delay), _pump(server_r, client_w, delay))
    finally:
        for w in (client_w, server_w):
            w.close()


async def serve(routes: list[tuple[int, str, int]], delay: float) -> None:
    servers = []
    for listen, host, port in routes:

        def handler(r: asyncio.StreamReader, w: asyncio.StreamWriter, up: tuple[str, int] = (host, port)) -> object:
            return _forward(r, w, up, delay)

        servers.append(await asyncio.start_server(handler, HOST, listen))
    print("ready", flush=True)
    await asyncio.gather(*(s.serve_forever() for s in servers))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--delay", type=float, default=0.025, help="seconds added to each chunk, each direction")
    parser.add_argument("routes", nargs="+", metavar="LISTEN_PORT:HOST:PORT")
    args = parser.parse_args()
    routes = [(int(a), h, int(p)) for a, h, p in (r.split(":") for r in args.routes)]
    with contextlib.suppress(KeyboardInterrupt):
        asyncio.run(serve(routes, args.delay))


if __name__ == "__main__":
    main()
