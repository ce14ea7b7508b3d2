"""The `mlflow server` command line as the seed chart renders it (facts 3.2).

v2 renders `--<mode>`, `--default-artifact-root=`/`--artifacts-destination=` (when set),
`--host=`, `--port=`, `--workers=`, `--app-name=mlflow.server:app` (basic auth), then every
`trackingServer.extraArgs` item. v1 renders host/port/workers, a mode flag chosen from
`trackingServer.enabled` x `artifactStore.enabled`, the app name, then extraArgs.

click keeps the LAST occurrence of a single-valued option, and a command-line option beats
its environment variable, so `last()` over this list is what MLflow uses. extraArgs items
are read by `server_cli.parse` (click's way: `--opt=value` is one token, `--opt value` as
ONE item is an unknown option); an option click would refuse for want of a value is left
out here, and the extraArgs rules report it.
"""

from __future__ import annotations

from mlflow_lint import server_cli as cli
from mlflow_lint.paths import Path, format_path
from mlflow_lint.records import NamedTuple

TYPE_CHECKING = False
if TYPE_CHECKING:
    from mlflow_lint.context import Context

EXTRA_ARGS: Path = ("trackingServer", "extraArgs")


class Arg(NamedTuple):
    """One option on the command line: long name, value (None for a flag), who put it there."""

    option: str
    value: str | None
    source: str  # "trackingServer.host" or "trackingServer.extraArgs[2]"
    path: Path
    from_user_args: bool = False  # True when it comes from trackingServer.extraArgs

    @property
    def shown(self) -> str:
        """The flag as a message shows it; a URI value is left out (it may hold a password)."""
        if self.value is None or self.option in cli.URI_OPTIONS:
            return self.option
        return f"{self.option}={self.value}"


# The last release's command line: rules ask for it (mostly through `last`) ~35 times per file.
# It depends only on the values and the chart (v1/v2), compared by identity.
_ARGS: list[tuple[tuple[object, object], list[Arg]]] = []


def server_args(ctx: Context) -> list[Arg]:
    """Every option of the rendered `mlflow server` command, in order (a fresh list)."""
    if _ARGS and _ARGS[0][0][0] is ctx.values and _ARGS[0][0][1] is ctx.chart:
        return list(_ARGS[0][1])
    args = chart_args(ctx) + extra_args(ctx)
    _ARGS[:] = [((ctx.values, ctx.chart), args)]
    return list(args)


def chart_args(ctx: Context) -> list[Arg]:
    """The options the chart renders from its own values keys (before extraArgs)."""
    return _v1_args(ctx) if ctx.is_v1 else _v2_args(ctx)


def chart_mode(ctx: Context) -> Arg | None:
    """The mode flag the chart renders; v1 renders none when tracking and artifacts are both off."""
    if not ctx.is_v1:
        mode = ctx.values.text(("trackingServer", "mode")) or "no-serve-artifacts"
        return Arg(f"--{mode}", None, "trackingServer.mode", ("trackingServer", "mode"))
    tracking = ctx.values.get(("trackingServer", "enabled")) is not False
    artifacts = ctx.values.get(("artifactStore", "enabled")) is not False
    flag = {(True, True): "--serve-artifacts", (True, False): "--no-serve-artifacts",
            (False, True): "--artifacts-only"}.get((tracking, artifacts))
    if not flag:
        return None
    path = ("artifactStore", "enabled") if flag != "--artifacts-only" else ("trackingServer", "enabled")
    return Arg(flag, None, format_path(path), path)


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
    for arg in server_args(ctx):
        if arg.option in options:
            found = arg
    return found


def extra_args(ctx: Context) -> list[Arg]:
    """The options in `trackingServer.extraArgs`, parsed like click parses argv."""
    items = ctx.values.get(EXTRA_ARGS, [])
    if not isinstance(items, list):
        return []
    out: list[Arg] = []
    for arg in cli.parse(cli.as_argv(items)).args:
        option = cli.OPTIONS.get(arg.name)
        if arg.value_index is None and option is not None and option.takes_value:
            continue  # the last item, without its value: click stops (MLF626)
        if arg.value_index not in (None, arg.index) and not isinstance(items[arg.value_index], str):
            continue  # a non-string value item (MLF002)
        path = (*EXTRA_ARGS, arg.index)
        value_path = path if arg.value_index is None else (*EXTRA_ARGS, arg.value_index)
        out.append(Arg(arg.name, arg.value, format_path(path), value_path, True))
    return out


def _v2_args(ctx: Context) -> list[Arg]:
    values = ctx.values
    mode = chart_mode(ctx)
    out = [mode] if mode else []
    for key, option in (("defaultArtifactRoot", "--default-artifact-root"),
                        ("artifactsDestination", "--artifacts-destination")):
        if values.text(("trackingServer", key)):
            out.append(Arg(option, values.text(("trackingServer", key)), f"trackingServer.{key}",
                           ("trackingServer", key)))
    return out + _common_args(ctx)


def _v1_args(ctx: Context) -> list[Arg]:
    out = _common_args(ctx)
    mode = chart_mode(ctx)
    if mode:
        out.insert(3, mode)
    return out


def _common_args(ctx: Context) -> list[Arg]:
    out = []
    for key in ("host", "port", "workers"):
        value = ctx.values.get(("trackingServer", key))
        out.append(Arg(f"--{key}", "" if value is None else str(value), f"trackingServer.{key}",
                       ("trackingServer", key)))
    if ctx.values.get(("trackingServer", "basicAuth", "enabled")) is True:
        path = ("trackingServer", "basicAuth", "enabled")
        out.append(Arg("--app-name", "mlflow.server:app", format_path(path), path))
    return out
