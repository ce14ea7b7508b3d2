"""tests/security: every attack of issue 12, replayed against rogue servers on loopback.

An audit hook (`sys.addaudithook`) records the address of every `socket.connect` made while a
test of this directory runs, and each test ends by asserting that none was link-local or a
cloud-metadata address. The linter's own guard hook is installed first, so an address it
refuses never reaches the recorder: what is recorded is what was really attempted.
"""

from __future__ import annotations

import ipaddress
import sys
from collections.abc import Iterator

import pytest

from mlflow_lint.probes import guard

from ..probes.conftest import probe_run  # noqa: F401  (the fixture, shared)

guard.install()  # before the recorder: hooks run in the order they were added

_RECORDED: list[tuple[str, object]] = []
_ON = [False]


def _record(event: str, args: tuple[object, ...]) -> None:
    if _ON[0] and event == "socket.connect":
        address = args[1]
        if isinstance(address, tuple) and address:
            _RECORDED.append((str(address[0]), address[1] if len(address) > 1 else None))


sys.addaudithook(_record)


def _link_local(host: str) -> bool:
    try:
        address = ipaddress.ip_address(host.split("%", 1)[0])
    except ValueError:
        return host.lower().rstrip(".") in ("metadata.google.internal", "metadata")
    if isinstance(address, ipaddress.IPv6Address) and address.ipv4_mapped is not None:
        address = address.ipv4_mapped
    return address.is_link_local or str(address) in ("169.254.169.254", "fd00:ec2::254", "100.100.100.200")


@pytest.fixture(autouse=True)
def contacted() -> Iterator[list[tuple[str, object]]]:
    """Every (host, port) this test connected to; afterwards: none may be link-local."""
    _RECORDED.clear()
    _ON[0] = True
    try:
        yield _RECORDED
    finally:
        _ON[0] = False
    seen = list(_RECORDED)
    assert not [a for a in seen if _link_local(a[0])], seen
    assert all(host in ("127.0.0.1", "::1", "localhost") for host, _ in seen), seen
