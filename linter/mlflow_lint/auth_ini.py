"""basic_auth.ini as MLflow reads it, wherever it comes from.

Three sources feed the MLF5xx rules, each an `IniSource`:
- a file given on the command line (`mlflow-lint basic_auth.ini`): findings at its lines;
- the INI the chart renders from values (`Deployment.basic_auth.ini`, made by the adapter with
  `rendered_ini`; the seed chart writes five `key = value` lines, values inserted unquoted):
  findings at the values lines that produced each option;
- the `basic_auth.ini` key of the existing Secret the chart mounts, when the Secret manifest
  was given with `--secrets`: findings at the manifest's lines.
The engine attaches the sources to `ctx.extras["ini"]`; the rules only read them.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from functools import cached_property

from mlflow_lint.finding import Hit, Location
from mlflow_lint.helm_types import render_scalar
from mlflow_lint.passwords import COMMON
from mlflow_lint.paths import Path
from mlflow_lint.uris import raw_passwords

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any

    from mlflow_lint import ini_parse
    from mlflow_lint.context import Context
    from mlflow_lint.release import Values

SECTION = "mlflow"
BASIC_AUTH = ("trackingServer", "basicAuth")  # kept for `renders_ini(values)` (seed values); prefer the Deployment
SECRET_KEY = "basic_auth.ini"
PASSWORD_KEYS = ("admin_password",)
URI_KEYS = ("database_uri", "read_database_uri")


class IniSource:
    """One basic_auth.ini text and how to point at its lines.

    `origin` is "file", "values" (rendered by the chart) or "secret" (inside a manifest).
    `where(line, column)` maps an INI position to a Location; `paths` maps an option to the
    values path that produced it (rendered INI only).
    """

    def __init__(
        self,
        text: str,
        origin: str,
        where: Callable[[int, int], Location],
        paths: dict[str, Path] | None = None,
        label: str = "",
    ) -> None:
        self.text = text
        self.origin = origin
        self.where = where
        self.paths: dict[str, Path] = {} if paths is None else paths
        self.label = label  # names the INI in messages when it is not the reported file itself

    @property
    def prefix(self) -> str:
        return f"{self.label}: " if self.label else ""

    @cached_property
    def parsed(self) -> ini_parse.IniText:
        from mlflow_lint import ini_parse  # most lints have no INI to read

        return ini_parse.parse(self.text)

    @cached_property
    def options(self) -> dict[str, ini_parse.Option]:
        """The options MLflow reads: `[mlflow]` over `[DEFAULT]`."""
        return self.parsed.section(SECTION) if self.parsed.has_section(SECTION) else {}

    def value(self, key: str) -> str | None:
        """The interpolated value of `key`, None when absent or when interpolation fails."""
        from mlflow_lint import ini_parse

        option = self.options.get(key)
        return None if option is None else ini_parse.interpolated(option, self.options)

    def hit(self, key: str, line: int, column: int, message: str, hint: str = "") -> Hit:
        """A Hit at an INI position (or at the values line behind a rendered option)."""
        if self.origin == "values":
            path = self.paths.get(key) or self.paths.get(self._key_at(line)) or BASIC_AUTH
            return Hit(path, message, hint)
        return Hit((SECTION, key) if key else (SECTION,), message, hint, location=self.where(line, column))

    def _key_at(self, line: int) -> str:
        """The option whose lines include `line` (rendered values may hold newlines)."""
        owner = ""
        for option in self.parsed.options:
            if option.line <= line:
                owner = option.key
        return owner

    def option_hit(self, option: ini_parse.Option, message: str, hint: str = "", at_value: bool = True) -> Hit:
        line, column = option.value_lines[0][:2] if at_value else (option.line, option.column)
        return self.hit(option.key, line, column, message, hint)

    def secrets(self) -> set[str]:
        """Passwords in this INI (raw and interpolated), for the redactor."""
        found: set[str] = set()
        for key, option in self.options.items():
            if key in PASSWORD_KEYS:
                found.add(option.value)
                found.add(self.value(key) or "")
            if key in URI_KEYS:
                found.update(raw_passwords(option.value))
        return {s for s in found if worth_hiding(s)}


def worth_hiding(value: str) -> bool:
    """Redact everything but public words: masking `password` would garble every message."""
    return len(value) >= 4 and value.lower() not in COMMON


def file_source(name: str, text: str) -> IniSource:
    """A basic_auth.ini given on the command line."""
    return IniSource(text, "file", lambda line, column: Location(name, line, column))


def renders_ini(values: Values) -> bool:
    """Whether the seed chart renders basic_auth.ini from createSecret (basic auth on, no existingSecret).

    Deprecated: read `ctx.deployment.basic_auth.ini is not None`, which holds for every chart.
    """
    return values.get((*BASIC_AUTH, "enabled")) is True and not values.text((*BASIC_AUTH, "existingSecret"))


def rendered_ini(rendered: dict[str, tuple[Any, Path]], where: Location) -> IniSource:
    """The INI a chart writes from values: one `option = value` line per option, values
    inserted unquoted as Helm prints them. `rendered` maps option -> (value, values path)."""
    lines = [f"[{SECTION}]"]
    paths: dict[str, Path] = {}
    for option, (value, path) in rendered.items():
        lines.append(f"{option} = {render_scalar(value)}")
        paths[option] = path
    text = "\n".join(lines) + "\n"
    return IniSource(text, "values", lambda line, column: where, paths, label="the basic_auth.ini the chart renders")


def rendered_source(ctx: Context) -> IniSource | None:
    """The INI the chart generates from values, or None when it generates none."""
    return ctx.deployment.basic_auth.ini


def secret_source(ctx: Context) -> IniSource | None:
    """The `basic_auth.ini` of the Secret named by basicAuth.existingSecret, if known."""
    index = ctx.extras.get("secrets")
    auth = ctx.deployment.basic_auth
    name = auth.existing_secret
    if index is None or not name or not auth.enabled:
        return None
    secret = index.find(name)
    text = secret.data.get(SECRET_KEY) if secret is not None else None
    if not text:
        return None
    return IniSource(text, "secret", secret.text_location(SECRET_KEY), label=f"`{SECRET_KEY}` of Secret `{name}`")


def release_sources(ctx: Context) -> list[IniSource]:
    """The INI files a values release produces or references."""
    return [s for s in (rendered_source(ctx), secret_source(ctx)) if s is not None]


def attach(ctx: Context) -> None:
    """Put the release's INI sources and their passwords into ctx.extras (engine only)."""
    sources = ctx.extras.setdefault("ini", release_sources(ctx))
    secrets = list(ctx.extras.get("secret_values", ()))
    for source in sources:
        secrets.extend(source.secrets())
    ctx.extras["secret_values"] = secrets


def sources(ctx: Context) -> Iterable[IniSource]:
    """What the MLF5xx rules check."""
    return ctx.extras.get("ini", ())


# Functions MLflow's own modules offer as `authorization_function` (module -> names), MLflow 2.10.0-3.17.2
# (`def authenticate_request*` in mlflow/server/auth/__init__.py; identical in all four; unreleased master
# adds `mlflow.server.auth.session:authenticate_request_session`). MLflow resolves the value with
# importlib and getattr on the first request (`get_auth_func`), so an unknown name is an
# ImportError/AttributeError then (HTTP 500 on every request), checked in tests/oracle.
MLFLOW_AUTH_FUNCTIONS: dict[str, tuple[str, ...]] = {
    "mlflow.server.auth": ("authenticate_request_basic_auth", "authenticate_request"),
}
AUTH_FUNCTIONS_KNOWN_UP_TO = (3, 17, 2)


def mlflow_auth_function_problem(value: str) -> str:
    """Why `module:function` inside MLflow's own package names nothing ("" for other packages or when fine)."""
    module, _, function = value.strip().partition(":")
    if module != "mlflow" and not module.startswith("mlflow."):
        return ""  # the user's own package: not knowable offline
    known = MLFLOW_AUTH_FUNCTIONS.get(module)
    if known is None:
        return f"MLflow has no module `{module}` offering authorization functions (only `mlflow.server.auth`)"
    if function not in known:
        return f"`{module}` has no function `{function}` (it has {', '.join(known)})"
    return ""


# The basic-auth store's migrations on each dialect, MLflow 2.10.0-3.17.2 (tests/oracle, on MariaDB 10.11
# and PostgreSQL 15): MySQL/MariaDB stop at table `registered_model_permissions` ("Can't create table ...
# errno 121 Duplicate key": two foreign keys share a name; MLflow issues 9642 and 10964). An in-memory
# SQLite database (`sqlite://`, `sqlite:///:memory:`) is migrated on one connection and queried on another:
# "no such table: users".
AUTH_DB_CHECKED_UP_TO = (3, 17, 2)


def auth_database_problem(dialect: str, in_memory: bool) -> str:
    """Why the basic-auth store cannot start on this database ("" when it can)."""
    if dialect == "mysql":
        return (
            "MLflow's basic-auth migrations fail on MySQL/MariaDB (\"Can't create table "
            '`registered_model_permissions`": a duplicate foreign-key name)'
        )
    if in_memory:
        return 'an in-memory SQLite database loses the tables MLflow creates ("no such table: users")'
    return ""
