"""The fences of the probe phase: what environment the probes see, which addresses they may reach.

A pull request controls the values the probes read, while CI holds credentials. Two fences
hold whatever a probe's client library does:

- `environment()`: for the phase, the variables through which client libraries pick up the
  machine's own credentials and configuration files are removed (`PG*`, `MYSQL*`, and, unless
  the user passed `--probe-ambient-credentials`, the cloud SDKs' variables); libpq's password
  and service files point into an empty temporary directory; the SDKs' instance-metadata
  look-ups are switched off.
- an audit hook (`sys.addaudithook`, which cannot be removed, so it is installed once and
  acts only while a phase runs, in this process and in the children forked during it): a
  `socket.connect` to a link-local or cloud-metadata address is refused (`ForbiddenAddress`),
  whatever name led there. Drivers written in C (libpq, libmysqlclient, ODBC) do not pass
  through Python's sockets; their hosts are resolved and checked before they connect
  (`check_host`; a DNS answer that changes between that check and the driver's own look-up
  is not seen).
"""

from __future__ import annotations

import ipaddress
import os
import socket
import sys
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager

# Names and addresses of instance-metadata services (AWS, GCP, Azure, Alibaba Cloud).
METADATA_HOSTS = frozenset(
    {"169.254.169.254", "fd00:ec2::254", "metadata.google.internal", "metadata", "100.100.100.200", "169.254.170.2"}
)
LINK_LOCAL = (ipaddress.ip_network("169.254.0.0/16"), ipaddress.ip_network("fe80::/10"))
# Always removed: libpq and libmysqlclient read passwords, password files and hosts from them.
DATABASE_PREFIXES = ("PG", "MYSQL", "LIBMYSQL_")
# Removed unless the user allows the machine's own credentials (`--probe-ambient-credentials`).
AMBIENT_PREFIXES = (
    "AWS_",
    "BOTO_",
    "GOOGLE_",
    "GCLOUD_",
    "CLOUDSDK_",
    "GCE_",
    "AZURE_",
    "MSI_",
    "IDENTITY_",
    "ALIBABA_CLOUD_",
    "ALICLOUD_",
    "OSS_",
)
AMBIENT_NAMES = ("STORAGE_EMULATOR_HOST",)

_active = 0  # phases running (in this process; a forked child inherits the count)
_hooked = False


class ForbiddenAddress(ConnectionRefusedError):
    """A probe tried to reach a link-local or metadata address; nothing was sent."""


def forbidden(host: str) -> bool:
    """Whether `host` (a name or an address literal) is a metadata or link-local address."""
    name = host.strip("[]").lower().rstrip(".")
    if name in METADATA_HOSTS:
        return True
    try:
        address = ipaddress.ip_address(name.split("%", 1)[0])
    except ValueError:
        return False
    if isinstance(address, ipaddress.IPv6Address) and address.ipv4_mapped is not None:
        address = address.ipv4_mapped
    return str(address) in METADATA_HOSTS or any(address in net for net in LINK_LOCAL)


def check_host(host: str, port: int | None) -> None:
    """Resolve `host` and raise ForbiddenAddress if it or any of its addresses is forbidden
    (for drivers in C, whose connections the audit hook does not see)."""
    if forbidden(host):
        raise ForbiddenAddress(f"{host} is a link-local or metadata address")
    try:
        infos = socket.getaddrinfo(host, port or 0, type=socket.SOCK_STREAM)
    except OSError:
        return  # the driver reports the DNS failure itself
    if any(forbidden(str(info[4][0])) for info in infos):
        raise ForbiddenAddress(f"{host} resolves to a link-local or metadata address")


def _audit(event: str, args: tuple[object, ...]) -> None:
    if not _active:
        return
    if event == "socket.getaddrinfo":
        host = args[0]
        if isinstance(host, (str, bytes)) and forbidden(host.decode() if isinstance(host, bytes) else host):
            raise ForbiddenAddress(f"{host!r} is a metadata address")
    elif event == "socket.connect":
        address = args[1]
        if isinstance(address, tuple) and address and isinstance(address[0], str):
            _check_connect(address[0], address[1] if len(address) > 1 else 0)


def _check_connect(host: str, port: object) -> None:
    if forbidden(host):
        raise ForbiddenAddress(f"{host} is a link-local or metadata address")
    try:
        ipaddress.ip_address(host.split("%", 1)[0])
        return  # an address literal, checked above
    except ValueError:
        pass
    # A name: socket.connect resolves it in C; resolve it here too and check every address.
    check_host(host, port if isinstance(port, int) else None)


def install() -> None:
    """Add the audit hook once per process (hooks cannot be removed; it is idle between phases)."""
    global _hooked
    if not _hooked:
        sys.addaudithook(_audit)
        _hooked = True


@contextmanager
def fenced(ambient: bool) -> Iterator[str]:
    """The probe phase: the audit hook active and the environment stripped; yields an empty
    temporary directory (for files libpq must not find)."""
    global _active
    install()
    with tempfile.TemporaryDirectory(prefix="mlflow-lint-probe-") as empty, environment(ambient, empty):
        _active += 1
        try:
            yield empty
        finally:
            _active -= 1


@contextmanager
def environment(ambient: bool, empty: str) -> Iterator[None]:
    """os.environ for the phase (restored afterwards): see the module docstring."""
    saved = dict(os.environ)
    try:
        for name in list(os.environ):
            if name.startswith(DATABASE_PREFIXES) or (
                not ambient and (name.startswith(AMBIENT_PREFIXES) or name in AMBIENT_NAMES)
            ):
                del os.environ[name]
        os.environ.update(probe_variables(ambient, empty))
        yield
    finally:
        os.environ.clear()
        os.environ.update(saved)


def probe_variables(ambient: bool, empty: str) -> dict[str, str]:
    """What the phase sets: files that do not exist, metadata services switched off."""
    nowhere = os.path.join(empty, "none")
    out = {
        # libpq: no password file, no service file, no client certificate of this machine
        "PGPASSFILE": nowhere,
        "PGSERVICEFILE": nowhere,
        "PGSYSCONFDIR": empty,
        "PGSSLCERT": nowhere,
        "PGSSLKEY": nowhere,
        # botocore: never the instance metadata service (IMDS)
        "AWS_EC2_METADATA_DISABLED": "true",
        # google-auth: never the GCE metadata server (a closed loopback port answers at once)
        "GCE_METADATA_HOST": "127.0.0.1:9",
        "GCE_METADATA_IP": "127.0.0.1:9",
        "NO_GCE_CHECK": "true",
    }
    if not ambient:
        out.update(
            {
                "AWS_CONFIG_FILE": nowhere,
                "AWS_SHARED_CREDENTIALS_FILE": nowhere,
                "CLOUDSDK_CONFIG": empty,
                "AZURE_CONFIG_DIR": empty,
            }
        )
    return out
