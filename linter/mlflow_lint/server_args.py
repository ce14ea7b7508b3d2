"""The `mlflow server` command line, read from the Deployment (see deployment.py).

click keeps the LAST occurrence of a single-valued option, and a command-line option beats
its environment variable, so `last()` over this list is what MLflow uses. The user's extra
argument items are parsed by `server_cli.parse` in the chart's adapter (click's way:
`--opt=value` is one token, `--opt value` as ONE item is an unknown option); an option click
would refuse for want of a value is left out, and the extraArgs rules report it.
"""

from __future__ import annotations

from mlflow_lint import server_cli as cli
from mlflow_lint.deployment import Arg

TYPE_CHECKING = False
if TYPE_CHECKING:
    from mlflow_lint.context import Context

__all__ = ["Arg", "chart_args", "chart_mode", "extra_args", "ignored_envvars", "last", "server_args"]


def server_args(ctx: Context) -> list[Arg]:
    """Every option of the rendered `mlflow server` command, in order (a fresh list)."""
    return list(ctx.deployment.args)


def chart_args(ctx: Context) -> list[Arg]:
    """The options the chart renders from its own values keys (before the user's)."""
    return list(ctx.deployment.chart_args)


def chart_mode(ctx: Context) -> Arg | None:
    """The mode flag the chart renders (None when it renders none)."""
    return ctx.deployment.mode


def ignored_envvars(ctx: Context) -> dict[str, Arg]:
    """Env var -> the chart's option that makes `mlflow server` ignore it (an option beats its envvar)."""
    mode = chart_mode(ctx)
    out = {}
    for arg in chart_args(ctx):
        option = cli.OPTIONS.get(arg.option)
        if arg == mode:  # by flag, not by name: a misspelt mode still sets the serve mode
            out["MLFLOW_ARTIFACTS_ONLY" if arg.option == "--artifacts-only" else "MLFLOW_SERVE_ARTIFACTS"] = arg
        elif option is not None and option.envvar:
            out[option.envvar] = arg
    return out


def overridden_envvar(ctx: Context, name: str) -> Arg | None:
    """The option on the rendered command line (chart or extraArgs) that makes click ignore env var `name`.

    click takes an option's value from the command line when it is there and reads (and converts) its
    env var only otherwise, so a bad value in an overridden variable never reaches MLflow (checked with
    MLflow 2.10.0-3.17.2's own parser: `MLFLOW_WORKERS=abc` with `--workers=1`, `MLFLOW_PORT=abc` with `--port`).
    """
    names = [o.name for o in cli.OPTIONS.values() if o.envvar == name]
    return last(ctx, *names) if names else None


def basic_auth_app(ctx: Context) -> Arg | None:
    """The `--app-name=basic-auth` click keeps (chart flag or extraArgs), or None when basic auth is off."""
    found = last(ctx, "--app-name")
    return found if found is not None and found.value == "basic-auth" else None


def last(ctx: Context, *options: str) -> Arg | None:
    """The occurrence of any of `options` that click keeps (the last one), or None."""
    found = None
    for arg in ctx.deployment.args:
        if arg.option in options:
            found = arg
    return found


def extra_args(ctx: Context) -> list[Arg]:
    """The options from the user's extra arguments, parsed like click parses argv."""
    return [arg for arg in ctx.deployment.args if arg.from_user_args]
