"""MLF6xx: the server's environment and command-line options.

This module holds the rules about env var names and their place in the pod; value checks
live in `environment_values.py` (MLF602-610), the command-line rules in `server_options.py`
(MLF620-626), the option values in `server_option_values.py` (MLF627-629), and what MLflow
refuses at start-up in `server_startup.py` (MLF111, MLF415, MLF630, MLF631).
"""

from __future__ import annotations

from collections.abc import Iterator

from mlflow_lint import env_catalog as catalog
from mlflow_lint import env_checks as checks
from mlflow_lint import pod_env, server_args
from mlflow_lint.finding import Hit, Severity
from mlflow_lint.paths import format_path
from mlflow_lint.rules import environment_values, server_option_values, server_options, server_startup
from mlflow_lint.rules.base import Rule, rule

TYPE_CHECKING = False
if TYPE_CHECKING:
    from mlflow_lint.context import Context


@rule(code="MLF601", name="misspelt-env-name", severity=Severity.WARNING)
def misspelt_env_name(ctx: Context) -> Iterator[Hit]:
    """An env var name looks like an MLflow, AWS, Azure, GCS or OSS setting but nothing reads it.

    Why it matters: a misspelt name is silently ignored, so the setting never takes effect;
    the seed README itself sets `MLFLOW_S3_ENDPOINT` where MLflow reads `MLFLOW_S3_ENDPOINT_URL`.
    Example: `- {name: MLFLOW_S3_ENDPOINT, value: "http://minio:9000"}`, `BACKEND_STORE_URI`,
    `AWS_REGION_NAME`.
    Fix: rename the variable as suggested (names are case-sensitive).
    """
    for entry in checks.entries(ctx):
        meant = catalog.suggest(entry.name)
        if meant:
            var = catalog.lookup(meant)
            reader = f" ({var.reader} reads `{meant}`)" if var else ""
            yield Hit(
                entry.at("name"),
                f"`{entry.name}` is read by nothing; did you mean `{meant}`?{reader}",
                f"rename it to {meant}",
            )


@rule(code="MLF611", name="env-var-not-in-mlflow-version", severity=Severity.WARNING)
def env_var_not_in_mlflow_version(ctx: Context) -> Iterator[Hit]:
    """An env var is not read by the MLflow version the image runs (added later, or removed).

    Why it matters: the setting silently does nothing, e.g. `MLFLOW_BOTO_CLIENT_ADDRESSING_STYLE`
    on 2.10 (which hard-codes path-style), `MLFLOW_FLASK_SERVER_SECRET_KEY` before 2.21, or the
    security-middleware variables before 3.5.
    Example: `image.tag: v2.10.0` with `- {name: MLFLOW_BOTO_CLIENT_ADDRESSING_STYLE, value: virtual}`.
    Fix: upgrade `image.tag` to a release that reads the variable, or drop it; for removed
    variables use the replacement the message names.
    """
    for entry in checks.entries(ctx):
        var = catalog.lookup(entry.name)
        gap = catalog.version_gap(var, ctx.mlflow.version) if var else ""
        if gap:
            yield Hit(
                entry.at("name"),
                f"`{entry.name}` is not read by {ctx.mlflow.describe()}: {gap}",
                "set image.tag to an MLflow release that reads it, or remove the entry",
            )


@rule(code="MLF612", name="duplicate-env-name", severity=Severity.WARNING)
def duplicate_env_name(ctx: Context) -> Iterator[Hit]:
    """The same variable appears twice in `extraEnv`.

    Why it matters: Kubernetes keeps the last entry, so the earlier value is silently lost
    (recent API servers only print a "hides previous definition" warning).
    Example: two items named `MLFLOW_S3_ENDPOINT_URL` with different values.
    Fix: keep one entry.
    """
    first: dict[str, int] = {}
    for entry in checks.entries(ctx):
        if entry.name in first:
            yield Hit(
                entry.at("name"),
                f"`{entry.name}` is already set by {ctx.deployment.key('env')}[{first[entry.name]}]; "
                "Kubernetes keeps this "
                "later entry and drops the earlier one",
                "remove one of the two entries",
            )
        else:
            first[entry.name] = entry.index


# chart keys nothing reads (facts 3.3: v1's backend URI key, the GCP key file); overriding them changes nothing
_NEVER_READ = ("BACKEND_STORE_URI", "keyfile.json")


@rule(code="MLF613", name="env-overrides-chart-setting", severity=Severity.WARNING)
def env_overrides_chart_setting(ctx: Context) -> Iterator[Hit]:
    """An `extraEnv` entry sets a variable the chart already provides from a values key.

    Why it matters: the chart delivers these through `envFrom` (its env Secret/ConfigMap or
    an existing Secret), and any `env` entry beats every `envFrom` source, so the values key
    the chart documents is silently ignored.
    Example: `backendStore.createSecret.backendStoreUri: postgresql://...` plus
    `extraEnv: [{name: MLFLOW_BACKEND_STORE_URI, value: sqlite:///mlflow.db}]`.
    Fix: set the value in one place only: drop the `extraEnv` entry or the chart key.
    """
    provided = pod_env.chart_env(ctx)
    for entry in checks.entries(ctx):
        if entry.name in provided and entry.name not in _NEVER_READ:
            if ctx.values.get(provided[entry.name]) in ("", None):
                continue  # the chart renders an empty value (v1's AWS_CA_BUNDLE): overriding it is MLF208's fix
            key = format_path(provided[entry.name])
            yield Hit(
                entry.at("name"),
                f"`{entry.name}` in {ctx.deployment.key('env')} overrides what the chart sets from `{key}` "
                "(env beats envFrom), so that values key has no effect",
                f"remove the {ctx.deployment.key('env')} entry or unset {key}",
            )


@rule(code="MLF614", name="env-ignored-by-chart-flag", severity=Severity.WARNING)
def env_ignored_by_chart_flag(ctx: Context) -> Iterator[Hit]:
    """An `extraEnv` entry sets a server option that the chart also passes as a command-line flag.

    Why it matters: `mlflow server` reads these variables only when the option is absent
    from the command line; the chart always renders `--host`, `--port`, `--workers` and the
    mode flag, so the variable is ignored.
    Example: `- {name: MLFLOW_PORT, value: "8080"}` (the chart renders `--port=5000`).
    Fix: set the chart key the message names (e.g. `trackingServer.port`) and drop the entry.
    """
    flags = server_args.ignored_envvars(ctx)
    for entry in checks.entries(ctx):
        if entry.name in flags:
            arg = flags[entry.name]
            yield Hit(
                entry.at("name"),
                f"`{entry.name}` is ignored: the chart passes `{arg.shown}` (from `{format_path(arg.path)}`), "
                "and a command-line option beats its env var",
                f"set {format_path(arg.path)} instead",
            )


@rule(code="MLF615", name="internal-server-env-set", severity=Severity.ERROR)
def internal_server_env_set(ctx: Context) -> Iterator[Hit]:
    """An internal variable that `mlflow server` sets for its workers is set by hand.

    Why it matters: `_MLFLOW_SERVER_*` (and `prometheus_multiproc_dir`) pass the parsed
    command line to the gunicorn/uvicorn workers; a hand-set value is overwritten or, in the
    workers, contradicts the options, giving a server whose stores differ from its flags.
    Example: `- {name: _MLFLOW_SERVER_ARTIFACT_ROOT, value: s3://bucket}`.
    Fix: use the public option or variable (`MLFLOW_DEFAULT_ARTIFACT_ROOT`, chart keys).
    """
    for entry in checks.entries(ctx):
        if catalog.is_internal(entry.name):
            yield Hit(
                entry.at("name"),
                f"`{entry.name}` is internal to `mlflow server` and must not be set by hand",
                "remove it and use the public option or chart key",
            )


@rule(code="MLF616", name="s3-tls-verification-disabled", severity=Severity.WARNING)
def s3_tls_verification_disabled(ctx: Context) -> Iterator[Hit]:
    """`MLFLOW_S3_IGNORE_TLS` is true: S3 certificate verification is switched off.

    Why it matters: the server then accepts any certificate from the S3 endpoint, so anyone
    on the path can impersonate it and read or alter artifacts and credentials. The seed
    README calls this "disable TLS authentication"; it really means "skip verification".
    Example: `- {name: MLFLOW_S3_IGNORE_TLS, value: "true"}`.
    Fix: keep verification on; for a private CA mount the CA file and set `AWS_CA_BUNDLE`
    to its path.
    """
    for entry in checks.entries(ctx):
        if entry.name == "MLFLOW_S3_IGNORE_TLS" and _truthy(entry.value):
            yield Hit(
                entry.at("value"),
                "`MLFLOW_S3_IGNORE_TLS` turns off certificate verification for every S3 connection",
                "mount the CA bundle and set AWS_CA_BUNDLE to its path instead",
            )


@rule(code="MLF617", name="security-middleware-disabled", severity=Severity.WARNING)
def security_middleware_disabled(ctx: Context) -> Iterator[Hit]:
    """`MLFLOW_SERVER_DISABLE_SECURITY_MIDDLEWARE` is true: host, CORS and framing checks are off.

    Why it matters: from MLflow 3.5 the middleware blocks DNS-rebinding and cross-origin
    requests and sets X-Frame-Options; disabling it exposes the UI and API to those attacks.
    Example: `- {name: MLFLOW_SERVER_DISABLE_SECURITY_MIDDLEWARE, value: "true"}`.
    Fix: keep it on and list your ingress host in `MLFLOW_SERVER_ALLOWED_HOSTS` (and origins
    in `MLFLOW_SERVER_CORS_ALLOWED_ORIGINS`).
    """
    for entry in checks.entries(ctx):
        if entry.name == "MLFLOW_SERVER_DISABLE_SECURITY_MIDDLEWARE" and _truthy(entry.value):
            yield Hit(
                entry.at("value"),
                "`MLFLOW_SERVER_DISABLE_SECURITY_MIDDLEWARE` turns off host-header, CORS and framing protection",
                "list allowed hosts in MLFLOW_SERVER_ALLOWED_HOSTS instead",
            )


def _truthy(value: object) -> bool:
    if isinstance(value, str):
        return value.strip().lower() in ("true", "1")
    return value is True or (isinstance(value, int) and value == 1)


RULES: tuple[Rule, ...] = (
    misspelt_env_name,
    *environment_values.RULES,
    env_var_not_in_mlflow_version,
    duplicate_env_name,
    env_overrides_chart_setting,
    env_ignored_by_chart_flag,
    internal_server_env_set,
    s3_tls_verification_disabled,
    security_middleware_disabled,
    *server_options.RULES,
    *server_option_values.RULES,
    *server_startup.RULES,
)
