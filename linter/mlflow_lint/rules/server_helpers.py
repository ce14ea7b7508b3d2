"""Helpers of the MLF4xx rules: allowed hosts, the artifact-root requirement, image contents."""

from __future__ import annotations

import fnmatch
from collections.abc import Iterator

from mlflow_lint import pod_env
from mlflow_lint import server_settings as ss
from mlflow_lint.env_checks import click_bool
from mlflow_lint.finding import Hit
from mlflow_lint.paths import Path
from mlflow_lint.server_args import last
from mlflow_lint.uri_checks import backend_kind, is_placeholder, scheme_of
from mlflow_lint.uris import parse_db_uri, redact
from mlflow_lint.versions import show

TYPE_CHECKING = False
if TYPE_CHECKING:
    from mlflow_lint.context import Context


def allowed_hosts(ctx: Context) -> list[str] | None:
    """MLFLOW_SERVER_ALLOWED_HOSTS / --allowed-hosts as a list; None when it cannot be judged."""
    disabled = pod_env.lookup(ctx, "MLFLOW_SERVER_DISABLE_SECURITY_MIDDLEWARE").found
    if (disabled is not None and click_bool(disabled.value)) or last(ctx, "--disable-security-middleware") is not None:
        return None  # no host check at all (security-middleware-disabled reports that)
    arg = last(ctx, "--allowed-hosts")
    found = pod_env.lookup(ctx, "MLFLOW_SERVER_ALLOWED_HOSTS")
    text = arg.value if arg is not None else (found.found.value if found.found is not None else "")
    if text is None or (arg is None and found.found is None and found.maybe):
        return None
    return [h.strip() for h in text.split(",") if h.strip()]


def ingress_hosts(ctx: Context) -> list[tuple[Path, str]]:
    """(path, host) of every non-empty ingress host."""
    return [(path, host) for host, path in ctx.deployment.ingress_hosts if host]


def host_allowed(host: str, allowed: list[str]) -> bool:
    """Like MLflow's check: exact names, `*`, and shell-style wildcards; a port in the entry is ignored."""
    for entry in allowed:
        name = entry.rsplit(":", 1)[0] if entry.count(":") == 1 else entry
        if entry == "*" or fnmatch.fnmatch(host.lower(), name.lower()):
            return True
    return False


def root_required(ctx: Context) -> Iterator[Hit]:
    """No-serve mode + database backend + no default artifact root (MLF409 before 3.4, else MLF410)."""
    mode = ss.serve_mode(ctx)
    root = ss.default_artifact_root(ctx)
    if mode.value != "no-serve-artifacts" or not root.is_default:
        return
    backend = ss.backend_store(ctx)
    if backend.is_default:
        return  # 3.8+'s default sqlite:///mlflow.db: not reported, so that an empty values file lints clean
    if backend.value is not None and (backend_kind(backend.value) != "db" or is_placeholder(backend.value)):
        return
    shown = f"`{redact(backend.value)}`" if backend.value else "a database (assumed)"
    outcome = (
        "MLflow exits: 'default-artifact-root' is required"
        if ctx.mlflow.below(3, 4)
        else "MLflow falls back to ./mlruns, so clients write artifacts to their own disks"
    )
    unless = f" (unless {', '.join(s.describe() for s in root.maybe)} sets it)" if root.maybe else ""
    yield Hit(
        backend.path,
        f"the server does not serve artifacts ({mode.source}), the backend store is {shown} "
        f"({backend.source}) and no default artifact root is set{unless}: {outcome}; "
        f"{ctx.mlflow.describe()}",
        f"set {ctx.deployment.key('default_artifact_root')}",
    )


def shadowed_create_secrets(ctx: Context) -> list[tuple[Path, Path]]:
    """(existingSecret path, createSecret.<key> path) for every createSecret key the user set in vain."""
    return [(existing, path) for existing, path in ctx.deployment.shadowed if ctx.values.is_set_by_user(path)]


def image_name(ctx: Context) -> str:
    """The image the pod runs; with the chart's own tag and `--mlflow-version` given, that version's tag
    (the user says which MLflow the release runs; the chart's appVersion would name another image)."""
    image = ctx.deployment.image
    if ctx.mlflow.source == "--mlflow-version" and not ctx.values.is_set_by_user(image.path):
        return f"{image.registry}/{image.repository}:v{show(ctx.mlflow.version)}"
    return image.reference


def default_image_without_extras(ctx: Context) -> bool:
    """True for the official `mlflow/mlflow` image without the `-full` extras."""
    image = ctx.deployment.image
    return image.repository == "mlflow/mlflow" and image.registry in ("ghcr.io", "") and not image.tag.endswith("-full")


_DRIVERS = {"postgresql": "psycopg2", "mysql": "mysqlclient (or PyMySQL with mysql+pymysql)", "mssql": "pyodbc"}
_DRIVER_PACKAGES = {
    "psycopg2": "psycopg2",
    "psycopg": "psycopg",
    "pg8000": "pg8000",
    "pymysql": "PyMySQL",
    "mysqldb": "mysqlclient",
    "mysqlconnector": "mysql-connector-python",
    "pyodbc": "pyodbc",
    "pymssql": "pymssql",
}


def _default_driver(ctx: Context, dialect: str) -> str:
    """SQLAlchemy's default DBAPI for a bare dialect. `postgresql://` means psycopg2 up to SQLAlchemy 2.0 and
    psycopg (3) from SQLAlchemy 2.1; MLflow requires only `sqlalchemy<3`, so 3.x images (built when 2.1 was
    current; 3.17.2 resolves SQLAlchemy 2.1.9) need psycopg, 2.x images (SQLAlchemy 2.0 at the time) psycopg2."""
    if dialect == "postgresql" and ctx.mlflow.at_least(3):
        return "psycopg (psycopg 3, SQLAlchemy 2.1's default for postgresql://)"
    return _DRIVERS[dialect]


_SCHEME_PACKAGES = {
    "s3": "boto3",
    "r2": "boto3",
    "b2": "boto3",
    "gs": "google-cloud-storage",
    "wasbs": "azure-storage-blob and azure-identity",
    "abfss": "azure-storage-file-datalake",
    "sftp": "pysftp",
    "oss": "aliyunstoreplugin (mlflow[aliyun-oss])",
}


def needed_packages(ctx: Context) -> list[tuple[str, Path, str]]:
    """(package, values path that needs it, why) for the effective stores and basic auth."""
    out = []
    backend = ss.backend_store(ctx)
    parsed = parse_db_uri(backend.value or "")
    if parsed is not None and parsed.dialect in _DRIVERS and not is_placeholder(backend.value or ""):
        package = (
            _DRIVER_PACKAGES.get(parsed.driver, parsed.driver)
            if parsed.driver
            else _default_driver(ctx, parsed.dialect)
        )
        out.append((package, backend.path, f"the {parsed.scheme} backend store"))
    for role, uri, path in ss.written_artifact_uris(ctx):
        scheme = scheme_of(uri)
        if scheme in _SCHEME_PACKAGES and not is_placeholder(uri):
            out.append((_SCHEME_PACKAGES[scheme], path, f"the {scheme}:// artifact {role}"))
    auth = ctx.deployment.basic_auth
    if auth.enabled and ctx.mlflow.at_least(2, 21):
        out.append(("Flask-WTF (mlflow[auth])", auth.path, f"basic auth on {ctx.mlflow.describe()}"))
    return out
