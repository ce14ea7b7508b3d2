"""Backend-store probe: connect as the pod would, `SELECT 1`, compare the schema revision.

Server databases go through SQLAlchemy with the driver the URI names, a NullPool and the
driver's own connect/read timeouts from the deadline. Only reads are made: `SELECT 1`, the
table names, `SELECT version_num FROM alembic_version`. SQLite files are opened read-only
with the stdlib (SQLAlchemy would create a missing file). MSSQL: no SQL Server exists in
any registry this project can install from, so only its failure paths are tested.
"""

from __future__ import annotations

import os
import sqlite3
from contextlib import closing
from dataclasses import dataclass
from urllib.parse import parse_qsl, quote

from mlflow_lint.probes import guard, schema_heads
from mlflow_lint.probes.base import (
    ERROR,
    FAIL,
    OK,
    SKIPPED,
    Budget,
    Declaration,
    Outcome,
    Target,
    chain,
    forbidden_outcome,
    kind,
    missing_package,
    missing_sdk,
    network_reason,
)
from mlflow_lint.uris import DbUri, parse_db_uri
from mlflow_lint.versions import parse_version

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any

# The only drivers a probe loads: (dialect, driver as written) -> (SQLAlchemy's name, the DBAPI
# module, the package that brings it). A driver not listed is never imported: the name comes
# from the values, and importing it would run whatever module it names. A URI without a driver
# gets the installed SQLAlchemy's default for its dialect, as MLflow does (psycopg2 before
# SQLAlchemy 2.1, psycopg since), which must be in this table too.
DRIVERS: dict[tuple[str, str], tuple[str, str, str]] = {
    ("postgresql", "psycopg2"): ("postgresql+psycopg2", "psycopg2", "psycopg2-binary"),
    ("postgresql", "psycopg"): ("postgresql+psycopg", "psycopg", "psycopg[binary]"),
    ("postgresql", "pg8000"): ("postgresql+pg8000", "pg8000", "pg8000"),
    ("mysql", "mysqldb"): ("mysql+mysqldb", "MySQLdb", "mysqlclient"),
    ("mysql", "pymysql"): ("mysql+pymysql", "pymysql", "pymysql"),
    ("mssql", "pyodbc"): ("mssql+pyodbc", "pyodbc", "pyodbc"),
    ("mssql", "pymssql"): ("mssql+pymssql", "pymssql", "pymssql"),
}
# Query parameters passed on to the driver; any other one stops the probe (by name, never its
# value). Refused on purpose: local_infile, read_default_file/group, init_command (MySQL);
# passfile, service, hostaddr, sslkey/sslcert/sslrootcert, host (libpq); odbc_connect (ODBC);
# SQLAlchemy's plugin: each reads a file, runs something, or picks another host.
ALLOWED_QUERY: dict[str, frozenset[str]] = {
    "postgresql": frozenset({"sslmode", "application_name", "target_session_attrs", "gssencmode"}),
    "mysql": frozenset({"charset"}),
    "mssql": frozenset({"driver", "encrypt", "trustservercertificate"}),
}
ALEMBIC_TABLE = "alembic_version"


@dataclass(frozen=True)
class Facts:
    """What a read-only look at the database found."""

    tables: tuple[str, ...]
    revision: str | None


def probe(target: Target, budget: Budget) -> Outcome:
    """The backend store: reachable, logged in, and at the schema MLflow expects."""
    db = parse_db_uri(target.uri)
    if db is None:
        return Outcome(FAIL, "not a database URI")
    facts = read_facts(db, budget)
    if isinstance(facts, Outcome):
        return facts
    return judge(facts, target, db)


def read_facts(db: DbUri, budget: Budget, version_table: str = ALEMBIC_TABLE) -> Facts | Outcome:
    """Connect and read table names and the alembic revision; an Outcome when that fails."""
    if db.is_sqlite:
        return _sqlite(db.sqlite_path(), version_table)
    refused = refusal(db)
    if refused is not None:
        return refused
    try:
        import sqlalchemy
    except ImportError:
        return missing_sdk(PROBE, "sqlalchemy")
    if driver_of(db) is None:  # no driver written, and SQLAlchemy's default is not in the table
        return Outcome(
            SKIPPED,
            f"SQLAlchemy's default driver for `{db.dialect}://` is not one the probe loads; "
            "name one in the URI (e.g. `postgresql+psycopg://`)",
            True,
        )
    try:
        guard.check_host(db.host or "localhost", db.port)
        engine = _engine(sqlalchemy, db, budget)
    except Exception as exc:
        return _creation_problem(exc, db, budget)
    try:
        with engine.connect() as conn:
            conn.execute(sqlalchemy.text("SELECT 1"))
            tables = tuple(sqlalchemy.inspect(conn).get_table_names())
            revision = _revision(sqlalchemy, conn, tables, version_table)
    except Exception as exc:
        return classify(exc, db, budget)
    finally:
        engine.dispose()
    return Facts(tables, revision)


def driver_of(db: DbUri, resolve_default: bool = True) -> tuple[str, str, str] | None:
    """(SQLAlchemy name, DBAPI module, package) for a driver of the fixed table, else None. A URI
    without a driver is resolved to SQLAlchemy's default (which imports SQLAlchemy) unless
    `resolve_default` is false: then None."""
    if not db.driver:
        return DRIVERS.get((db.dialect, _default_driver(db.dialect))) if resolve_default else None
    return DRIVERS.get((db.dialect, db.driver))


def _default_driver(dialect: str) -> str:
    """The driver SQLAlchemy uses for `dialect://` (its own dialect module, a fixed name)."""
    if not any(d == dialect for d, _ in DRIVERS):
        return ""
    try:
        from sqlalchemy.engine import URL

        return str(URL.create(dialect).get_dialect().driver)
    except Exception:  # SQLAlchemy missing: the probe says so before it gets here
        return ""


def refusal(db: DbUri) -> Outcome | None:
    """Why this URI is not probed (unknown driver, a query parameter outside the allow-list), or None.
    Reported as a skipped probe with a finding (MLF900); nothing is imported or contacted."""
    if (db.driver and driver_of(db) is None) or not any(d == db.dialect for d, _ in DRIVERS):
        known = ", ".join(sorted(f"{d}+{v}" for d, v in DRIVERS))
        return Outcome(
            SKIPPED,
            f"`{db.scheme}://` names a driver the probe does not load (it loads only {known}); "
            "nothing was imported or contacted",
            True,
        )
    names = sorted(
        {name for name, _ in parse_qsl(db.query, keep_blank_values=True)} - ALLOWED_QUERY.get(db.dialect, frozenset())
    )
    if names:
        return Outcome(
            SKIPPED,
            f"the URI sets {', '.join(f'`{n}`' for n in names)}: the probe passes only "
            f"{', '.join(sorted(ALLOWED_QUERY.get(db.dialect, ()))) or 'no'} query parameters "
            "to the driver (others can read local files or pick another host); nothing was "
            "contacted",
            True,
        )
    return None


def _engine(sqlalchemy: Any, db: DbUri, budget: Budget) -> Any:
    from sqlalchemy.engine import URL
    from sqlalchemy.pool import NullPool

    name, _, _ = driver_of(db) or ("", "", "")
    url = URL.create(
        name,
        username=db.username or None,
        password=db.password or None,
        host=db.host or None,
        port=db.port,
        database=db.database or None,
        query=dict(parse_qsl(db.query)),
    )
    return sqlalchemy.create_engine(url, poolclass=NullPool, connect_args=connect_args(db, budget.remaining()))


def connect_args(db: DbUri, seconds: float) -> dict[str, Any]:
    """Each driver's own timeouts (they differ in name and unit), and the options that keep a
    server from making it read files: no LOCAL INFILE, no option files, no password file."""
    whole = max(1, int(seconds))  # libpq and MySQL take whole seconds
    name = (driver_of(db) or ("", "", ""))[0]
    if name in ("postgresql+psycopg", "postgresql+psycopg2"):
        nowhere = os.path.join(os.environ.get("PGSYSCONFDIR") or "/nonexistent", "none")
        return {"connect_timeout": whole, "passfile": nowhere, "sslcert": nowhere, "sslkey": nowhere}
    if name == "postgresql+pg8000":
        return {"timeout": seconds}
    if name == "mysql+pymysql":
        return {
            "connect_timeout": whole,
            "read_timeout": whole,
            "write_timeout": whole,
            "local_infile": False,
            "read_default_file": None,
            "client_flag": 0,
        }
    if name == "mysql+mysqldb":
        return {"connect_timeout": whole, "read_timeout": whole, "write_timeout": whole, "local_infile": 0}
    if name == "mssql+pymssql":
        return {"login_timeout": whole, "timeout": whole}
    if name == "mssql+pyodbc":
        return {"timeout": whole}
    return {}


def _revision(sqlalchemy: Any, conn: Any, tables: tuple[str, ...], table: str) -> str | None:
    if table not in tables:
        return None
    row = conn.execute(sqlalchemy.text(f"SELECT version_num FROM {table}")).first()
    return str(row[0]) if row else None


def _creation_problem(exc: Exception, db: DbUri, budget: Budget) -> Outcome:
    """create_engine fails before any connection: a missing DBAPI, or a forbidden host."""
    if isinstance(exc, guard.ForbiddenAddress):
        return forbidden_outcome(db.host)
    if isinstance(exc, ImportError):
        _, module, package = driver_of(db) or ("", db.driver or db.dialect, db.driver)
        if module in ("psycopg", "pymysql"):  # the drivers the `db` extra brings
            return missing_sdk(PROBE, module)
        return missing_package(module, package)
    return Outcome(FAIL, f"SQLAlchemy cannot use `{db.scheme}://` ({kind(exc)}): check the dialect and driver")


def classify(exc: BaseException, db: DbUri, budget: Budget) -> Outcome:
    """fail when the server answered no; error when it could not be asked."""
    where = f"{db.host or 'localhost'}:{db.port or 'default port'}"
    orig = getattr(exc, "orig", None) or exc
    text = str(orig).lower()
    code = orig.args[0] if getattr(orig, "args", None) and isinstance(orig.args[0], int) else None
    if any(isinstance(e, guard.ForbiddenAddress) for e in chain(exc)):
        return forbidden_outcome(db.host)
    if code == 1044:  # MySQL: no such database, or no grant on it (it does not say which)
        return Outcome(
            FAIL,
            f"database `{db.database}` on {where} does not exist or user `{db.username}` has no "
            f"grant on it ({kind(orig)})",
        )
    if "password authentication failed" in text or code in (1045, 18456) or "access denied for user" in text:
        return Outcome(FAIL, f"the server at {where} rejected user `{db.username}`: wrong credentials ({kind(orig)})")
    if ("does not exist" in text and "database" in text) or code == 1049 or "unknown database" in text:
        return Outcome(FAIL, f"database `{db.database}` does not exist on {where} ({kind(orig)})")
    if "permission denied" in text:
        return Outcome(FAIL, f"user `{db.username}` may not use database `{db.database}` on {where} ({kind(orig)})")
    if code == 2013 or "lost connection" in text:
        return Outcome(ERROR, f"no answer from {where} within {budget.seconds:g} s ({kind(orig)})")
    return network_reason(orig if isinstance(orig, BaseException) else exc, where, budget.seconds)


def _sqlite(path: str, version_table: str) -> Facts | Outcome:
    """Read-only: a missing file is fine when its directory would let MLflow create it."""
    if not os.path.exists(path):
        folder = os.path.dirname(path) or "."
        if not os.path.isdir(folder):
            return Outcome(
                ERROR,
                f"neither {path} nor its directory exists on this machine; "
                "the pod may mount it, which cannot be seen from here",
            )
        if not os.access(folder, os.W_OK):
            return Outcome(FAIL, f"{path} does not exist and {folder} is not writable: MLflow cannot create it")
        return Facts((), None)
    try:
        # The path is quoted: a `?` or `#` in it would otherwise end the path and drop mode=ro.
        with closing(sqlite3.connect(f"file:{quote(path)}?mode=ro", uri=True, timeout=2)) as conn:
            conn.execute("SELECT 1")
            tables = tuple(r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type='table'"))
            row = (
                conn.execute(f"SELECT version_num FROM {version_table}").fetchone() if version_table in tables else None
            )
    except sqlite3.DatabaseError as exc:
        return Outcome(FAIL, f"{path} is not a readable SQLite database ({kind(exc)})")
    return Facts(tables, str(row[0]) if row else None)


def place(db: DbUri) -> str:
    """The database a probe connected to, for its reason: the SQLite file, or `name` at host:port."""
    return db.sqlite_path() if db.is_sqlite else f"`{db.database}` at {db.host}:{db.port or 'default port'}"


def judge(facts: Facts, target: Target, db: DbUri) -> Outcome:
    """The schema verdict for the MLflow version the release runs."""
    version = parse_version(target.settings.get("mlflow_version", "")) or (0, 0, 0)
    where = place(db)
    mlflow = target.settings.get("mlflow_source", "MLflow")
    others = [t for t in facts.tables if not t.startswith("alembic_")]
    if facts.revision is None:
        if not others:
            return Outcome(OK, f"connected to {where}: empty database; {mlflow} creates its tables at start-up")
        return Outcome(
            OK,
            f"connected to {where}: {len(others)} tables but no MLflow schema revision; "
            "MLflow will add its tables next to them (is this the right database?)",
        )
    state, why = schema_heads.verdict(facts.revision, version)
    upgrade = target.settings.get("database_upgrade") == "true"
    if state == schema_heads.OUTDATED:
        if upgrade:
            return Outcome(
                OK,
                f"connected to {where}: {why}; backendStore.databaseUpgrade migrates it "
                "before the server starts (back up first)",
            )
        return Outcome(
            FAIL,
            f"connected to {where}: {why}; the server refuses to start (set "
            "backendStore.databaseUpgrade: true or run `mlflow db upgrade`)",
        )
    if state == schema_heads.NEWER:
        return Outcome(FAIL, f"connected to {where}: {why}; {mlflow} refuses to start (use a newer image)")
    return Outcome(OK, f"connected to {where}: {why}")


PROBE = Declaration(
    name="database",
    group="db",
    run=probe,
    action="connect, SELECT 1, read the MLflow schema revision (alembic_version)",
    sdk=("sqlalchemy",),
    extra="db",
    packages="sqlalchemy, psycopg[binary], pymysql",
    import_seconds={"sqlalchemy": 0.23, "psycopg": 0.14, "pymysql": 0.07},
)
