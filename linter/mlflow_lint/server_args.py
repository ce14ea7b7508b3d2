"""The `mlflow server` command line as the seed chart renders it (facts 3.2).

v2 renders `--<mode>`, `--default-artifact-root=`/`--artifacts-destination=` (when set),
`--host=`, `--port=`, `--workers=`, `--app-name=mlflow.server:app` (basic auth), then every
`trackingServer.extraArgs` item. v1 renders host/port/workers, a mode flag chosen from
`trackingServer.enabled` x `artifactStore.enabled`, the app name, then extraArgs.

click keeps the LAST occurrence of a single-valued option, and a command-line option beats
its environment variable, so `last()` over this list is what MLflow uses. extraArgs items
are parsed the way click parses argv: `--opt=value` is one token, `--opt value` as ONE item
is an unknown option (skipped here; the extraArgs rules report it).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from mlflow_lint.paths import Path, format_path

if TYPE_CHECKING:
    from mlflow_lint.context import Context

EXTRA_ARGS: Path = ("trackingServer", "extraArgs")
SHORT = {"-h": "--host", "-p": "--port", "-w": "--workers"}
# Options of `mlflow server` that take a value (2.14.1 and 3.x); the rest are flags.
VALUE_OPTIONS = frozenset({
    "--backend-store-uri", "--registry-store-uri", "--default-artifact-root", "--artifacts-destination",
    "--host", "--port", "--workers", "--static-prefix", "--gunicorn-opts", "--waitress-opts",
    "--expose-prometheus", "--app-name", "--read-replica-backend-store-uri", "--uvicorn-opts",
    "--allowed-hosts", "--cors-allowed-origins", "--x-frame-options", "--trace-archival-config",
    "--secrets-cache-ttl", "--secrets-cache-max-size", "--workspace-store-uri",
})
MODES = ("serve-artifacts", "no-serve-artifacts", "artifacts-only")


@dataclass(frozen=True)
class Arg:
    """One option on the command line: long name, value (None for a flag), who put it there."""

    option: str
    value: str | None
    source: str  # "trackingServer.host" or "trackingServer.extraArgs[2]"
    path: Path
    from_user_args: bool = False  # True when it comes from trackingServer.extraArgs


def server_args(ctx: Context) -> list[Arg]:
    """Every option of the rendered `mlflow server` command, in order."""
    rendered = _v1_args(ctx) if ctx.is_v1 else _v2_args(ctx)
    return rendered + extra_args(ctx)


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
    index = 0
    while index < len(items):
        index = _parse_item(items, index, out)
    return out


def _parse_item(items: list[object], index: int, out: list[Arg]) -> int:
    item = items[index]
    path = (*EXTRA_ARGS, index)
    if not isinstance(item, str) or not item.startswith("-"):
        return index + 1
    name, eq, value = item.partition("=")
    name = SHORT.get(name, name)
    if any(c.isspace() for c in name):
        return index + 1  # `--opt value` as one item: click rejects it as an unknown option
    if eq or name not in VALUE_OPTIONS:
        out.append(Arg(name, value if eq else None, format_path(path), path, True))
        return index + 1
    if index + 1 < len(items) and isinstance(items[index + 1], str):
        out.append(Arg(name, str(items[index + 1]), format_path(path), (*EXTRA_ARGS, index + 1), True))
        return index + 2
    return index + 1


def _v2_args(ctx: Context) -> list[Arg]:
    values = ctx.values
    mode = values.text(("trackingServer", "mode")) or "no-serve-artifacts"
    out = [Arg(f"--{mode}", None, "trackingServer.mode", ("trackingServer", "mode"))]
    for key, option in (("defaultArtifactRoot", "--default-artifact-root"),
                        ("artifactsDestination", "--artifacts-destination")):
        if values.text(("trackingServer", key)):
            out.append(Arg(option, values.text(("trackingServer", key)), f"trackingServer.{key}",
                           ("trackingServer", key)))
    return out + _common_args(ctx)


def _v1_args(ctx: Context) -> list[Arg]:
    tracking = ctx.values.get(("trackingServer", "enabled")) is not False
    artifacts = ctx.values.get(("artifactStore", "enabled")) is not False
    flag = {(True, True): "--serve-artifacts", (True, False): "--no-serve-artifacts",
            (False, True): "--artifacts-only"}.get((tracking, artifacts))
    out = _common_args(ctx)
    if flag:
        path = ("artifactStore", "enabled") if flag != "--artifacts-only" else ("trackingServer", "enabled")
        out.insert(3, Arg(flag, None, format_path(path), path))
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
