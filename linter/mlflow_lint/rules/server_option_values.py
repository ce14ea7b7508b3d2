"""MLF627-MLF629: values of server options, given in `extraArgs` or as their env var in `extraEnv`."""

from __future__ import annotations

from collections.abc import Iterator

from mlflow_lint import env_checks as checks
from mlflow_lint import server_cli as cli
from mlflow_lint.finding import Hit, Severity
from mlflow_lint.paths import Path
from mlflow_lint.rules.base import rule
from mlflow_lint.rules.server_options import _args, _at

TYPE_CHECKING = False
if TYPE_CHECKING:
    from mlflow_lint.context import Context


def _values(ctx: Context, option: str) -> Iterator[tuple[Path, str, str]]:
    """(path, how it was given, value) of `option` in extraArgs and of its env var in extraEnv."""
    for arg in _args(ctx):
        if arg.name == option and arg.value is not None and arg.value_index is not None:
            yield _at(ctx, arg.value_index), f"`{option}`", arg.value
    envvar = cli.OPTIONS[option].envvar
    for entry in checks.entries(ctx):
        if entry.name == envvar and entry.text is not None:
            yield entry.at("value"), f"`{envvar}`", entry.text


@rule(code="MLF627", name="invalid-static-prefix", severity=Severity.ERROR)
def invalid_static_prefix(ctx: Context) -> Iterator[Hit]:
    """The static prefix does not start with `/` or ends with `/`.

    Why it matters: `mlflow server` validates `--static-prefix` (and `MLFLOW_STATIC_PREFIX`)
    at start-up and exits with a usage error; MLflow 3.17 also refuses `{` and `}`.
    Example: `extraArgs: ["--static-prefix=mlflow/"]`.
    Fix: `--static-prefix=/mlflow` (leading slash, no trailing slash), matching the ingress path.
    """
    braces = ctx.mlflow.at_least(3, 17, 2)
    for path, how, value in _values(ctx, "--static-prefix"):
        problem = checks.static_prefix_problem(value, braces)
        if problem:
            yield Hit(
                path,
                f"{how}{checks.shown('', value)} {problem}; `mlflow server` exits at start-up",
                "write it like /mlflow",
            )


@rule(code="MLF628", name="prometheus-dir-not-a-path", severity=Severity.WARNING)
def prometheus_dir_not_a_path(ctx: Context) -> Iterator[Hit]:
    """`--expose-prometheus` is given a URL or URL path instead of a directory.

    Why it matters: the value is the directory where the prometheus multiprocess metrics
    files are written; MLflow serves the metrics at `/metrics` by itself. `/metrics` as a
    directory lands in the read-only or root-owned `/`, and a URL is not a directory at all.
    Example: `extraArgs: ["--expose-prometheus=/metrics"]`.
    Fix: a writable directory, e.g. `--expose-prometheus=/tmp/prometheus` (an emptyDir volume).
    """
    for path, how, value in _values(ctx, "--expose-prometheus"):
        if "://" in value:
            problem = "is a URL"
        elif value.rstrip("/") in ("/metrics", "metrics"):
            problem = "looks like the metrics URL path"
        else:
            continue
        yield Hit(
            path,
            f"{how}{checks.shown('', value)} {problem}; it takes the directory for prometheus "
            "multiprocess files (metrics are served at /metrics anyway)",
            "use a writable directory such as /tmp/prometheus",
        )


@rule(code="MLF629", name="store-uri-in-extra-args", severity=Severity.INFO)
def store_uri_in_extra_args(ctx: Context) -> Iterator[Hit]:
    """A store URI is passed on the command line through `extraArgs`.

    Why it matters: it works, but argv is visible in the pod spec, `kubectl describe`,
    `helm get values` and `ps` inside the pod; a database password in it leaks there.
    Example: `extraArgs: ["--backend-store-uri=postgresql://mlflow@db/mlflow"]`.
    Fix: prefer `backendStore.existingSecret` (or `createSecret`) so the URI reaches MLflow
    through `MLFLOW_BACKEND_STORE_URI` from a Secret.
    """
    for arg in _args(ctx):
        if arg.name in cli.STORE_OPTIONS:
            yield Hit(
                _at(ctx, arg.index),
                f"`{arg.name}` on the command line is visible in the pod spec and process list",
                f"move the URI into a Secret ({ctx.deployment.key('backend_secret')})",
            )


RULES = (invalid_static_prefix, prometheus_dir_not_a_path, store_uri_in_extra_args)
