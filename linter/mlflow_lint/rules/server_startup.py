"""What a real `mlflow server` refuses at start-up, checked version by version in tests/oracle.

MLF630 option values, MLF631 a misspelt backend-store variable, MLF415 basic auth on the packaged ini
without an admin password, MLF111 the file store from 3.13.0. Reads the rendered `mlflow server` command
line (`server_args`: the chart's flags, then extraArgs) and the env vars click falls back to when an
option is absent. MLflow knowledge lives in `server_cli.value_problem`
and `server_passthrough`.
"""

from __future__ import annotations

from collections.abc import Iterator

from mlflow_lint import env_checks as checks
from mlflow_lint import server_args
from mlflow_lint import server_cli as cli
from mlflow_lint.finding import Hit, Severity
from mlflow_lint.rules.base import Rule, rule

TYPE_CHECKING = False
if TYPE_CHECKING:
    from mlflow_lint.context import Context

_ENVVARS = {
    o.envvar: o.name
    for o in cli.OPTIONS.values()
    if o.envvar and (o.name in cli.PASS_THROUGH or o.name in cli.VALUE_RANGES) and o.name not in ("--port", "--workers")
}  # MLF603 judges MLFLOW_PORT / MLFLOW_WORKERS


@rule(code="MLF630", name="invalid-server-option-value", severity=Severity.ERROR)
def invalid_server_option_value(ctx: Context) -> Iterator[Hit]:
    """A `mlflow server` option has a value that MLflow's CLI, or the server it starts, refuses.

    Why it matters: click rejects a `--port` that is not an integer and a `--secrets-cache-ttl` outside
    10-300 (3.x) with a usage error; `--workers` is a plain string to click but becomes gunicorn's `-w`
    (2.x) or uvicorn's `--workers` (3.x), which exit on anything but an integer; the words of
    `--gunicorn-opts` / `--uvicorn-opts` go to gunicorn / uvicorn, which exit on an unknown option or a
    value of the wrong type. In every case the pod crash-loops. Checked against MLflow 2.10.0, 2.14.1,
    2.22.5 and 3.17.2 (tests/oracle): the server refuses exactly these.
    Example: `extraArgs: ["--gunicorn-opts=--timeout=2m"]`, `["--workers=auto"]`.
    Fix: give the value the option's type (`--timeout=120`), or remove the option.
    Messages never quote the value (a pass-through string may carry a secret): they name the option and
    the position of the offending word.
    """
    seen: set[str] = set()
    for arg in server_args.server_args(ctx):
        if arg.value is None or not arg.from_user_args:
            continue  # the chart's own flags come from schema-typed keys (MLF002 judges those)
        if server_args.last(ctx, arg.option) is not arg:
            continue  # click keeps only the last occurrence; an earlier one is never parsed
        problem = cli.value_problem(arg.option, arg.value)
        seen.add(arg.option)
        if problem:
            yield Hit(
                arg.path,
                f"`{arg.option}` from {arg.source}: {problem}; `mlflow server` exits",
                "give the value the type the option takes, or remove the option",
            )
    for entry in checks.entries(ctx):
        option = _ENVVARS.get(entry.name)
        if option is None or option in seen or entry.text is None:
            continue
        problem = cli.value_problem(option, entry.text)
        if problem:
            yield Hit(
                entry.at("value"),
                f"`{entry.name}` (read as `{option}`): {problem}; `mlflow server` exits",
                "give the value the type the option takes, or remove the variable",
            )


_STORE_VARIABLES = ("MLFLOW_BACKEND_STORE_URI",)


@rule(code="MLF631", name="store-uri-in-misspelt-variable", severity=Severity.ERROR)
def store_uri_in_misspelt_variable(ctx: Context) -> Iterator[Hit]:
    """A variable that was meant to carry the backend store URI has a name MLflow does not read.

    Why it matters: `mlflow server` reads the backend store only from `--backend-store-uri` and
    `MLFLOW_BACKEND_STORE_URI`; with the name misspelt and nothing else setting the store, MLflow runs on
    its default (`./mlruns` before 3.8, `sqlite:///mlflow.db` from 3.8) inside the container: the database
    the values configure is never used and every run is lost with the pod. Checked against MLflow 2.10.0,
    2.14.1, 2.22.5 and 3.17.2 (tests/oracle): the server starts, and the configured database stays empty.
    MLF601 reports other misspelt names as warnings; this one is an error because the data goes astray.
    Example: `- {name: MLFLOW_BACKEND_STORE_URL, value: "postgresql://..."}` with no backendStore secret.
    Fix: rename it to `MLFLOW_BACKEND_STORE_URI` (or use `backendStore.existingSecret`).
    """
    from mlflow_lint import env_catalog as catalog
    from mlflow_lint.server_settings import backend_store

    entries = [e for e in checks.entries(ctx) if catalog.suggest(e.name) in _STORE_VARIABLES]
    if not entries:
        return
    used = backend_store(ctx)
    if not used.is_default or used.maybe:
        return  # the store is set elsewhere, or may be (a Secret the linter cannot see)
    for entry in entries:
        yield Hit(
            entry.at("name"),
            f"`{entry.name}` is read by nothing, and nothing else sets the backend store: MLflow runs on "
            f"its default `{used.value}` ({used.source}) and never uses this value",
            f"rename it to {catalog.suggest(entry.name)}",
        )


@rule(code="MLF415", name="packaged-auth-ini-without-admin-password", severity=Severity.ERROR)
def packaged_auth_ini_without_admin_password(ctx: Context) -> Iterator[Hit]:
    """Basic auth on MLflow >= 3.17.2 reads the basic_auth.ini MLflow ships, which has no admin password.

    Why it matters: without MLFLOW_AUTH_CONFIG_PATH, `--app-name=basic-auth` reads the packaged
    basic_auth.ini. Up to 3.15.1 it holds a default admin password (`password`, from 2.22.0
    `password1234`); 3.17.2 ships none and refuses to start unless MLFLOW_AUTH_ADMIN_PASSWORD is set
    ("MLflow Authentication needs a password to create the admin user"). Checked against MLflow
    2.10.0, 2.14.1, 2.22.5 (start) and 3.17.2 (refuses) in tests/oracle.
    Example: `extraArgs: ["--app-name=basic-auth"]` on `image.tag: v3.17.2`, no auth env vars.
    Fix: set MLFLOW_AUTH_ADMIN_PASSWORD from a Secret, or mount a basic_auth.ini and point
    MLFLOW_AUTH_CONFIG_PATH at it.
    """
    from mlflow_lint import pod_env

    app = server_args.basic_auth_app(ctx)
    if app is None or not ctx.mlflow.at_least(3, 17, 2):
        return
    if not pod_env.lookup(ctx, "MLFLOW_AUTH_CONFIG_PATH").likely_absent:
        return  # another ini is read (MLF402 and the ini rules judge it)
    password = pod_env.lookup(ctx, "MLFLOW_AUTH_ADMIN_PASSWORD")
    if password.likely_absent or (password.found is not None and password.found.value == ""):
        yield Hit(
            app.path,
            f"basic auth on {ctx.mlflow.describe()} reads MLflow's packaged basic_auth.ini (no "
            "MLFLOW_AUTH_CONFIG_PATH), which ships no admin password, and MLFLOW_AUTH_ADMIN_PASSWORD is "
            "not set: the server refuses to start",
            "set MLFLOW_AUTH_ADMIN_PASSWORD from a Secret, or mount a basic_auth.ini and set MLFLOW_AUTH_CONFIG_PATH",
        )


FILE_STORE_REFUSED_FROM = (3, 13, 0)  # mlflow-skinny 3.12.0 has no such check, 3.13.0 has it


@rule(code="MLF111", name="file-store-refused", severity=Severity.ERROR)
def file_store_refused(ctx: Context) -> Iterator[Hit]:
    """The backend store is a file store, which MLflow >= 3.13.0 refuses unless MLFLOW_ALLOW_FILE_STORE is true.

    Why it matters: from 3.13.0 the FileStore constructor raises "The filesystem tracking backend
    (e.g., './mlruns') is in maintenance mode ..." unless `MLFLOW_ALLOW_FILE_STORE=true`, so `mlflow
    server` fails at start-up ("Error initializing backend store"). 3.12.0 has no such check; checked
    against 2.10.0, 2.14.1, 2.22.5 (start) and 3.17.2 (refuses) in tests/oracle.
    Example: `backendStore.createSecret.backendStoreUri: /data/mlruns` on `image.tag: v3.17.2`.
    Fix: move to a database (`sqlite:////data/mlflow.db` on a volume, or PostgreSQL/MySQL) with
    `mlflow migrate-filestore`, or set `MLFLOW_ALLOW_FILE_STORE=true`.
    """
    from mlflow_lint import pod_env
    from mlflow_lint.server_settings import backend_store
    from mlflow_lint.uri_checks import backend_kind, is_placeholder

    if not ctx.mlflow.at_least(*FILE_STORE_REFUSED_FROM):
        return
    used = backend_store(ctx)
    if used.value is None or is_placeholder(used.value) or backend_kind(used.value) != "file":
        return
    allow = pod_env.lookup(ctx, "MLFLOW_ALLOW_FILE_STORE")
    if not allow.likely_absent and (allow.found is None or (allow.found.value or "").strip().lower() in ("true", "1")):
        return  # allowed, or an unseen source may allow it
    shown = used.value if "://" not in used.value else "the file store"
    yield Hit(
        used.path,
        f"the backend store `{shown}` ({used.source}) is a file store, which "
        f"{ctx.mlflow.describe()} refuses at start-up unless MLFLOW_ALLOW_FILE_STORE=true",
        "migrate to a database (`mlflow migrate-filestore`), or set MLFLOW_ALLOW_FILE_STORE=true",
    )


RULES: tuple[Rule, ...] = (
    invalid_server_option_value,
    store_uri_in_misspelt_variable,
    packaged_auth_ini_without_admin_password,
    file_store_refused,
)
