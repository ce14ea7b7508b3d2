"""Session-scoped pytest fixtures for the throwaway test servers.

Register from tests/conftest.py with ``pytest_plugins = ["tests.services.fixtures"]``.
A missing server FAILS the requesting test (never skips): probe tests must not silently
vanish in CI. Every server is started lazily, on first use, and stopped at session end.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterator
from contextlib import AbstractContextManager
from typing import TypeVar

import pytest

from ._common import ServiceMissingError, ServiceStartError
from .azurite import AzuriteService, start_azurite
from .blackhole import BlackholeService, start_blackhole
from .ftp import FTPService, start_ftp
from .gcs import GCSService, start_gcs
from .mariadb import MariaDBService, start_mariadb
from .oss_stub import OSSService, start_oss
from .postgres import PostgresService, start_postgres
from .s3 import S3Service, start_s3
from .sftp import SFTPService, start_sftp

T = TypeVar("T")

# name -> seconds from start request to ready; printed in the terminal summary.
STARTUP_TIMES: dict[str, float] = {}


def _serve(name: str, start: Callable[[object], AbstractContextManager[T]], base: object) -> Iterator[T]:
    t0 = time.monotonic()
    cm = start(base)
    try:
        svc = cm.__enter__()
    except (ServiceMissingError, ServiceStartError) as exc:
        problem = str(exc)
    else:
        problem = ""
    if problem:  # outside the except block, so the report is not a chained traceback
        pytest.fail(f"{name} test server unavailable: {problem}", pytrace=False)
    STARTUP_TIMES[name] = time.monotonic() - t0
    try:
        yield svc
    finally:
        cm.__exit__(None, None, None)


@pytest.fixture(scope="session")
def postgres_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[PostgresService]:
    """A throwaway PostgreSQL cluster; ``.url()`` is a psycopg SQLAlchemy URL for user mlflow."""
    yield from _serve("postgres", start_postgres, tmp_path_factory)


@pytest.fixture(scope="session")
def mariadb_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[MariaDBService]:
    """A throwaway MariaDB; ``.url()`` is a PyMySQL SQLAlchemy URL for mlflow@127.0.0.1."""
    yield from _serve("mariadb", start_mariadb, tmp_path_factory)


@pytest.fixture(scope="session")
def s3_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[S3Service]:
    """rclone serve s3 (SigV4 verified) with bucket ``mlflow-artifacts``."""
    yield from _serve("s3", start_s3, tmp_path_factory)


@pytest.fixture(scope="session")
def azurite_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[AzuriteService]:
    """Azurite blob with a random account key and container ``mlflow-artifacts``."""
    yield from _serve("azurite", start_azurite, tmp_path_factory)


@pytest.fixture(scope="session")
def gcs_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[GCSService]:
    """fake-gcs-server + OAuth token stub; service-account JSONs (good and wrong-key)."""
    yield from _serve("gcs", start_gcs, tmp_path_factory)


@pytest.fixture(scope="session")
def ftp_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[FTPService]:
    """pyftpdlib with user ``mlflow`` and a random password."""
    yield from _serve("ftp", start_ftp, tmp_path_factory)


@pytest.fixture(scope="session")
def sftp_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[SFTPService]:
    """asyncssh SFTP (chrooted) with password and client-key auth; ``.known_hosts`` ready."""
    yield from _serve("sftp", start_sftp, tmp_path_factory)


@pytest.fixture(scope="session")
def oss_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[OSSService]:
    """The project-owned OSS stand-in (V1 signatures) with bucket ``mlflow-artifacts``."""
    yield from _serve("oss", start_oss, tmp_path_factory)


@pytest.fixture(scope="session")
def blackhole_server() -> Iterator[BlackholeService]:
    """``.port`` accepts and never answers; ``.closing_port`` accepts and closes."""
    yield from _serve("blackhole", start_blackhole, None)


def pytest_terminal_summary(terminalreporter: pytest.TerminalReporter) -> None:
    """Report server start-up times, so a slow fixture is visible in CI logs."""
    if STARTUP_TIMES:
        times = ", ".join(f"{k} {v:.2f}s" for k, v in STARTUP_TIMES.items())
        terminalreporter.write_line(f"test servers started: {times}")


def pytest_configure(config: pytest.Config) -> None:
    """Declare the marker here too, so the plugin works before pyproject.toml lists it."""
    config.addinivalue_line("markers", "services: needs a real test server from tests/services")
