"""MLF1xx: the backend store (database URI, upgrades, SQLite)."""

from __future__ import annotations

from collections.abc import Iterator

from mlflow_lint import pod_env
from mlflow_lint import server_settings as ss
from mlflow_lint.finding import Hit, Severity
from mlflow_lint.paths import Path
from mlflow_lint.rules.base import Rule, rule
from mlflow_lint.uri_checks import backend_kind, db_uri_problems, is_placeholder, sqlite_path
from mlflow_lint.uris import parse_db_uri, redact

TYPE_CHECKING = False
if TYPE_CHECKING:
    from mlflow_lint.context import Context

NEVER_READ = "BACKEND_STORE_URI"  # a name charts have used for the backend URI; MLflow never reads it


def _auth_db_entry(ctx: Context) -> tuple[str, Path]:
    """The basic-auth database URI the chart writes into basic_auth.ini ("" if none), and its values path."""
    auth = ctx.deployment.basic_auth
    value, path = auth.values.get("database_uri", ("", ()))
    return (value if isinstance(value, str) and auth.ini is not None else ""), path


def _auth_db(ctx: Context) -> str:
    return _auth_db_entry(ctx)[0]


def _db_uris(ctx: Context) -> list[tuple[str, Path, str]]:
    """Backend URIs the user wrote, plus the generated basic-auth database URI."""
    out = [u for u in ss.written_backend_uris(ctx) if not is_placeholder(u[0])]
    auth_db, path = _auth_db_entry(ctx)
    if auth_db and not is_placeholder(auth_db):
        out.append((auth_db, path, "the basic-auth database_uri"))
    return out


@rule(code="MLF101", name="v1-backend-uri-never-read", severity=Severity.ERROR)
def v1_backend_uri_never_read(ctx: Context) -> Iterator[Hit]:
    """The v1 chart stores the backend URI under a key MLflow never reads.

    Why it matters: v1 writes `backendStore.createSecret.backendStoreUri` to env var
    `BACKEND_STORE_URI` and documents that key for `existingSecret`, but `mlflow server` reads
    only `MLFLOW_BACKEND_STORE_URI` (and v1 passes no `--backend-store-uri`). The server
    silently runs on the pod-local `./mlruns`, and every run is lost on restart.
    Example: v1 values with `backendStore.createSecret.backendStoreUri: postgresql://u@db/mlflow`.
    Fix: set the URI as `MLFLOW_BACKEND_STORE_URI` (extraEnv with valueFrom, or a Secret whose
    key is `MLFLOW_BACKEND_STORE_URI`), or move to the v2 chart, which uses the right key.
    """
    if not ss.backend_store(ctx).is_default:
        return
    sources = ctx.deployment.env_from
    for source in sources:
        entry = (source.entries or {}).get(NEVER_READ) if source.generated else None
        if entry is not None and entry.value:
            yield Hit(
                entry.path,
                "v1 renders this URI as env var BACKEND_STORE_URI, which MLflow never reads; "
                f"the server falls back to {ss.default_backend(ctx)} inside the pod",
                f"provide MLFLOW_BACKEND_STORE_URI instead ({ctx.deployment.key('env')} valueFrom a Secret)",
            )
    for source in sources:
        if source.user or source.generated or NEVER_READ not in source.documented:
            continue
        existing = source.name
        yield Hit(
            source.path,
            f"Secret `{existing}` is documented to hold key BACKEND_STORE_URI, which MLflow "
            "never reads; unless it also has MLFLOW_BACKEND_STORE_URI the server runs on "
            f"{ss.default_backend(ctx)} inside the pod",
            "add key MLFLOW_BACKEND_STORE_URI to the Secret (or pass --secrets so the linter can check it)",
        )


@rule(code="MLF102", name="malformed-database-uri", severity=Severity.ERROR)
def malformed_database_uri(ctx: Context) -> Iterator[Hit]:
    """A backend-store or basic-auth database URI that MLflow or SQLAlchemy rejects.

    Why it matters: the server stops at start-up with "Invalid database URI", "Invalid
    database engine" or a connection error; the pod crash-loops.
    Example: `backendStore.createSecret.backendStoreUri: postgres://u@db/mlflow` (the
    dialect is `postgresql`), `mysql+pymysql+ssl://...`, or `postgresql://db-host` without a
    database name.
    Fix: write `<dialect>[+<driver>]://<user>:<password>@<host>:<port>/<database>` with a
    dialect of sqlite, postgresql, mysql or mssql.
    A URI without a host is fine when it names a Unix socket (`postgresql://user@/db?host=/var/run/postgresql`,
    `mysql+pymysql://user@/db?unix_socket=/run/mysqld/mysqld.sock`): MLflow 2.10.0-3.17.2 create their
    tracking and auth stores through it (tests/oracle, on a real PostgreSQL socket).
    """
    for uri, path, where in _db_uris(ctx):
        if backend_kind(uri) != "db":
            continue
        for problem in db_uri_problems(uri):
            if not _libpq_fills(ctx, uri, problem):
                yield Hit(path, f"{where} `{redact(uri)}`: {problem}")


def _libpq_fills(ctx: Context, uri: str, problem: str) -> bool:
    """A `postgresql://` URI without host or database is complete when libpq finds PGHOST /
    PGDATABASE in the environment (community-charts passes exactly `postgresql://`)."""
    if not uri.lower().startswith("postgresql"):
        return False
    from mlflow_lint import pod_env

    for marker, variable in (("no database host", "PGHOST"), ("no database (", "PGDATABASE")):
        if marker in problem:
            return pod_env.lookup(ctx, variable).found is not None
    return False


@rule(code="MLF103", name="client-only-backend-uri", severity=Severity.ERROR)
def client_only_backend_uri(ctx: Context) -> Iterator[Hit]:
    """The backend store is a client tracking URI (http(s)://, databricks) that a server cannot use.

    Why it matters: `mlflow server` registers only file paths and SQLAlchemy databases as
    stores; an `https://` or `databricks` URI makes start-up fail. The seed README lists
    them as backend stores by mistake.
    Example: `backendStore.createSecret.backendStoreUri: https://my-server:5000`.
    Fix: point the server at a database (postgresql://, mysql://, mssql://, sqlite://) or a
    file path; clients use the http(s) URI as their MLFLOW_TRACKING_URI.
    """
    for uri, path, where in ss.written_backend_uris(ctx):
        if backend_kind(uri) == "client":
            yield Hit(
                path,
                f"{where} `{redact(uri)}` is a client tracking URI; `mlflow server` "
                "accepts only a file path or a database URI",
            )


@rule(code="MLF104", name="local-backend-with-replicas", severity=Severity.ERROR)
def local_backend_with_replicas(ctx: Context) -> Iterator[Hit]:
    """A SQLite or file-store backend (or SQLite basic-auth database) with replicaCount > 1.

    Why it matters: every pod gets its own database file (or fights over one on a shared
    volume), so runs, users and permissions differ from request to request.
    Example: `replicaCount: 3` with `backendStore.createSecret.backendStoreUri: sqlite:////data/mlflow.db`.
    Fix: use a PostgreSQL, MySQL or MSSQL database, or `replicaCount: 1`.
    """
    count = ss.replicas(ctx)
    if count <= 1:
        return
    backend = ss.backend_store(ctx)
    if backend.value is not None and (backend_kind(backend.value) == "file" or sqlite_path(backend.value) is not None):
        yield Hit(
            ctx.deployment.where("replicas"),
            f"{count} replicas but the backend store is {_describe(backend)}: each pod gets its own copy",
        )
    if _auth_db(ctx) and sqlite_path(_auth_db(ctx)) is not None:
        yield Hit(
            ctx.deployment.where("replicas"),
            f"{count} replicas but the basic-auth database is SQLite: users and permissions differ per pod",
        )


def _describe(setting: ss.Setting) -> str:
    return f"`{redact(setting.value or '')}` ({setting.source})"


@rule(code="MLF105", name="relative-sqlite-path", severity=Severity.WARNING)
def relative_sqlite_path(ctx: Context) -> Iterator[Hit]:
    """A SQLite URI with a relative path (`sqlite:///name.db`, three slashes).

    Why it matters: the path is relative to the server's working directory, which is `/` in
    the default image (no WORKDIR): the file is lost on restart, and creating it fails with
    `runAsNonRoot` or `readOnlyRootFilesystem`.
    Example: `trackingServer.basicAuth.createSecret.databaseUri: sqlite:///basic_auth.db`.
    Fix: use an absolute path on a mounted volume, `sqlite:////data/basic_auth.db` (four
    slashes) with `extraVolumes`/`extraVolumeMounts`, or a real database.
    """
    for uri, path, where in _db_uris(ctx):
        file = sqlite_path(uri)
        if file and file != ":memory:" and not file.startswith("/"):
            yield Hit(
                path,
                f"{where} uses relative SQLite path `{file}`, i.e. /{file} in the container "
                f"(not on a volume){_hardening(ctx)}",
            )


def _hardening(ctx: Context) -> str:
    pod, box = ctx.deployment.security
    if isinstance(box, dict) and box.get("readOnlyRootFilesystem") is True:
        return "; with readOnlyRootFilesystem the server cannot create it"
    if any(isinstance(d, dict) and d.get("runAsNonRoot") is True for d in (pod, box)):
        return "; with runAsNonRoot the server cannot write to /"
    return ""


@rule(code="MLF106", name="in-memory-sqlite", severity=Severity.ERROR)
def in_memory_sqlite(ctx: Context) -> Iterator[Hit]:
    """An in-memory SQLite database (`sqlite://`, `sqlite:///:memory:`) for a server.

    Why it matters: every worker process gets its own empty database that vanishes on
    restart; runs logged through one worker are invisible to the others.
    Example: `backendStore.createSecret.backendStoreUri: sqlite:///:memory:`.
    Fix: use a file on a volume (`sqlite:////data/mlflow.db`) or a database server.
    """
    for uri, path, where in _db_uris(ctx):
        if path == ctx.deployment.where("chart_default_backend", ("<none>",)):
            continue  # the chart's own default (community-charts): its adapter's rule reports it, as a warning
        if sqlite_path(uri) in ("", ":memory:"):
            yield Hit(path, f"{where} is an in-memory SQLite database: each worker has its own, lost on restart")


@rule(code="MLF107", name="database-upgrade-without-database", severity=Severity.ERROR)
def database_upgrade_without_database(ctx: Context) -> Iterator[Hit]:
    """`backendStore.databaseUpgrade` without a database URI the init container can see.

    Why it matters: the init container runs `mlflow db upgrade $(MLFLOW_BACKEND_STORE_URI)`
    with env from extraEnv, backendStore.existingSecret and the generated Secret only. With
    no URI there (artifacts-only mode, URI only in extraEnvFrom or extraArgs) Kubernetes
    passes the literal `$(MLFLOW_BACKEND_STORE_URI)`; with a file-store path `mlflow db
    upgrade` fails. Either way the pod stays in Init.
    Example: `backendStore.databaseUpgrade: true` with `trackingServer.mode: artifacts-only`.
    Fix: set the URI through backendStore.createSecret/existingSecret (or extraEnv), or turn
    databaseUpgrade off.
    """
    upgrade = ctx.deployment.db_upgrade
    if upgrade is None:
        return
    seen = _init_container_uri(ctx)
    if seen is None:
        yield Hit(
            upgrade,
            "the db-upgrade init container gets no MLFLOW_BACKEND_STORE_URI (only extraEnv, "
            "backendStore.existingSecret and backendStore.createSecret reach it; "
            f"mode is {ss.serve_mode(ctx).value}); it runs with the literal `$(MLFLOW_BACKEND_STORE_URI)`",
        )
    elif seen and not is_placeholder(seen) and backend_kind(seen) == "file":
        yield Hit(
            upgrade, f"`mlflow db upgrade` works only on database URIs; the backend `{redact(seen)}` is a file store"
        )


def _init_container_uri(ctx: Context) -> str | None:
    """The URI the init container sees ("" if set but unknown), None when it sees none."""
    extra = pod_env.extra_env(ctx).get(ss.BACKEND_ENV)
    if extra is not None:
        return extra.value or ""
    seen: str | None = None
    for source in ctx.deployment.init_env_from:  # the init container's envFrom, in order
        if source.entries is None:
            seen = ""
        elif ss.BACKEND_ENV in source.entries:
            seen = source.entries[ss.BACKEND_ENV].value or ""
    return seen


@rule(code="MLF108", name="database-upgrade-with-replicas", severity=Severity.WARNING)
def database_upgrade_with_replicas(ctx: Context) -> Iterator[Hit]:
    """`backendStore.databaseUpgrade` with replicaCount > 1: migrations race each other.

    Why it matters: the init container runs on every start of every pod; several pods run
    non-transactional alembic migrations on the same database at once.
    Example: `backendStore.databaseUpgrade: true` and `replicaCount: 3`.
    Fix: run `mlflow db upgrade` once (a Job or by hand, after a backup) and keep
    databaseUpgrade off, or upgrade with `replicaCount: 1` and scale up afterwards.
    """
    upgrade = ctx.deployment.db_upgrade
    if upgrade is not None and ss.replicas(ctx) > 1:
        yield Hit(
            upgrade,
            f"{ss.replicas(ctx)} replicas each run `mlflow db upgrade` at start-up: "
            "concurrent migrations on one database",
        )


@rule(code="MLF109", name="auth-db-shares-tracking-db", severity=Severity.ERROR)
def auth_db_shares_tracking_db(ctx: Context) -> Iterator[Hit]:
    """The basic-auth database is the tracking database, on an MLflow that shares the alembic table.

    Why it matters: up to at least MLflow 3.3 both schemas keep their revision in a table
    called `alembic_version`, so the auth migration and the tracking migration overwrite each
    other and start-up fails ("Detected out-of-date database schema"). 3.8.0+ use
    `alembic_version_auth`.
    Example: `databaseUri` and `backendStoreUri` both `postgresql://u@db/mlflow` on MLflow 2.14.1.
    Fix: give basic auth its own database (`.../mlflow_auth`).
    """
    auth, auth_path = _auth_db_entry(ctx)
    backend = ss.backend_store(ctx)
    if not auth or backend.value is None or ctx.mlflow.at_least(3, 8) or is_placeholder(auth):
        return
    if backend_kind(auth) == "db" and _same_db(auth, backend.value):
        yield Hit(
            auth_path,
            f"the basic-auth database is the tracking database ({backend.source}); on "
            f"{ctx.mlflow.describe()} both use table alembic_version and their migrations clash",
        )


def _same_db(one: str, two: str) -> bool:
    a, b = parse_db_uri(one), parse_db_uri(two)
    if a is None or b is None:
        return False
    return (a.dialect, a.host, a.port, a.database) == (b.dialect, b.host, b.port, b.database)


@rule(code="MLF110", name="ephemeral-backend-store", severity=Severity.WARNING)
def ephemeral_backend_store(ctx: Context) -> Iterator[Hit]:
    """The backend store is a file or SQLite database inside the container, not on a volume.

    Why it matters: the container filesystem is discarded when the pod is replaced, taking
    every experiment, run and registered model with it. (The chart's default, no backend URI
    at all, behaves the same: MLflow uses `./mlruns` (2.x) or `sqlite:///mlflow.db` (3.8+) in
    `/`; that case is not reported, so that an empty values file lints clean.)
    Example: `backendStoreUri: sqlite:////tmp/mlflow.db` with no volume mounted at /tmp.
    Fix: use a database server, or mount a PersistentVolumeClaim (`extraVolumes` +
    `extraVolumeMounts`) and point the store at it.
    """
    backend = ss.backend_store(ctx)
    if backend.value is None or backend.is_default or is_placeholder(backend.value):
        return  # MLflow's own default is not reported: every values file without a backend would warn
    file = sqlite_path(backend.value)
    kind = backend_kind(backend.value)
    if kind != "file" and (file is None or file in ("", ":memory:")):
        return
    if file is not None and not file.startswith("/"):
        return  # a relative SQLite path: relative-sqlite-path says it all
    local = file if file is not None else backend.value
    if not ss.volume_for(ctx, local):
        yield Hit(
            backend.path,
            f"the backend store is {_describe(backend)}, at {ss.container_path(local)} in the "
            "container and on no mounted volume: all runs are lost when the pod restarts",
        )


RULES: tuple[Rule, ...] = (
    v1_backend_uri_never_read,
    malformed_database_uri,
    client_only_backend_uri,
    local_backend_with_replicas,
    relative_sqlite_path,
    in_memory_sqlite,
    database_upgrade_without_database,
    database_upgrade_with_replicas,
    auth_db_shares_tracking_db,
    ephemeral_backend_store,
)
