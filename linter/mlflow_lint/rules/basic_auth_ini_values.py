"""MLF507-513: the values in basic_auth.ini (permission, database, authorization function, password).

The database rules run on INI files and Secret manifests only: for the INI the chart renders
from the values, MLF102/105/106/109 already judge `createSecret.databaseUri`, and the
secret auditor (MLF3xx) judges `createSecret.adminPassword`.
"""

from __future__ import annotations

import os
import re
from collections.abc import Iterator

from mlflow_lint import auth_ini, pod_env, server_settings
from mlflow_lint.finding import Hit, Severity
from mlflow_lint.passwords import Verdict, judge
from mlflow_lint.rules.base import Rule, rule
from mlflow_lint.uri_checks import backend_kind, db_uri_problems, is_placeholder, sqlite_path
from mlflow_lint.uris import parse_db_uri
from mlflow_lint.versions import MlflowVersion

TYPE_CHECKING = False
if TYPE_CHECKING:
    from mlflow_lint.auth_ini import IniSource
    from mlflow_lint.context import Context
    from mlflow_lint.ini_parse import Option

INI = ("ini",)
BASE_KEYS = ("default_permission", "database_uri", "admin_username", "admin_password", "authorization_function")
KEYS_3_17_2 = (
    "grant_default_workspace_access",
    "workspace_cache_max_size",
    "workspace_cache_ttl_seconds",
    "auth_cache_max_size",
    "auth_cache_ttl_seconds",
    "read_database_uri",
)
ALL_KEYS = BASE_KEYS + KEYS_3_17_2
TYPED_KEYS = {
    "grant_default_workspace_access": "a boolean",
    "workspace_cache_max_size": "an integer",
    "workspace_cache_ttl_seconds": "an integer",
    "auth_cache_max_size": "an integer",
    "auth_cache_ttl_seconds": "an integer",
}
_BOOLEANS = ("1", "yes", "true", "on", "0", "no", "false", "off")  # ConfigParser.BOOLEAN_STATES
# Pattern texts, compiled by `re` when basic auth is configured.
_FUNCTION = r"^[A-Za-z_][A-Za-z0-9_]*(\.[A-Za-z_][A-Za-z0-9_]*)*:[A-Za-z_][A-Za-z0-9_]*$"
_INLINE = r"\s[#;]"
_DEFAULT_PORTS = {"postgresql": 5432, "mysql": 3306, "mssql": 1433}


def known_keys(mlflow: MlflowVersion) -> tuple[str, ...]:
    """The options this MLflow version reads (facts file 7.2)."""
    return ALL_KEYS if mlflow.at_least(3, 17, 2) else BASE_KEYS


def permissions(mlflow: MlflowVersion) -> tuple[str, ...]:
    """Valid `default_permission` values: USE from 3.12, DENY from 3.17.2."""
    out: tuple[str, ...] = ("READ", "EDIT", "MANAGE", "NO_PERMISSIONS")
    if mlflow.at_least(3, 12):
        out += ("USE",)
    if mlflow.at_least(3, 17, 2):
        out += ("DENY",)
    return out


def inline_comment_offset(value: str) -> int:
    """Offset of a `#`/`;` preceded by whitespace (an inline comment configparser keeps), or -1."""
    match = re.search(_INLINE, value)
    return match.start() + 1 if match else -1


def without_comment(value: str) -> str:
    offset = inline_comment_offset(value)
    return value[:offset].rstrip() if offset >= 0 else value


def type_ok(value: str, kind: str) -> bool:
    text = value.strip()
    return text.lower() in _BOOLEANS if kind == "a boolean" else bool(re.fullmatch(r"[-+]?\d+", text))


def required_keys(ctx: Context, source: IniSource) -> list[str]:
    """Keys MLflow reads with `[...]`; the admin keys may come from env vars from 3.17.2."""
    keys = ["default_permission", "database_uri"]
    for key, env in (
        ("admin_username", "MLFLOW_AUTH_ADMIN_USERNAME"),
        ("admin_password", "MLFLOW_AUTH_ADMIN_PASSWORD"),
    ):
        if not ctx.mlflow.at_least(3, 17, 2):
            keys.append(key)
        elif source.origin == "file" or pod_env.lookup(ctx, env).certainly_absent:
            # A standalone file cannot tell whether the server's environment has the variable: MLflow
            # 3.17.2 stops at start-up without either ("needs a username for the admin user"), so the
            # file is judged on its own (the message names the variable; deliberate strictness when
            # the variable is set, recorded in tests/oracle).
            keys.append(key)
    return keys


def _value(source: IniSource, key: str) -> tuple[Option, str] | None:
    """The option and its interpolated value (raw when interpolation fails: MLF504 reports that)."""
    option = source.options.get(key)
    if option is None:
        return None
    value = source.value(key)
    return option, option.value if value is None else value


def _comment_explains(value: str, bad: bool, still_bad: bool) -> bool:
    """True when only an inline comment (reported by MLF505) makes the value bad."""
    return bad and not still_bad and inline_comment_offset(value) >= 0


@rule(code="MLF507", name="invalid-default-permission", severity=Severity.ERROR, needs=INI)
def invalid_default_permission(ctx: Context) -> Iterator[Hit]:
    """`default_permission` is not a permission this MLflow version knows (names are upper case).

    Why it matters: MLflow does not check the value at start-up, but looks it up on every
    permission check: each request for a resource without an explicit grant fails with a
    KeyError (HTTP 500). `USE` exists from MLflow 3.12, `DENY` from 3.17.2.
    Example: `default_permission = read`, or `DENY` on MLflow 2.14.1.
    Fix: use one of the listed permissions, in upper case.
    """
    valid = permissions(ctx.mlflow)
    for source in auth_ini.sources(ctx):
        found = _value(source, "default_permission")
        if found is None:
            continue
        option, value = found
        text = value.strip()
        if text in valid or _comment_explains(text, True, without_comment(text) not in valid):
            continue
        hint = f"write `{text.upper()}`" if text.upper() in valid else f"use one of {', '.join(valid)}"
        since = {"USE": "3.12", "DENY": "3.17.2"}.get(text)
        before = f"MLflow before {since}" if since else "any MLflow version"
        versions = ctx.mlflow.describe(before)  # the range itself when no version was given
        later = " (it exists only in later MLflow versions)" if since and versions != before else ""
        shown = f"`{text[:40]}` is not valid" if text else "is empty, which is not valid"
        yield source.option_hit(
            option,
            f"{source.prefix}`default_permission` {shown} for {versions}{later}; every permission check would fail",
            hint,
        )


@rule(code="MLF508", name="invalid-auth-database-uri", severity=Severity.ERROR, needs=INI)
def invalid_auth_database_uri(ctx: Context) -> Iterator[Hit]:
    """`database_uri` (or `read_database_uri`) is not a database URI MLflow accepts.

    Why it matters: MLflow checks the dialect at start-up (`sqlite`, `postgresql`, `mysql`,
    `mssql`, at most one `+driver`) and SQLAlchemy refuses malformed URLs; the server stops.
    Example: `database_uri = postgres://mlflow@db/auth` (the dialect is `postgresql`).
    Fix: write `<dialect>[+<driver>]://<user>:<password>@<host>:<port>/<database>`.
    """
    for source in auth_ini.sources(ctx):
        if source.origin == "values":
            continue  # MLF102 judges createSecret.databaseUri
        for key in ("database_uri", "read_database_uri"):
            found = _value(source, key)
            if found is None or is_placeholder(found[1]):
                continue
            option, value = found
            problems = db_uri_problems(value.strip()) if value.strip() else ["it is empty"]
            if not problems or _comment_explains(value, True, bool(db_uri_problems(without_comment(value)))):
                continue
            yield source.option_hit(
                option,
                f"{source.prefix}`{key}` {problems[0]}; MLflow stops at start-up",
                "see the SQLAlchemy URL forms for the four dialects",
            )


@rule(code="MLF517", name="auth-database-fails-at-start", severity=Severity.ERROR, needs=INI)
def auth_database_fails_at_start(ctx: Context) -> Iterator[Hit]:
    """The basic-auth `database_uri` is a database on which MLflow's auth store cannot start.

    Why it matters: MLflow creates and migrates the users/permissions tables at start-up. On MySQL and
    MariaDB the migration stops at `registered_model_permissions` (two foreign keys with one name;
    MLflow issues 9642 and 10964); an in-memory SQLite database is migrated on one connection and read
    on another ("no such table: users"). Either way the server does not start. Checked against MLflow
    2.10.0, 2.14.1, 2.22.5 and 3.17.2 on a real MariaDB (tests/oracle); newer versions are not judged.
    Example: `database_uri = mysql+pymysql://mlflow:...@db/mlflow_auth`, `database_uri = sqlite://`.
    Fix: a PostgreSQL database or a SQLite file on a volume for the auth store (it may differ from the
    tracking database's engine).
    """
    if ctx.mlflow.version > auth_ini.AUTH_DB_CHECKED_UP_TO:
        return
    for source in auth_ini.sources(ctx):
        found = _value(source, "database_uri")
        if found is None or is_placeholder(found[1]):
            continue
        option, value = found
        parsed = parse_db_uri(value.strip())
        if parsed is None:
            continue  # MLF508 / MLF102
        in_memory = parsed.is_sqlite and source.origin != "values" and sqlite_path(value.strip()) in ("", ":memory:")
        problem = auth_ini.auth_database_problem(parsed.dialect, in_memory)
        if problem:
            yield source.option_hit(
                option,
                f"{source.prefix}`database_uri`: {problem}; the server does not start",
                "use PostgreSQL or a SQLite file on a volume for the auth database",
            )


@rule(code="MLF509", name="ephemeral-auth-database", severity=Severity.WARNING, needs=INI)
def ephemeral_auth_database(ctx: Context) -> Iterator[Hit]:
    """The basic-auth database is a relative SQLite path or an in-memory SQLite database.

    Why it matters: a relative path resolves against the server's working directory (`/` in
    the default image), not a volume, so users and permissions vanish when the pod restarts
    (and the admin password resets); in-memory databases differ per worker.
    Example: `database_uri = sqlite:///basic_auth.db` (three slashes: relative).
    Fix: `sqlite:////data/basic_auth.db` on a mounted volume, or a database server.
    """
    for source in auth_ini.sources(ctx):
        if source.origin == "values":
            continue  # MLF105/MLF106 judge createSecret.databaseUri
        found = _value(source, "database_uri")
        path = sqlite_path(without_comment(found[1]).strip()) if found else None
        if found is None or path is None or path.startswith("/"):
            continue
        what = "an in-memory SQLite database" if path in ("", ":memory:") else f"relative SQLite path `{path}`"
        yield source.option_hit(
            found[0],
            f"{source.prefix}`database_uri` is {what}; users and permissions are lost when the pod restarts",
            "use an absolute path on a volume or a database server",
        )


@rule(code="MLF510", name="auth-database-is-backend-database", severity=Severity.ERROR, needs=INI)
def auth_database_is_backend_database(ctx: Context) -> Iterator[Hit]:
    """The basic_auth.ini `database_uri` of a Secret is the tracking database, on MLflow < 3.8.

    Why it matters: up to at least MLflow 3.3 the auth schema and the tracking schema both
    keep their revision in table `alembic_version`; the migrations overwrite each other and
    the server refuses to start. (MLF109 checks the INI the chart renders.)
    Example: the Secret's `database_uri` and `MLFLOW_BACKEND_STORE_URI` both point at `db/mlflow`.
    Fix: give basic auth its own database.
    """
    if ctx.mlflow.at_least(3, 8):
        return
    backend = server_settings.backend_store(ctx)
    for source in auth_ini.sources(ctx):
        found = _value(source, "database_uri")
        if source.origin != "secret" or found is None or backend.value is None:
            continue
        uri = without_comment(found[1]).strip()  # an inline comment is MLF505's finding
        if backend_kind(uri) == "db" and same_database(uri, backend.value):
            yield source.option_hit(
                found[0],
                f"{source.prefix}`database_uri` is the tracking database "
                f"({backend.source}); on {ctx.mlflow.describe('MLflow before 3.8')} both use table "
                "alembic_version and their migrations clash",
                "use a separate database",
            )


def same_database(one: str, two: str) -> bool:
    """Do two SQLAlchemy URIs name the same database (driver and credentials aside)?"""
    a, b = parse_db_uri(one), parse_db_uri(two)
    if a is None or b is None or a.dialect != b.dialect:
        return False
    if a.is_sqlite:
        return os.path.normpath(a.sqlite_path() or ":memory:") == os.path.normpath(b.sqlite_path() or ":memory:")
    port_a, port_b = (p.port or _DEFAULT_PORTS.get(p.dialect) for p in (a, b))
    return (a.host.lower(), port_a, a.database) == (b.host.lower(), port_b, b.database)


@rule(code="MLF511", name="invalid-authorization-function", severity=Severity.ERROR, needs=INI)
def invalid_authorization_function(ctx: Context) -> Iterator[Hit]:
    """`authorization_function` is not of the form `module.path:function`.

    Why it matters: MLflow splits the value at `:` and imports the module on the first
    request, so a malformed value makes every request fail with HTTP 500 (not at start-up,
    where it would be noticed).
    Example: `authorization_function = mlflow.server.auth.authenticate_request_basic_auth`.
    Fix: `mlflow.server.auth:authenticate_request_basic_auth` (the default), or your own
    `package.module:function`.
    """
    for source in auth_ini.sources(ctx):
        found = _value(source, "authorization_function")
        if found is None:
            continue
        option, value = found
        good = bool(re.match(_FUNCTION, value.strip()))
        if good or _comment_explains(value, True, not re.match(_FUNCTION, without_comment(value).strip())):
            continue
        yield source.option_hit(
            option,
            f"{source.prefix}`authorization_function` is not `module.path:function`; "
            "every request would fail when MLflow imports it",
            "e.g. `mlflow.server.auth:authenticate_request_basic_auth`",
        )


@rule(code="MLF516", name="unknown-mlflow-authorization-function", severity=Severity.ERROR, needs=INI)
def unknown_mlflow_authorization_function(ctx: Context) -> Iterator[Hit]:
    """`authorization_function` names a module or function that MLflow's own package does not have.

    Why it matters: MLflow imports the module and looks the function up on the first request
    (`get_auth_func`), so a misspelt name inside `mlflow.` fails every request with HTTP 500 while the
    server looks healthy. Known for MLflow 2.10.0-3.17.2 (checked in tests/oracle): `mlflow.server.auth`
    offers `authenticate_request_basic_auth` (the default) and `authenticate_request`. Functions in the
    user's own packages are not judged (they are in the image, which the linter cannot see); newer MLflow
    versions are not judged either.
    Example: `authorization_function = mlflow.server.auth:authenticate_request_basic`.
    Fix: `mlflow.server.auth:authenticate_request_basic_auth`, or your own `package.module:function`.
    """
    if ctx.mlflow.version > auth_ini.AUTH_FUNCTIONS_KNOWN_UP_TO:
        return
    for source in auth_ini.sources(ctx):
        found = _value(source, "authorization_function")
        if found is None or not re.match(_FUNCTION, found[1].strip()):
            continue  # MLF511 reports the form
        problem = auth_ini.mlflow_auth_function_problem(found[1])
        if problem:
            yield source.option_hit(
                found[0],
                f"{source.prefix}`authorization_function`: {problem}; every request "
                "fails with HTTP 500 when MLflow looks it up",
                "e.g. `mlflow.server.auth:authenticate_request_basic_auth`",
            )


def _passwords(ctx: Context) -> Iterator[tuple[IniSource, Option, Verdict]]:
    for source in auth_ini.sources(ctx):
        if source.origin == "values":
            continue  # the secret auditor (MLF3xx) judges createSecret.adminPassword
        found = _value(source, "admin_password")
        user = _value(source, "admin_username")
        if found is not None:
            yield source, found[0], judge(found[1], user[1] if user else "", ctx.mlflow)


@rule(code="MLF512", name="ini-admin-password-rejected", severity=Severity.ERROR, needs=INI)
def ini_admin_password_rejected(ctx: Context) -> Iterator[Hit]:
    """MLflow refuses the basic_auth.ini `admin_password` when it creates the admin user.

    Why it matters: from MLflow 2.22 a new user's password must have at least 12
    characters, and 3.17.2 refuses the old default `password1234`; the bootstrap admin is
    created at start-up, so the server does not start on a fresh auth database.
    Example: `admin_password = password` with MLflow 2.22.0 or later.
    Fix: use a long random password (and keep the file in a Secret).
    """
    for source, option, verdict in _passwords(ctx):
        if verdict.rejected_by_mlflow:
            yield source.option_hit(
                option,
                f"{source.prefix}`admin_password`: {verdict.rejected_by_mlflow}",
                "use a random password of 16+ characters",
            )


@rule(code="MLF513", name="weak-ini-admin-password", severity=Severity.WARNING, needs=INI)
def weak_ini_admin_password(ctx: Context) -> Iterator[Hit]:
    """The basic_auth.ini `admin_password` is weak: empty, well known, equal to the user name, or short.

    Why it matters: the admin account can manage every user and permission; MLflow's own
    defaults (`password`, `password1234`) are public knowledge.
    Example: `admin_username = admin` with `admin_password = admin`.
    Fix: use a long random password, stored in a Secret rather than in the repository.
    """
    for source, option, verdict in _passwords(ctx):
        reasons = verdict.reasons
        if reasons and not verdict.rejected_by_mlflow:
            yield source.option_hit(
                option,
                f"{source.prefix}`admin_password` is weak: {'; '.join(reasons)}",
                "use a random password of 16+ characters",
            )


RULES: tuple[Rule, ...] = (
    invalid_default_permission,
    invalid_auth_database_uri,
    ephemeral_auth_database,
    auth_database_is_backend_database,
    invalid_authorization_function,
    unknown_mlflow_authorization_function,
    auth_database_fails_at_start,
    ini_admin_password_rejected,
    weak_ini_admin_password,
)
