"""MLF5xx: basic_auth.ini, as a file, rendered from the values, or inside a Secret manifest.

The file-structure rules (501-506, 514, 515) are here; the value rules (507-513) are in
`auth_ini_values`. Every rule iterates `auth_ini.sources(ctx)`; a standalone INI lint runs
only rules that declare `needs=("ini",)`.
"""

from __future__ import annotations

from collections.abc import Iterator

from mlflow_lint import auth_ini
from mlflow_lint.finding import Hit, Severity
from mlflow_lint.rules import basic_auth_ini_values
from mlflow_lint.rules.base import Rule, rule

TYPE_CHECKING = False
if TYPE_CHECKING:
    from mlflow_lint.context import Context

INI = ("ini",)


@rule(code="MLF501", name="ini-syntax-error", severity=Severity.ERROR, needs=INI)
def ini_syntax_error(ctx: Context) -> Iterator[Hit]:
    """A line of basic_auth.ini that Python's configparser refuses.

    Why it matters: MLflow reads the file with `configparser.ConfigParser()` when
    `mlflow.server.auth` is imported, so a MissingSectionHeaderError or ParsingError stops
    every worker at boot and the pod crash-loops.
    Example: an option before the first `[mlflow]` header, or a line `admin` with no `=`.
    Fix: start the file with `[mlflow]`, write every option as `key = value`, indent
    continuation lines and start comment lines with `#` or `;`.
    """
    for source in auth_ini.sources(ctx):
        for problem in source.parsed.problems:
            if problem.kind == "syntax":
                yield source.hit(
                    problem.key, problem.line, problem.column, f"{source.prefix}{problem.message}", problem.hint
                )


@rule(code="MLF502", name="missing-mlflow-section", severity=Severity.ERROR, needs=INI)
def missing_mlflow_section(ctx: Context) -> Iterator[Hit]:
    """basic_auth.ini has no section named exactly `[mlflow]`.

    Why it matters: MLflow reads `config["mlflow"][...]`; without that exact, case-sensitive
    section the server fails at start-up with `KeyError: 'mlflow'`.
    Example: `[MLflow]` or `[ mlflow ]` or `[auth]` as the only section.
    Fix: name the section `[mlflow]`.
    """
    for source in auth_ini.sources(ctx):
        parsed = source.parsed
        if parsed.fatal or parsed.has_section(auth_ini.SECTION):
            continue
        names = [name for name, _ in parsed.sections]
        near = [n for n in names if n.strip().lower() == auth_ini.SECTION]
        line = next((number for name, number in parsed.sections if name in near), 1)
        hint = (
            f"rename `[{near[0]}]` to `[mlflow]` (section names are case-sensitive)"
            if near
            else "add a `[mlflow]` header above the options"
        )
        yield source.hit(
            "",
            line,
            1,
            f"{source.prefix}there is no `[mlflow]` section; MLflow stops at start-up with KeyError: 'mlflow'",
            hint,
        )


@rule(code="MLF503", name="duplicate-ini-entry", severity=Severity.ERROR, needs=INI)
def duplicate_ini_entry(ctx: Context) -> Iterator[Hit]:
    """A section or option appears twice in basic_auth.ini (option names ignore case).

    Why it matters: configparser runs in strict mode, so MLflow stops at start-up with
    DuplicateSectionError or DuplicateOptionError; `Admin_Password` and `admin_password`
    are the same option.
    Example: `admin_password = ...` twice in `[mlflow]`.
    Fix: keep one line per option and one `[mlflow]` section.
    """
    for source in auth_ini.sources(ctx):
        for problem in source.parsed.problems:
            if problem.kind.startswith("duplicate"):
                yield source.hit(
                    problem.key, problem.line, problem.column, f"{source.prefix}{problem.message}", problem.hint
                )


@rule(code="MLF504", name="ini-interpolation-error", severity=Severity.ERROR, needs=INI)
def ini_interpolation_error(ctx: Context) -> Iterator[Hit]:
    """A `%` in a basic_auth.ini value that configparser's interpolation refuses.

    Why it matters: MLflow's ConfigParser uses BasicInterpolation: a `%` must be written
    `%%` (or be a `%(option)s` reference). A URL-encoded database password (`p%40ss`) or a
    password containing `%` raises InterpolationSyntaxError when MLflow reads the value, and
    the server does not start. The chart inserts `createSecret` values unquoted, so a `%` in
    `databaseUri` or `adminPassword` breaks the rendered file too.
    Example: `database_uri = postgresql://mlflow:p%40ss@db/mlflow_auth`.
    Fix: double every literal `%` (`p%%40ss`).
    """
    for source in auth_ini.sources(ctx):
        from mlflow_lint.ini_parse import interpolation_problem  # only when there is an INI to check

        for key, option in source.options.items():
            if key not in basic_auth_ini_values.ALL_KEYS:
                continue
            problem = interpolation_problem(option, source.options)
            if problem is not None:
                line, column = option.position_of(problem.offset)
                yield source.hit(
                    key,
                    line,
                    column,
                    f"{source.prefix}`{key}` contains {problem.message}; MLflow cannot read the value",
                    "write a literal `%` as `%%`",
                )


@rule(code="MLF505", name="ini-inline-comment", severity=Severity.ERROR, needs=INI)
def ini_inline_comment(ctx: Context) -> Iterator[Hit]:
    """A `#` or `;` comment after a value in basic_auth.ini, which configparser keeps as part of the value.

    Why it matters: MLflow's ConfigParser strips only whole-line comments, so
    `default_permission = READ  # everyone can read` makes the permission the whole text
    after `=`, which MLflow rejects on every permission check; in a password or URI the
    comment silently becomes part of it.
    Example: `default_permission = READ # default`.
    Fix: move the comment to its own line above the option.
    """
    for source in auth_ini.sources(ctx):
        for key, option in source.options.items():
            offset = basic_auth_ini_values.inline_comment_offset(option.value)
            if offset >= 0:
                line, column = option.position_of(offset)
                marker = option.value[offset]
                yield source.hit(
                    key,
                    line,
                    column,
                    f"{source.prefix}the `{marker}` after the value of `{key}` "
                    "does not start a comment; configparser keeps it as part of the value",
                    "put the comment on its own line",
                )


@rule(code="MLF506", name="missing-ini-key", severity=Severity.ERROR, needs=INI)
def missing_ini_key(ctx: Context) -> Iterator[Hit]:
    """A key MLflow requires in `[mlflow]` is missing or empty.

    Why it matters: MLflow reads `default_permission`, `database_uri`, `admin_username` and
    `admin_password` with `config["mlflow"][key]`, so a missing key is a KeyError at
    start-up; an empty admin user name is refused. From MLflow 3.17.2 (absent in 3.15.1) the admin
    keys may come from MLFLOW_AUTH_ADMIN_USERNAME / MLFLOW_AUTH_ADMIN_PASSWORD instead, and without
    either the server refuses to start ("needs a username for the admin user"). A standalone
    basic_auth.ini cannot show the server's environment, so on 3.17.2 it is judged on its own and the
    message names the variable (deliberately stricter when the variable is set; tests/oracle records it).
    Example: a `[mlflow]` section with only `default_permission = READ`.
    Fix: add the missing keys (see MLflow's packaged basic_auth.ini).
    """
    for source in auth_ini.sources(ctx):
        if not source.parsed.has_section(auth_ini.SECTION):
            continue
        for key in basic_auth_ini_values.required_keys(ctx, source):
            option = source.options.get(key)
            if option is None:
                line = next(n for name, n in source.parsed.sections if name == auth_ini.SECTION)
                yield source.hit(
                    key,
                    line,
                    1,
                    f"{source.prefix}`[mlflow]` has no `{key}`; " + _missing_key_consequence(ctx, key),
                    f"add `{key} = ...`",
                )
            elif key == "admin_username" and not option.value.strip():
                yield source.option_hit(
                    option,
                    f"{source.prefix}`admin_username` is empty; MLflow refuses to create the admin user",
                    "set the admin user name",
                )


def _missing_key_consequence(ctx: Context, key: str) -> str:
    """What MLflow does without the key: a KeyError, or (3.17.2 admin keys) a refusal unless the env has it."""
    if key.startswith("admin_") and ctx.mlflow.at_least(3, 17, 2):
        env = "MLFLOW_AUTH_ADMIN_USERNAME" if key == "admin_username" else "MLFLOW_AUTH_ADMIN_PASSWORD"
        return (
            f"{ctx.mlflow.describe()} refuses to start unless {env} is set in the server's environment "
            "(it then overrides the file)"
        )
    return f"MLflow stops at start-up with KeyError: '{key}'"


@rule(code="MLF514", name="unknown-ini-key", severity=Severity.WARNING, needs=INI)
def unknown_ini_key(ctx: Context) -> Iterator[Hit]:
    """An option or section in basic_auth.ini that the MLflow version does not read.

    Why it matters: MLflow ignores it silently, so a misspelt option (`default_permisson`)
    leaves the default in force, and a 3.17.2 option is ignored by older servers.
    Example: `admin_pasword = ...`, or `read_database_uri` on MLflow 2.14.1.
    Fix: correct the name as suggested, or remove the line.
    """
    known = basic_auth_ini_values.known_keys(ctx.mlflow)
    for source in auth_ini.sources(ctx):
        for key, option in source.options.items():
            if key in known:
                continue
            yield source.option_hit(
                option, f"{source.prefix}{_unknown(key, known, ctx)}", "correct or remove the option", at_value=False
            )
        for name, line in source.parsed.sections:
            if name not in (auth_ini.SECTION, "DEFAULT") and name.strip().lower() != auth_ini.SECTION:
                yield source.hit(
                    "",
                    line,
                    1,
                    f"{source.prefix}MLflow reads only `[mlflow]`; section `[{name}]` is ignored",
                    "move its options into `[mlflow]` or remove it",
                )


def _unknown(key: str, known: tuple[str, ...], ctx: Context) -> str:
    if key in basic_auth_ini_values.ALL_KEYS:
        return f"`{key}` is read only from MLflow 3.17.2; {ctx.mlflow.describe('MLflow before 3.17.2')} ignores it"
    import difflib  # only when a suggestion is wanted

    close = difflib.get_close_matches(key, known, n=1, cutoff=0.7)
    suggestion = f"; did you mean `{close[0]}`?" if close else f" (known: {', '.join(known)})"
    return f"MLflow does not read option `{key}`{suggestion}"


@rule(code="MLF515", name="invalid-ini-value-type", severity=Severity.ERROR, needs=INI)
def invalid_ini_value_type(ctx: Context) -> Iterator[Hit]:
    """A 3.17.2 option whose value configparser cannot read as its type (boolean or integer).

    Why it matters: MLflow 3.17.2 reads `grant_default_workspace_access` with `getboolean`
    and the cache sizes and TTLs with `getint`; any other text raises ValueError at start-up.
    Example: `auth_cache_ttl_seconds = 10m`.
    Fix: booleans are 1/yes/true/on or 0/no/false/off; sizes and TTLs are whole numbers.
    """
    if not ctx.mlflow.at_least(3, 17, 2):
        return
    for source in auth_ini.sources(ctx):
        for key, kind in basic_auth_ini_values.TYPED_KEYS.items():
            option = source.options.get(key)
            if option is not None and not basic_auth_ini_values.type_ok(option.value, kind):
                yield source.option_hit(
                    option,
                    f"{source.prefix}`{key}` must be {kind}; MLflow raises ValueError at start-up",
                    "see the option's documentation",
                )


RULES: tuple[Rule, ...] = (
    ini_syntax_error,
    missing_mlflow_section,
    duplicate_ini_entry,
    ini_interpolation_error,
    ini_inline_comment,
    missing_ini_key,
    *basic_auth_ini_values.RULES,
    unknown_ini_key,
    invalid_ini_value_type,
)
