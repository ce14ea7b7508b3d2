"""MLF620-MLF629: `trackingServer.extraArgs`, read the way click reads `mlflow server`'s argv.

The chart renders `mlflow server <its flags> <extraArgs...>`; every item is ONE argv token.
Non-string items are schema errors (MLF002) and are read here as their text (`server_cli.as_argv`).
"""

from __future__ import annotations

from collections.abc import Iterator

from mlflow_lint import env_checks as checks
from mlflow_lint import pod_env, server_args
from mlflow_lint import server_cli as cli
from mlflow_lint.finding import Hit, Severity
from mlflow_lint.paths import Path, format_path
from mlflow_lint.rules.base import rule
from mlflow_lint.server_cli import Arg

TYPE_CHECKING = False
if TYPE_CHECKING:
    from mlflow_lint.context import Context


def _items(ctx: Context) -> list[str]:
    return cli.as_argv(ctx.deployment.user_arg_items)


def _args(ctx: Context) -> list[Arg]:
    return cli.parse(_items(ctx)).args


def _at(ctx: Context, index: int) -> Path:
    """The values path of the user's extra argument item `index`."""
    return (*ctx.deployment.where("args"), index)


@rule(code="MLF620", name="multi-token-extra-arg", severity=Severity.ERROR)
def multi_token_extra_arg(ctx: Context) -> Iterator[Hit]:
    """An `extraArgs` item holds an option and its value separated by a space.

    Why it matters: each item is passed as one argv token, so click looks for an option
    literally named `--static-prefix /mlflow` and stops with "No such option"; the pod
    crash-loops. The seed values.yaml comments show exactly this form.
    Example: `extraArgs: ["--static-prefix /mlflow"]`.
    Fix: write `--static-prefix=/mlflow`, or two items `["--static-prefix", "/mlflow"]`.
    """
    items = _items(ctx)
    for index in cli.parse(items).glued:
        name = items[index].split()[0]
        yield Hit(
            _at(ctx, index),
            f"`{name} ...` is one argv item holding an option and its value; click reads it "
            "as one unknown option and `mlflow server` exits",
            f"write `{name}=<value>` or put `{name}` and its value in two items",
        )


@rule(code="MLF621", name="unknown-server-argument", severity=Severity.ERROR)
def unknown_server_argument(ctx: Context) -> Iterator[Hit]:
    """An `extraArgs` item is not an option of `mlflow server` in the image's MLflow version.

    Why it matters: click stops with "No such option" (or "Got unexpected extra argument"
    for a stray value), so the server never starts.
    Example: `extraArgs: ["--static-prefx=/mlflow"]`, or `--allowed-hosts` on MLflow 2.14.
    Fix: correct the option name as suggested, or use an image whose MLflow has the option.
    """
    parsed = cli.parse(_items(ctx))
    for arg in parsed.args:
        why = cli.status(arg.name, ctx.mlflow.version)
        guess = cli.did_you_mean(arg.name) if arg.name not in cli.OPTIONS else None
        if why == "unknown" and guess:
            why = "no such option up to MLflow 3.17.2"
        if why and why != "unknown":
            mean = f"; did you mean `{guess}`?" if guess else ""
            yield Hit(
                _at(ctx, arg.index),
                f"`{arg.written}` is not an option of `mlflow server` in {ctx.mlflow.describe()} ({why}){mean}",
                "fix or remove the item",
            )
    for stray in parsed.strays:
        yield Hit(
            _at(ctx, stray.index),
            f"item{checks.shown('', stray.text)} is neither an option nor the value of "
            'one; click stops with "Got unexpected extra argument"',
            "attach it to its option (`--option=value`) or remove it",
        )


@rule(code="MLF622", name="windows-only-server-option", severity=Severity.ERROR)
def windows_only_server_option(ctx: Context) -> Iterator[Hit]:
    """`--waitress-opts` is given, but waitress is only used on Windows.

    Why it matters: on Linux (every Kubernetes pod) `mlflow server` uses gunicorn (2.x) or
    uvicorn (3.x) and rejects `--waitress-opts` with NotImplementedError at start-up.
    Example: `extraArgs: ["--waitress-opts=--threads=8"]`.
    Fix: use `--gunicorn-opts` (or `--uvicorn-opts` on MLflow 3) instead.
    """
    for arg in _args(ctx):
        if arg.name == "--waitress-opts":
            yield Hit(
                _at(ctx, arg.index),
                "`--waitress-opts` works only on Windows; the Linux pod fails at start-up",
                "use --gunicorn-opts (2.x) or --uvicorn-opts (3.x)",
            )


@rule(code="MLF623", name="invalid-app-name", severity=Severity.ERROR)
def invalid_app_name(ctx: Context) -> Iterator[Hit]:
    """`--app-name` in `extraArgs` names an app that is not installed; MLflow ships only `basic-auth`.

    Why it matters: `--app-name` is a click Choice over the `mlflow.app` entry points;
    anything else ("mlflow.server:app", "[basic-auth]") is a usage error and the server exits.
    Example: `extraArgs: ["--app-name", "[basic-auth]"]` (the seed values.yaml comment).
    Fix: `extraArgs: ["--app-name=basic-auth"]`.
    """
    for arg in _args(ctx):
        if arg.name == "--app-name" and arg.value is not None and arg.value not in cli.APP_NAMES:
            where = arg.value_index if arg.value_index is not None else arg.index
            yield Hit(
                _at(ctx, where),
                f"`--app-name`{checks.shown('', arg.value)} is not an installed app; MLflow ships only `basic-auth`",
                "write --app-name=basic-auth",
            )


@rule(code="MLF624", name="extra-arg-overrides-chart-flag", severity=Severity.WARNING)
def extra_arg_overrides_chart_flag(ctx: Context) -> Iterator[Hit]:
    """An `extraArgs` option repeats a flag the chart renders from a values key.

    Why it matters: the chart renders its own flags first and `extraArgs` after them; for a
    single-value option click keeps the LAST occurrence, so the extraArgs value wins and the
    values key silently stops mattering (the Service, containerPort and probes still use
    `trackingServer.port`). Mode flags combine in surprising ways.
    Example: `trackingServer.port: 5000` with `extraArgs: ["--port=8080"]`.
    Fix: set the chart key the message names instead of repeating the option. Not reported:
    `--app-name=basic-auth` with basic auth on, which replaces the chart's invalid app name (MLF401).
    """
    rendered = _rendered(ctx)
    for arg in _args(ctx):
        if arg.name in cli.MODE_OPTIONS and "mode" in rendered:
            key, flag = rendered["mode"]
            yield Hit(
                _at(ctx, arg.index),
                f"`{arg.name}` {_mode_effect(arg.name, flag)} (the chart renders `{flag}` from `{format_path(key)}`)",
                f"choose the mode with {format_path(key)} only",
            )
        elif arg.name == "--app-name" and arg.value in cli.APP_NAMES:
            continue  # MLF401's fix: the chart's own --app-name is invalid, so overriding it is right
        elif arg.name in rendered:
            key, flag = rendered[arg.name]
            yield Hit(
                _at(ctx, arg.index),
                f"`{arg.name}` repeats what the chart sets from `{format_path(key)}` "
                f"({flag}); the chart renders its flags first and click keeps the last, "
                f"so this {ctx.deployment.key('args_item')} value wins",
                _override_hint(arg.name, key),
            )


def _mode_effect(option: str, chart_flag: str) -> str:
    if option == chart_flag:
        return "repeats the chart's mode flag"
    if "--artifacts-only" in (option, chart_flag):
        return f"is combined with `{chart_flag}`, so the server runs artifacts-only"
    return f"contradicts `{chart_flag}`; click keeps the last, so this one wins"


def _override_hint(option: str, key: Path) -> str:
    if option == "--app-name":
        return "write --app-name=basic-auth (the only app MLflow ships) or drop it"
    return f"set {format_path(key)} instead"


def _rendered(ctx: Context) -> dict[str, tuple[Path, str]]:
    """Option name (or "mode") -> (values key, what the chart renders for it)."""
    mode = server_args.chart_mode(ctx)
    out = {"mode" if arg == mode else arg.option: (arg.path, arg.shown) for arg in server_args.chart_args(ctx)}
    store = pod_env.chart_env(ctx).get("MLFLOW_BACKEND_STORE_URI")
    if store:
        out["--backend-store-uri"] = (store, "env MLFLOW_BACKEND_STORE_URI, which the flag overrides")
    return out


@rule(code="MLF625", name="conflicting-server-options", severity=Severity.ERROR)
def conflicting_server_options(ctx: Context) -> Iterator[Hit]:
    """Two `mlflow server` options that cannot be used together.

    Why it matters: `--dev` runs the Flask development server and refuses `--gunicorn-opts`;
    in MLflow 3 the security options (`--allowed-hosts`, `--cors-allowed-origins`,
    `--x-frame-options`, `--disable-security-middleware`) cannot be combined with
    `--gunicorn-opts`/`--waitress-opts`. Either way the server exits with a usage error.
    Example: `extraArgs: ["--dev", "--gunicorn-opts=--timeout 120"]`.
    Fix: drop `--dev` in a deployment; move server tuning to `--uvicorn-opts` on MLflow 3.
    """
    args = {a.name: a for a in _args(ctx)}
    gunicorn = args.get("--gunicorn-opts")
    if "--dev" in args and gunicorn is not None:
        yield Hit(
            _at(ctx, args["--dev"].index),
            "`--dev` cannot be combined with `--gunicorn-opts`",
            "remove --dev; it runs a development server",
        )
    legacy = gunicorn or args.get("--waitress-opts")
    if legacy is not None and ctx.mlflow.at_least(3, 17, 2):
        for name in cli.SECURITY_OPTIONS:
            if name in args:
                yield Hit(
                    _at(ctx, args[name].index),
                    f"`{name}` cannot be combined with `{legacy.name}` in {ctx.mlflow.describe()}",
                    "use --uvicorn-opts for server tuning",
                )


@rule(code="MLF626", name="extra-arg-missing-value", severity=Severity.ERROR)
def extra_arg_missing_value(ctx: Context) -> Iterator[Hit]:
    """An option that takes a value has none, or swallows the next option as its value.

    Why it matters: click takes the next item as the value whatever it is, so
    `["--static-prefix", "--dev"]` sets the prefix to "--dev" and drops `--dev`; an option
    in the last item fails with "Option requires an argument".
    Example: `extraArgs: ["--expose-prometheus"]`.
    Fix: give the value in the same item (`--expose-prometheus=/tmp/metrics`) or right after it.
    """
    for arg in _args(ctx):
        option = cli.OPTIONS.get(arg.name)
        if option is None or not option.takes_value:
            continue
        if arg.value is None:
            yield Hit(
                _at(ctx, arg.index),
                f'`{arg.written}` needs a value but is the last item; click stops with "requires an argument"',
                f"write {arg.name}=<value>",
            )
        elif arg.value_index != arg.index and cli.is_option(arg.value) and arg.name not in cli.PASS_THROUGH:
            yield Hit(
                _at(ctx, arg.index),
                f"`{arg.written}` takes the next item `{cli.split_name(arg.value)[0]}` as its value",
                f"write {arg.name}=<value>",
            )


RULES = (
    multi_token_extra_arg,
    unknown_server_argument,
    windows_only_server_option,
    invalid_app_name,
    extra_arg_overrides_chart_flag,
    conflicting_server_options,
    extra_arg_missing_value,
)
