"""What `mlflow server` will use: backend store, default artifact root, destination, mode.

Each helper combines the rendered command line (`server_args`, where the last occurrence
wins and beats the environment) with the container environment (`pod_env`, click reads
`MLFLOW_BACKEND_STORE_URI`, `MLFLOW_DEFAULT_ARTIFACT_ROOT`, ... as option envvars) and
MLflow's own defaults. A `Setting` says where the value came from and which values line
set it, so a rule can point at that line. `written_backend_uris()` lists every backend URI
the user wrote, effective or not, for the URI syntax rules.
"""

from __future__ import annotations

from mlflow_lint import pod_env
from mlflow_lint.env_checks import click_bool
from mlflow_lint.paths import Path
from mlflow_lint.records import NamedTuple
from mlflow_lint.server_args import Arg, extra_args, last
from mlflow_lint.versions import show

TYPE_CHECKING = False
if TYPE_CHECKING:
    from mlflow_lint.context import Context

BACKEND_ENV = "MLFLOW_BACKEND_STORE_URI"


class Setting(NamedTuple):
    """A server setting. `value` None = set, but its value is not knowable from the inputs.

    `kind` is "args" (command line), "env" (container environment), or "default" (MLflow's
    own default; `path` is then the nearest values key that explains it). `maybe` lists the
    envFrom sources not given to the linter that could set or override the variable.
    """

    value: str | None
    source: str
    path: Path
    kind: str
    maybe: tuple[pod_env.EnvSource, ...] = ()

    @property
    def is_default(self) -> bool:
        return self.kind == "default"


def _default_source(ctx: Context) -> str:
    return f"the default of MLflow {show(ctx.mlflow.version)}"


def _from_arg(arg: Arg) -> Setting:
    return Setting(arg.value, f"`{arg.option}` from {arg.source}", arg.path, "args")


def _from_env(ctx: Context, name: str, default: Setting) -> Setting:
    """The env var `name` if the container has it, else `default`.

    Only unseen `extraEnvFrom` sources count as "may set it" (`Lookup.user_maybe`).
    """
    found = pod_env.lookup(ctx, name)
    maybe = found.user_maybe
    if found.found is not None:
        return Setting(found.found.value, f"{name} from {found.found.source}", found.found.path, "env", maybe)
    return Setting(default.value, default.source, default.path, default.kind, maybe)


def default_backend(ctx: Context) -> str:
    """MLflow's backend store when none is given: `./mlruns` before 3.8, `sqlite:///mlflow.db` since."""
    return "sqlite:///mlflow.db" if ctx.mlflow.at_least(3, 8) else "./mlruns"


def backend_store(ctx: Context) -> Setting:
    """The backend store URI MLflow uses (`--backend-store-uri` > env > MLflow's default).

    A chart Secret documented to hold MLFLOW_BACKEND_STORE_URI (seed v2's
    backendStore.existingSecret) is assumed to, with an unknown value, when it is not given.
    (Seed v1 documents key BACKEND_STORE_URI, which MLflow never reads, so only the user's env
    and args count there.)
    """
    arg = last(ctx, "--backend-store-uri")
    if arg is not None:
        return _from_arg(arg)
    dep = ctx.deployment
    default = Setting(default_backend(ctx), _default_source(ctx), dep.where("backend"), "default")
    found = _from_env(ctx, BACKEND_ENV, default)
    if found.is_default:
        for source in pod_env.unknown_sources(ctx):
            if BACKEND_ENV in source.documented:
                return Setting(
                    None,
                    f"Secret `{source.name}` ({source.origin}), contents not given",
                    source.path,
                    "env",
                    found.maybe,
                )
    return found


LIBPQ_ENV = (
    ("host", "PGHOST"),
    ("port", "PGPORT"),
    ("database", "PGDATABASE"),
    ("username", "PGUSER"),
    ("password", "PGPASSWORD"),
)


def with_libpq_env(ctx: Context, uri: str) -> str:
    """A `postgresql` URI with the parts it leaves out taken from the container's PG* variables,
    as libpq takes them (community-charts passes `postgresql://` and sets PGHOST... in env).
    Unchanged when it names its host, or when a part comes from a Secret the linter cannot see."""
    from urllib.parse import quote

    from mlflow_lint.uris import parse_db_uri

    db = parse_db_uri(uri)
    if db is None or db.dialect != "postgresql" or db.host:
        return uri
    parts: dict[str, str] = {}
    for field, variable in LIBPQ_ENV:
        given = str(getattr(db, field) or "")
        found = pod_env.lookup(ctx, variable)
        if given:
            parts[field] = given
        elif found.found is not None and found.found.value is None:
            return uri  # from a Secret not given: the probe cannot know it
        elif found.found is not None:
            parts[field] = found.found.value or ""
    if not parts.get("host"):
        return uri
    auth = quote(parts.get("username", ""), safe="")
    if parts.get("password"):
        auth += ":" + quote(parts["password"], safe="")
    netloc = (auth + "@" if auth else "") + parts["host"] + (f":{parts['port']}" if parts.get("port") else "")
    return f"{db.scheme}://{netloc}/{parts.get('database', '')}" + (f"?{db.query}" if db.query else "")


def written_backend_uris(ctx: Context) -> list[tuple[str, Path, str]]:
    """Every literal backend URI in the values: (uri, path, where), effective or not."""
    out = list(ctx.deployment.written_backend)
    extra = pod_env.extra_env(ctx).get(BACKEND_ENV)
    if extra is not None and extra.value:
        out.append((extra.value, extra.path, f"{BACKEND_ENV} in {extra.source}"))
    arg = last(ctx, "--backend-store-uri")
    if arg is not None and arg.value:
        out.append((arg.value, arg.path, f"--backend-store-uri in {arg.source}"))
    return out


def serve_mode(ctx: Context) -> Setting:
    """ "serve-artifacts", "no-serve-artifacts" or "artifacts-only" as MLflow will run."""
    only = last(ctx, "--artifacts-only")
    if only is not None:
        return Setting("artifacts-only", f"`--artifacts-only` from {only.source}", only.path, "args")
    env_only = pod_env.lookup(ctx, "MLFLOW_ARTIFACTS_ONLY").found
    if env_only is not None and click_bool(env_only.value):  # click's words: yes/on/t/y/1/true
        return Setting("artifacts-only", f"MLFLOW_ARTIFACTS_ONLY from {env_only.source}", env_only.path, "env")
    flag = last(ctx, "--serve-artifacts", "--no-serve-artifacts")
    if flag is not None:
        return Setting(flag.option[2:], f"`{flag.option}` from {flag.source}", flag.path, "args")
    default = Setting(
        "serve-artifacts", "MLflow's default (no mode flag rendered)", ctx.deployment.where("server"), "default"
    )
    env = pod_env.lookup(ctx, "MLFLOW_SERVE_ARTIFACTS").found
    if env is not None and click_bool(env.value) is False:
        return Setting("no-serve-artifacts", f"MLFLOW_SERVE_ARTIFACTS from {env.source}", env.path, "env")
    return default


def _artifact_setting(ctx: Context, option: str, env_name: str, role: str) -> Setting:
    arg = last(ctx, option)
    if arg is not None:
        return _from_arg(arg)
    anchor = ctx.deployment.where(role)
    default = Setting("", _default_source(ctx), anchor, "default")
    return _from_env(ctx, env_name, default)


def default_artifact_root(ctx: Context) -> Setting:
    """The default artifact root given to MLflow; value "" (kind "default") when none is given.

    v2: `--default-artifact-root` from trackingServer.defaultArtifactRoot or extraArgs, else
    env. v1: env MLFLOW_DEFAULT_ARTIFACT_ROOT from the generated ConfigMap, which exists only
    when artifactStore.enabled. What MLflow does without one depends on the mode
    (`mlflow-artifacts:/` when serving; else the backend's path, or an error / `./mlruns`).
    """
    return _artifact_setting(ctx, "--default-artifact-root", "MLFLOW_DEFAULT_ARTIFACT_ROOT", "default_artifact_root")


def artifacts_destination(ctx: Context) -> Setting:
    """The artifacts destination; value "" (kind "default") means MLflow's `./mlartifacts`."""
    return _artifact_setting(ctx, "--artifacts-destination", "MLFLOW_ARTIFACTS_DESTINATION", "artifacts_destination")


def server_host(ctx: Context) -> Setting:
    """The address the server binds (the chart always renders `--host`; extraArgs may override)."""
    arg = last(ctx, "--host")
    if arg is None:  # not reachable with the seed chart, kept for completeness
        return Setting("127.0.0.1", "MLflow's default", ctx.deployment.where("host"), "default")
    return _from_arg(arg)


def replicas(ctx: Context) -> int:
    """The replica count as a number (1 when it is not one; the schema reports that)."""
    return ctx.deployment.replicas


def container_path(path: str) -> str:
    """An absolute path in the container; relative paths resolve against `/` because the
    default image sets no WORKDIR (facts 9.4)."""
    path = path[len("file://") :] if path.startswith("file://") else path
    path = path.removeprefix("file:")
    return path if path.startswith("/") else "/" + path.removeprefix("./")


def volume_for(ctx: Context, path: str) -> str:
    """The mount path of the user's volume that holds container path `path`, or ""."""
    target = container_path(path)
    for mount in ctx.deployment.mounts:
        where = mount.mount_path
        if where and (target == where or target.startswith(where.rstrip("/") + "/")):
            return where
    return ""


_ARTIFACT_KEYS = (
    ("root", "MLFLOW_DEFAULT_ARTIFACT_ROOT", "--default-artifact-root"),
    ("destination", "MLFLOW_ARTIFACTS_DESTINATION", "--artifacts-destination"),
)


def written_artifact_uris(ctx: Context) -> list[tuple[str, str, Path]]:
    """Every literal artifact root/destination in the values: (role, uri, path), effective or not."""
    out: list[tuple[str, str, Path]] = []
    extra = pod_env.extra_env(ctx)
    written = ctx.deployment.written_artifacts
    for role, env_name, option in _ARTIFACT_KEYS:
        out.extend(item for item in written if item[0] == role)
        if env_name in extra and extra[env_name].value:
            out.append((role, extra[env_name].value or "", extra[env_name].path))
        for arg in _user_args(ctx, option):
            out.append((role, arg.value or "", arg.path))
    return out


def _user_args(ctx: Context, option: str) -> list[Arg]:
    return [a for a in extra_args(ctx) if a.option == option and a.value]
