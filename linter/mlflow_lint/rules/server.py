"""MLF4xx: the server and what the chart renders for it (modes, basic auth, host, ingress)."""

from __future__ import annotations

from collections.abc import Iterator

from mlflow_lint import pod_env, server_args
from mlflow_lint import server_settings as ss
from mlflow_lint.charts.seed_rules import v1_all_servers_disabled
from mlflow_lint.finding import Hit, Severity
from mlflow_lint.paths import Path, format_path
from mlflow_lint.rules import server_helpers as checks
from mlflow_lint.rules.base import Rule, rule
from mlflow_lint.server_args import last

TYPE_CHECKING = False
if TYPE_CHECKING:
    from mlflow_lint.context import Context

AUTH_INI = "/etc/mlflow/basic_auth.ini"
UNPROTECTED = ("/health", "/static", "/favicon.ico")  # the paths MLflow's basic auth leaves open


def _auth_on(ctx: Context) -> bool:
    return ctx.deployment.basic_auth.enabled


def _auth(ctx: Context) -> Path:
    """The values switch of basic auth (where its findings point)."""
    return ctx.deployment.basic_auth.path


@rule(code="MLF401", name="basic-auth-invalid-app-name", severity=Severity.ERROR)
def basic_auth_invalid_app_name(ctx: Context) -> Iterator[Hit]:
    """With basic auth on, the seed chart renders `--app-name=mlflow.server:app`, which MLflow rejects.

    Why it matters: `--app-name` only accepts the names of `mlflow.app` entry points, and the
    only built-in one is `basic-auth`; the server exits with a usage error ("'mlflow.server:app'
    is not 'basic-auth'") on every MLflow version, so the pod crash-loops.
    Example: `trackingServer.basicAuth.enabled: true`.
    Fix: add `--app-name=basic-auth` to `trackingServer.extraArgs` (click keeps the last
    occurrence), or use a chart that renders the flag correctly.
    """
    if not _auth_on(ctx):
        return
    arg = last(ctx, "--app-name")
    if arg is not None and not arg.from_user_args and arg.value != "basic-auth":
        yield Hit(
            arg.path,
            "basic auth makes the chart render `--app-name=mlflow.server:app`; `mlflow server` accepts "
            "only `basic-auth` there and exits, on every MLflow version",
            f"add `--app-name=basic-auth` to {ctx.deployment.key('args')}; the last occurrence wins",
        )


@rule(code="MLF402", name="auth-config-path-unset", severity=Severity.ERROR)
def auth_config_path_unset(ctx: Context) -> Iterator[Hit]:
    """Basic auth is on but MLFLOW_AUTH_CONFIG_PATH does not point at the mounted basic_auth.ini.

    Why it matters: the chart mounts the ini at `/etc/mlflow/basic_auth.ini` but never sets
    MLFLOW_AUTH_CONFIG_PATH, so MLflow reads the ini packaged inside MLflow instead: admin
    `password`/`password1234` and a SQLite database in the working directory. Your
    permissions, admin and database settings are silently ignored.
    Example: `trackingServer.basicAuth.enabled: true` and no `MLFLOW_AUTH_CONFIG_PATH` in extraEnv.
    Fix: add `extraEnv: [{name: MLFLOW_AUTH_CONFIG_PATH, value: /etc/mlflow/basic_auth.ini}]`.
    """
    if not _auth_on(ctx) or ctx.deployment.where("auth_ini_at_default_path"):
        return  # the ini the Deployment models is at MLflow's default path (bitnami mounts over it;
        # the official chart has none, so MLflow's packaged one): no path to set
    found = pod_env.lookup(ctx, "MLFLOW_AUTH_CONFIG_PATH")
    if found.likely_absent:
        yield Hit(
            _auth(ctx),
            "the chart mounts basic_auth.ini at /etc/mlflow but never sets MLFLOW_AUTH_CONFIG_PATH; "
            "MLflow uses its packaged default ini instead",
            f"add {ctx.deployment.key('env')} MLFLOW_AUTH_CONFIG_PATH={AUTH_INI}",
        )
    elif (
        found.found is not None
        and found.found.value
        and found.found.value != AUTH_INI
        and not ss.volume_for(ctx, found.found.value)
    ):
        yield Hit(
            found.found.path,
            f"MLFLOW_AUTH_CONFIG_PATH is `{found.found.value}`, but the chart mounts the "
            f"ini at {AUTH_INI} and no {ctx.deployment.key('mounts')} entry holds that path",
            f"use {AUTH_INI}",
        )


@rule(code="MLF403", name="probes-blocked-by-basic-auth", severity=Severity.WARNING)
def probes_blocked_by_basic_auth(ctx: Context) -> Iterator[Hit]:
    """Liveness and readiness probes on `/` while basic auth protects every path but `/health`.

    Why it matters: the chart's probes request `/` without credentials; basic auth answers
    401, so the pod never becomes Ready and is restarted by the liveness probe.
    Example: `trackingServer.basicAuth.enabled: true` with the chart's probes.
    Fix: the seed chart has no probe settings; patch the Deployment (kustomize/post-renderer)
    to probe `/health`, or use a chart with configurable probes.
    """
    blocked = [p for p, _ in ctx.deployment.probe_paths if not p.startswith(UNPROTECTED)]
    if _auth_on(ctx) and blocked:
        yield Hit(
            _auth(ctx),
            "the chart probes `/`, which basic auth answers with 401; the pod never becomes Ready "
            "(only /health, /static and /favicon.ico are unauthenticated)",
            "probe /health instead (post-render the Deployment)",
        )


@rule(code="MLF404", name="flask-secret-key-missing", severity=Severity.ERROR)
def flask_secret_key_missing(ctx: Context) -> Iterator[Hit]:
    """Basic auth on MLflow >= 2.21 without MLFLOW_FLASK_SERVER_SECRET_KEY.

    Why it matters: from 2.21.0 the basic-auth app needs a static secret key for CSRF
    protection and refuses to start without one ("A static secret key needs to be set for
    CSRF protection"); it must also be the same on every replica.
    The app is on with the chart's `basicAuth.enabled` or with `--app-name=basic-auth` in extraArgs (checked
    against MLflow 2.22.5 and 3.17.2 in tests/oracle: both stop at start-up without the key; 2.10.0 and
    2.14.1 do not read it).
    Example: `image.tag: v2.22.0` with `trackingServer.basicAuth.enabled: true` and no such env var.
    Fix: store a random key in a Secret and add it with `extraEnv` `valueFrom.secretKeyRef`
    (or `extraEnvFrom`) as MLFLOW_FLASK_SERVER_SECRET_KEY.
    """
    app = server_args.basic_auth_app(ctx)
    if not (_auth_on(ctx) or app is not None) or ctx.mlflow.below(2, 21):
        return
    found = pod_env.lookup(ctx, "MLFLOW_FLASK_SERVER_SECRET_KEY")
    if found.likely_absent or (found.found is not None and found.found.value == ""):
        where = _auth(ctx) if _auth_on(ctx) or app is None else app.path
        yield Hit(
            where,
            f"basic auth on {ctx.mlflow.describe()} needs MLFLOW_FLASK_SERVER_SECRET_KEY, which is "
            "not set (or empty); the server refuses to start",
            f"add it from a Secret via {ctx.deployment.key('env')} valueFrom or {ctx.deployment.key('env_from')}",
        )


@rule(code="MLF405", name="required-env-unverified", severity=Severity.INFO)
def required_env_unverified(ctx: Context) -> Iterator[Hit]:
    """A variable the configuration needs may come only from a Secret or ConfigMap the linter cannot see.

    Why it matters: nothing proves the variable is there; if the referenced Secret lacks it,
    the server fails at start-up (MLFLOW_FLASK_SERVER_SECRET_KEY) or silently ignores your
    basic_auth.ini (MLFLOW_AUTH_CONFIG_PATH).
    Example: basic auth on MLflow 2.22 with `extraEnvFrom: [{secretRef: {name: mlflow-env}}]`.
    Fix: make sure the Secret has the key, and pass its manifest to the linter so it can check;
    or set the variable in extraEnv.
    """
    if not _auth_on(ctx):
        return
    needed = ["MLFLOW_AUTH_CONFIG_PATH"] + ([] if ctx.mlflow.below(2, 21) else ["MLFLOW_FLASK_SERVER_SECRET_KEY"])
    for name in needed:
        found = pod_env.lookup(ctx, name)
        if found.found is None and found.user_maybe:
            where = ", ".join(s.describe() for s in found.user_maybe)
            yield Hit(
                found.user_maybe[0].path,
                f"basic auth needs {name}; only {where} could provide it, and its contents were not given",
            )


@rule(code="MLF406", name="server-host-not-wildcard", severity=Severity.ERROR)
def server_host_not_wildcard(ctx: Context) -> Iterator[Hit]:
    """The server binds an address other than 0.0.0.0 or ::, so nothing outside the pod reaches it.

    Why it matters: the Service, the Ingress and the kubelet's probes connect to the pod IP;
    a server bound to 127.0.0.1 (MLflow's own default) or a fixed IP refuses them, so the
    probes fail and the pod is restarted.
    Example: `trackingServer.host: 127.0.0.1`.
    Fix: `trackingServer.host: 0.0.0.0` (or `::` for IPv6), and no `--host` in extraArgs.
    """
    host = ss.server_host(ctx)
    if (host.value or "") not in ("0.0.0.0", "::", "[::]"):
        yield Hit(
            host.path,
            f"the server binds `{host.value}` ({host.source}); Services and probes reach the pod "
            "on its pod IP, so it must bind 0.0.0.0 or ::",
        )


@rule(code="MLF407", name="ingress-host-not-allowed", severity=Severity.ERROR)
def ingress_host_not_allowed(ctx: Context) -> Iterator[Hit]:
    """An Ingress host that MLflow >= 3.5's host-header check rejects.

    Why it matters: from 3.5.0 the server only answers Host headers in
    MLFLOW_SERVER_ALLOWED_HOSTS (default: localhost and private IP ranges); requests through
    an Ingress with a public name get an error page.
    Example: `image.tag: v3.8.0` with `ingress.enabled: true`, `hosts: [{host: mlflow.example.com}]`.
    Fix: add `MLFLOW_SERVER_ALLOWED_HOSTS` to extraEnv listing every ingress host
    (comma-separated, wildcards like `*.example.com` allowed).
    """
    if not ctx.deployment.ingress_enabled or ctx.mlflow.below(3, 5):
        return
    allowed = checks.allowed_hosts(ctx)
    if allowed is None:
        return
    for path, host in checks.ingress_hosts(ctx):
        if not checks.host_allowed(host, allowed):
            yield Hit(
                path,
                f"ingress host `{host}` is not in MLFLOW_SERVER_ALLOWED_HOSTS "
                f"({', '.join(allowed) or 'unset: localhost and private IPs only'}); "
                f"{ctx.mlflow.describe()} rejects such requests",
            )


@rule(code="MLF408", name="artifacts-only-with-backend-store", severity=Severity.ERROR)
def artifacts_only_with_backend_store(ctx: Context) -> Iterator[Hit]:
    """An artifacts-only server that is also given a backend store URI.

    Why it matters: `mlflow server --artifacts-only` refuses any `--backend-store-uri` /
    MLFLOW_BACKEND_STORE_URI ("cannot have a value set for --backend_store_uri") and exits;
    a URI in `backendStore.createSecret` is silently dropped by the chart in this mode.
    Example: `trackingServer.mode: artifacts-only` with `backendStore.existingSecret: mlflow-db`.
    Fix: remove the backend settings from the artifacts-only release (or change the mode).
    """
    if ss.serve_mode(ctx).value != "artifacts-only":
        return
    rendered = {
        value.path
        for source in ctx.deployment.env_from
        if source.generated
        for value in (source.entries or {}).values()
    }
    for _, path, _ in ctx.deployment.written_backend:
        if path not in rendered:
            yield Hit(path, "in artifacts-only mode the chart does not render this URI; it is ignored")
    backend = ss.backend_store(ctx)
    if not backend.is_default:
        maybe = "; if it holds MLFLOW_BACKEND_STORE_URI" if backend.value is None else ""
        yield Hit(
            backend.path,
            f"the backend store is set ({backend.source}){maybe} the artifacts-only server refuses to start",
        )


@rule(code="MLF409", name="missing-default-artifact-root", severity=Severity.ERROR)
def missing_default_artifact_root(ctx: Context) -> Iterator[Hit]:
    """No default artifact root while not serving artifacts, with a database backend (MLflow < 3.4).

    Why it matters: MLflow up to at least 3.3 exits with "Option 'default-artifact-root' is
    required when backend store is not local file based and artifact serving is disabled".
    This is the chart's default mode (`no-serve-artifacts`).
    Example: `backendStore.createSecret.backendStoreUri: postgresql://u@db/mlflow` and nothing else.
    Fix: set `trackingServer.defaultArtifactRoot` (e.g. `s3://bucket/mlflow`), or
    `trackingServer.mode: serve-artifacts` with an `artifactsDestination`.
    """
    if ctx.mlflow.below(3, 4):
        yield from checks.root_required(ctx)


@rule(code="MLF410", name="default-artifact-root-falls-back-to-local", severity=Severity.WARNING)
def default_artifact_root_falls_back_to_local(ctx: Context) -> Iterator[Hit]:
    """No default artifact root while not serving artifacts, with a database backend (MLflow >= 3.4).

    Why it matters: MLflow 3.8+ (the exact release between 3.4 and 3.8 was not checked) no
    longer refuses to start but falls back to `./mlruns`, so every client writes artifacts to
    its own local disk where nobody else can read them.
    Example: `image.tag: v3.8.0` with a PostgreSQL backend and no defaultArtifactRoot.
    Fix: set `trackingServer.defaultArtifactRoot`, or serve artifacts with a destination.
    """
    if ctx.mlflow.at_least(3, 4):
        yield from checks.root_required(ctx)


@rule(code="MLF412", name="create-secret-shadowed-by-existing-secret", severity=Severity.WARNING)
def create_secret_shadowed_by_existing_secret(ctx: Context) -> Iterator[Hit]:
    """Both `existingSecret` and `createSecret.*` are set for the same item; createSecret is ignored.

    Why it matters: the chart uses the existing Secret and silently drops the createSecret
    values, so edits to them have no effect (and they still sit in the release's values).
    Example: `backendStore.existingSecret: mlflow-db` and `backendStore.createSecret.backendStoreUri: ...`.
    Fix: keep one of the two; prefer existingSecret and delete the createSecret values.
    """
    for existing, created in checks.shadowed_create_secrets(ctx):
        yield Hit(
            created,
            f"`{format_path(created)}` is ignored because `{format_path(existing)}` is set (existingSecret wins)",
        )


@rule(code="MLF413", name="image-lacks-client-library", severity=Severity.ERROR)
def image_lacks_client_library(ctx: Context) -> Iterator[Hit]:
    """The default image lacks a Python package this configuration needs.

    Why it matters: `ghcr.io/mlflow/mlflow:v<version>` is `pip install mlflow` only: no
    database drivers (psycopg2/psycopg, PyMySQL, pymssql), no boto3, google-cloud-storage,
    azure-storage-blob, pysftp, aliyunstoreplugin or Flask-WTF; the server fails with
    `No module named ...`. `-full` images (with extras) exist from MLflow 3.9.0.
    Checked against MLflow 2.10.0-3.17.2 with those packages hidden (tests/oracle): store creation
    fails at start-up for a database without its driver; MLflow's artifact repository registry
    refuses `gs://`, `wasbs://`, `abfss://` (the client is imported when the repository is built) and
    `oss://` (the plugin registers the scheme). Deliberately stricter for `s3://` (and r2/b2): the
    registry imports boto3 only at the first upload, so the server starts, but every artifact
    operation then fails; the linter reports it before that.
    Example: `backendStore.createSecret.backendStoreUri: postgresql://u@db/mlflow` with the default image.
    Fix: build an image `FROM ghcr.io/mlflow/mlflow:<tag>` that installs the packages, or
    use a `-full` tag (MLflow >= 3.9).
    """
    if not checks.default_image_without_extras(ctx):
        return
    for package, path, why in checks.needed_packages(ctx):
        yield Hit(path, f"{why} needs {package}, which the default image ({checks.image_name(ctx)}) does not contain")


@rule(code="MLF414", name="value-breaks-rendered-manifest", severity=Severity.ERROR)
def value_breaks_rendered_manifest(ctx: Context) -> Iterator[Hit]:
    """A value the chart cannot render as written: Helm fails, or the manifest says something else.

    Why it matters: a template that inserts a value unquoted into a YAML list item turns
    `host: "::"` or a root ending in `:` into a mapping (Kubernetes rejects the Deployment)
    and cuts `s3://bucket/team #1` at ` #` (the server silently gets `s3://bucket/team`); a
    `null` that deletes a value the template requires makes Helm fail.
    Example: `trackingServer.defaultArtifactRoot: "s3://bucket/team #1"`.
    Fix: avoid ` #`, `: ` and a trailing `:` in such values (`[::]` instead of `::`), and
    remove the `null` to keep the chart's default.
    """
    for path, message in ctx.deployment.render_errors:
        yield Hit(path, message, "write the value without ` #`, `: ` or a trailing `:`, or leave the default")


RULES: tuple[Rule, ...] = (
    basic_auth_invalid_app_name,
    auth_config_path_unset,
    probes_blocked_by_basic_auth,
    flask_secret_key_missing,
    required_env_unverified,
    server_host_not_wildcard,
    ingress_host_not_allowed,
    artifacts_only_with_backend_store,
    missing_default_artifact_root,
    default_artifact_root_falls_back_to_local,
    v1_all_servers_disabled,  # a seed-chart rule (charts/seed_rules.py)
    create_secret_shadowed_by_existing_secret,
    image_lacks_client_library,
    value_breaks_rendered_manifest,
)
