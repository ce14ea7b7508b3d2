"""The `mlflow server` command line: its options per version, and a click-like argv reader.

Options of 2.14.1 come from `mlflow/cli.py` and `mlflow/utils/cli_args.py`; the later ones
from 3.17.2 (facts section 8.1). `added=(last release without, first with)` as in
`env_catalog`; a version in between is "unknown" and never reported.
"""

from __future__ import annotations

from mlflow_lint.records import NamedTuple
from mlflow_lint.versions import Version

NEWEST_KNOWN: Version = (3, 17, 2)
_V3_5 = ((3, 3, 0), (3, 5, 0))
# `mlflow.cli.server.params` of 2.10.0, 2.14.1 and 2.22.5 hold the same 15 options (tests/oracle venvs);
# everything else below appeared between 2.22.5 and 3.17.2 (the security options by 3.5.0).
_V3_17 = ((2, 22, 5), (3, 17, 2))


class Option(NamedTuple):
    """One option: its long name, whether it takes a value, its env var and version span."""

    name: str
    takes_value: bool = True
    envvar: str = ""
    added: tuple[Version, Version] | None = None


_OPTIONS = (
    Option("--backend-store-uri", envvar="MLFLOW_BACKEND_STORE_URI"),
    Option("--registry-store-uri", envvar="MLFLOW_REGISTRY_STORE_URI"),
    Option("--default-artifact-root", envvar="MLFLOW_DEFAULT_ARTIFACT_ROOT"),
    Option("--serve-artifacts", False, "MLFLOW_SERVE_ARTIFACTS"),
    Option("--no-serve-artifacts", False, "MLFLOW_SERVE_ARTIFACTS"),
    Option("--artifacts-only", False, "MLFLOW_ARTIFACTS_ONLY"),
    Option("--artifacts-destination", envvar="MLFLOW_ARTIFACTS_DESTINATION"),
    Option("--host", envvar="MLFLOW_HOST"),
    Option("--port", envvar="MLFLOW_PORT"),
    Option("--workers", envvar="MLFLOW_WORKERS"),
    Option("--static-prefix", envvar="MLFLOW_STATIC_PREFIX"),
    Option("--gunicorn-opts", envvar="MLFLOW_GUNICORN_OPTS"),
    Option("--waitress-opts"),
    Option("--expose-prometheus", envvar="MLFLOW_EXPOSE_PROMETHEUS"),
    Option("--app-name"),
    Option("--dev", False),
    Option("--help", False),
    Option("--read-replica-backend-store-uri", envvar="MLFLOW_READ_REPLICA_BACKEND_STORE_URI", added=_V3_17),
    Option("--uvicorn-opts", envvar="MLFLOW_UVICORN_OPTS", added=_V3_17),
    Option("--allowed-hosts", envvar="MLFLOW_SERVER_ALLOWED_HOSTS", added=_V3_5),
    Option("--cors-allowed-origins", envvar="MLFLOW_SERVER_CORS_ALLOWED_ORIGINS", added=_V3_5),
    Option("--disable-security-middleware", False, "MLFLOW_SERVER_DISABLE_SECURITY_MIDDLEWARE", added=_V3_5),
    Option("--x-frame-options", envvar="MLFLOW_SERVER_X_FRAME_OPTIONS", added=_V3_5),
    Option("--trace-archival-config", envvar="MLFLOW_TRACE_ARCHIVAL_CONFIG", added=_V3_17),
    Option("--secrets-cache-ttl", added=_V3_17),
    Option("--secrets-cache-max-size", added=_V3_17),
    Option("--workspace-store-uri", envvar="MLFLOW_WORKSPACE_STORE_URI", added=_V3_17),
    Option("--enable-workspaces", False, added=_V3_17),
    Option("--disable-workspaces", False, added=_V3_17),
)
OPTIONS: dict[str, Option] = {o.name: o for o in _OPTIONS}
SHORT: dict[str, str] = {"-h": "--host", "-p": "--port", "-w": "--workers"}
APP_NAMES = ("basic-auth",)  # entry points of group `mlflow.app` shipped with MLflow
PASS_THROUGH = ("--gunicorn-opts", "--uvicorn-opts", "--waitress-opts")  # values are another program's options
SECURITY_OPTIONS = ("--allowed-hosts", "--cors-allowed-origins", "--disable-security-middleware", "--x-frame-options")
MODE_OPTIONS = ("--serve-artifacts", "--no-serve-artifacts", "--artifacts-only")
STORE_OPTIONS = ("--backend-store-uri", "--registry-store-uri", "--read-replica-backend-store-uri")
URI_OPTIONS = (*STORE_OPTIONS, "--default-artifact-root", "--artifacts-destination", "--workspace-store-uri")


class Arg(NamedTuple):
    """One option as click would read it from the items: where its name and value sit."""

    index: int  # type: ignore[assignment]  # item holding the option name (shadows tuple.index)
    written: str  # the name as written (`-p`, `--port`)
    name: str  # the long name (`--port`), or the written name when unknown
    value: str | None = None
    value_index: int | None = None  # item holding the value (== index when `--opt=value`)


class Stray(NamedTuple):
    """An item that is neither an option nor an option's value."""

    index: int  # type: ignore[assignment]  # shadows tuple.index, which nothing calls
    text: str


def as_argv(items: list[object]) -> list[str]:
    """Values items as argv text. Non-strings are schema errors (MLF002); they are read as Helm prints them."""
    return [
        item if isinstance(item, str) else str(item).lower() if isinstance(item, bool) else str(item) for item in items
    ]


def split_name(item: str) -> tuple[str, str | None]:
    """`--opt=value` -> ("--opt", "value"); `-p5000` -> ("-p", "5000"); `--dev` -> ("--dev", None)."""
    if item.startswith("--"):
        name, sep, value = item.partition("=")
        return name, (value if sep else None)
    if len(item) > 2 and item[:2] in SHORT:
        rest = item[2:]
        return item[:2], rest[1:] if rest.startswith("=") else rest
    return item, None


def is_option(item: str) -> bool:
    return item.startswith("-") and len(item) > 1 and not item[1:2].isdigit()


def has_space_in_name(item: str) -> bool:
    """`--static-prefix /x`: an option item with whitespace before any `=`."""
    return is_option(item) and any(ch.isspace() for ch in item.partition("=")[0].strip())


class Parsed:
    """The items read like click: options, stray values, and option items holding a space."""

    __slots__ = ("args", "glued", "strays")

    def __init__(
        self, args: list[Arg] | None = None, strays: list[Stray] | None = None, glued: list[int] | None = None
    ) -> None:
        self.args: list[Arg] = [] if args is None else args
        self.strays: list[Stray] = [] if strays is None else strays
        self.glued: list[int] = [] if glued is None else glued  # `--opt value` in one item


def parse(items: list[str]) -> Parsed:
    """Read argv items like click: an option that takes a value consumes the next item."""
    out = Parsed()
    index = 0
    while index < len(items):
        item = items[index]
        if not is_option(item):
            out.strays.append(Stray(index, item))
        elif has_space_in_name(item):
            out.glued.append(index)
        else:
            index = _read_option(items, index, out.args)
        index += 1
    return out


def _read_option(items: list[str], index: int, args: list[Arg]) -> int:
    """Append the option at `index`; return the index of the last item it used."""
    written, value = split_name(items[index])
    name = SHORT.get(written, written)
    option = OPTIONS.get(name)
    if value is None and option is not None and option.takes_value and index + 1 < len(items):
        args.append(Arg(index, written, name, items[index + 1], index + 1))
        return index + 1
    args.append(Arg(index, written, name, value, index if value is not None else None))
    return index


def status(name: str, version: Version) -> str:
    """ "" if `version` has the option; "unknown" if not sure; otherwise why it does not."""
    option = OPTIONS.get(name)
    if option is None:
        return "unknown" if version > NEWEST_KNOWN else "no such option"
    if option.added and version <= option.added[0]:
        return f"added after MLflow {'.'.join(map(str, option.added[0]))}"
    return ""


# Values click (or the server MLflow starts) refuses, per option, as MLflow 2.10.0-3.17.2 declare them:
# `--port` is click.INT; `--workers` is a string to click but becomes gunicorn's `-w` / uvicorn's `--workers`
# (integers); `--secrets-cache-*` are click.IntRange (3.17.2). Read from `mlflow.cli.server.params` in the
# oracle tier's venvs. Pass-through options are judged by `server_passthrough`.
VALUE_RANGES: dict[str, tuple[int | None, int | None]] = {
    "--port": (None, None),
    "--workers": (None, None),
    "--secrets-cache-ttl": (10, 300),
    "--secrets-cache-max-size": (1, 10000),
}


def value_problem(name: str, value: str) -> str:
    """Why MLflow refuses `value` for option `name` ("" when it takes it)."""
    if name in ("--gunicorn-opts", "--uvicorn-opts"):
        from mlflow_lint import server_passthrough

        return "; ".join(server_passthrough.problems(name, value))
    if name not in VALUE_RANGES:
        return ""
    try:
        number = int(value)
    except ValueError:
        return "the value is not an integer"
    low, high = VALUE_RANGES[name]
    if (low is not None and number < low) or (high is not None and number > high):
        return f"the value is not in the range {low}<=x<={high}"
    return ""


def did_you_mean(name: str) -> str | None:
    import difflib  # only when a suggestion is wanted

    close = difflib.get_close_matches(name, OPTIONS, n=1, cutoff=0.75)
    return close[0] if close else None
