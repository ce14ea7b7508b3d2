"""Weak and default passwords, judged only where the release actually uses them.

Decision: a password is judged when the chart or MLflow will use it (basic auth enabled with
`createSecret`; the backend URI in v2 server modes that read it; URIs in `extraArgs` and
literal env values, which are always in the pod). Unused passwords are not judged: they are
still reported as plaintext credentials (MLF301) when set, which says what matters.
Database passwords are judged for being common or equal to the user name; MLflow's
12-character minimum applies only to MLflow users (the admin), not to database accounts.
"""

from __future__ import annotations

from collections.abc import Iterator

from mlflow_lint.auth_ini import renders_ini
from mlflow_lint.env_checks import entries
from mlflow_lint.passwords import Verdict, judge
from mlflow_lint.paths import Path, format_path
from mlflow_lint.secrets import filters
from mlflow_lint.secrets.auditor import Item, user_leaves
from mlflow_lint.uris import DB_DIALECTS, parse_db_uri

TYPE_CHECKING = False
if TYPE_CHECKING:
    from mlflow_lint.context import Context

WEAK_PASSWORD = "MLF309"
BASIC_AUTH: Path = ("trackingServer", "basicAuth")
ADMIN_PASSWORD: Path = (*BASIC_AUTH, "createSecret", "adminPassword")
ADMIN_USERNAME: Path = (*BASIC_AUTH, "createSecret", "adminUsername")
AUTH_DB_URI: Path = (*BASIC_AUTH, "createSecret", "databaseUri")
BACKEND_URI: Path = ("backendStore", "createSecret", "backendStoreUri")
ADMIN_ENV = "MLFLOW_AUTH_ADMIN_PASSWORD"
ADMIN_HINT = (
    "use a long random password (MLflow 2.22+ requires at least 12 characters), ideally in a "
    "basic_auth.ini kept in a Secret named by `trackingServer.basicAuth.existingSecret`"
)


def weak_passwords(ctx: Context) -> Iterator[Item]:
    """Every weak password the release uses."""
    if not ctx.chart.name.startswith("seed"):
        if ctx.has_deployment:  # another chart, or manifests: what the model says the INI gets
            yield from _rendered_admin_password(ctx)
    elif renders_ini(ctx.values):
        yield from _admin_password(ctx)
        yield from _db_password(ctx, AUTH_DB_URI)
    if _backend_uri_used(ctx):
        yield from _db_password(ctx, BACKEND_URI)
    for leaf in user_leaves(ctx):
        if not isinstance(leaf.value, str):
            continue
        # MLflow reads ADMIN_ENV after 3.15.1 (present in 3.17.2) and ignores it before
        if leaf.env_name == ADMIN_ENV and _basic_auth_on(ctx) and ctx.mlflow.at_least(3, 15, 2):
            yield from _env_admin(ctx, leaf.path, leaf.value)
        elif leaf.env_name or leaf.path[:2] == ("trackingServer", "extraArgs"):
            yield from _uri_passwords(ctx, leaf.path, leaf.value)


def _basic_auth_on(ctx: Context) -> bool:
    args = ctx.values.get(("trackingServer", "extraArgs"), [])
    in_args = isinstance(args, list) and any(isinstance(a, str) and "basic-auth" in a for a in args)
    return ctx.values.get((*BASIC_AUTH, "enabled")) is True or in_args


def _backend_uri_used(ctx: Context) -> bool:
    """v2 reads the generated MLFLOW_BACKEND_STORE_URI in both tracking modes; v1's key is never read."""
    if ctx.is_v1 or ctx.values.text(("backendStore", "existingSecret")):
        return False
    return ctx.values.get(("trackingServer", "mode")) != "artifacts-only"


def _admin_password(ctx: Context) -> Iterator[Item]:
    value = ctx.values.get(ADMIN_PASSWORD)
    if not isinstance(value, str) or filters.is_reference(value) or filters.is_placeholder(value):
        return
    verdict = judge(value, ctx.values.text(ADMIN_USERNAME), ctx.mlflow)
    if not verdict.weak:
        return
    if ctx.values.is_set_by_user(ADMIN_PASSWORD):
        message = f"`{format_path(ADMIN_PASSWORD)}` is a weak admin password: {_why(verdict)}"
        yield Item(WEAK_PASSWORD, ADMIN_PASSWORD, message, ADMIN_HINT, value)
        return
    message = (
        f"basic auth creates the admin user with the chart's default password because "
        f"`{format_path(ADMIN_PASSWORD)}` is not set: {_why(verdict)}"
    )
    yield Item(WEAK_PASSWORD, BASIC_AUTH, message, ADMIN_HINT, value, at_key=True)


def _rendered_admin_password(ctx: Context) -> Iterator[Item]:
    """The admin password a published chart renders into basic_auth.ini from the values."""
    auth = ctx.deployment.basic_auth
    value, path = auth.values.get("admin_password", (None, ()))
    written = bool(path) and ctx.values.is_set_by_user(path) and ctx.values.get(path) == value
    if not auth.enabled or not isinstance(value, str) or not written:
        return  # MLflow's packaged INI (the chart writes no password) is MLF513's
    if filters.is_reference(value) or filters.is_placeholder(value):
        return
    username = auth.values.get("admin_username", (None, ()))[0]
    verdict = judge(value, username if isinstance(username, str) else "", ctx.mlflow)
    if verdict.weak:
        message = f"`{format_path(path)}` is a weak admin password: {_why(verdict)}"
        secret = f" named by `{format_path(auth.existing_path)}`" if auth.existing_path else ""
        hint = f"use a long random password, kept in a Secret{secret} instead of the values"
        yield Item(WEAK_PASSWORD, path, message, hint, value)


def _env_admin(ctx: Context, path: Path, value: str) -> Iterator[Item]:
    if filters.is_reference(value) or filters.is_placeholder(value):
        return
    verdict = judge(value, _env_value(ctx, "MLFLOW_AUTH_ADMIN_USERNAME") or ctx.values.text(ADMIN_USERNAME), ctx.mlflow)
    if verdict.weak:
        message = f"env var `{ADMIN_ENV}` (`{format_path(path)}`) is a weak admin password: {_why(verdict)}"
        yield Item(WEAK_PASSWORD, path, message, ADMIN_HINT, value)


def _env_value(ctx: Context, name: str) -> str:
    """The first literal string `extraEnv` value of `name` ("" if none)."""
    return next((e.text for e in entries(ctx.values) if e.name == name and e.text is not None), "")


def _db_password(ctx: Context, path: Path) -> Iterator[Item]:
    if ctx.values.is_set_by_user(path):
        yield from _uri_passwords(ctx, path, ctx.values.text(path))


def _uri_passwords(ctx: Context, path: Path, text: str) -> Iterator[Item]:
    """Database URIs anywhere in `text` (`--backend-store-uri=...`) with a common password."""
    start = text.find("://")
    if start < 0:
        return
    head = text[:start].rsplit("=", 1)[-1].rsplit(" ", 1)[-1]
    uri = parse_db_uri(head + text[start:].split()[0])
    if uri is None or uri.dialect not in DB_DIALECTS or not uri.password:
        return
    if filters.is_reference(uri.password) or filters.is_placeholder(uri.password):
        return
    reasons = [r for r in judge(uri.password, uri.username, ctx.mlflow).reasons if not r.startswith("it has only")]
    if reasons:
        message = f"`{format_path(path)}` uses a weak database password ({uri.redacted()}): {'; '.join(reasons)}"
        yield Item(WEAK_PASSWORD, path, message, "use a long random database password kept in a Secret", uri.password)


def _why(verdict: Verdict) -> str:
    parts = list(verdict.reasons)
    if verdict.rejected_by_mlflow:
        parts.append(verdict.rejected_by_mlflow + ", so the server fails to start while the admin user does not exist")
    return "; ".join(parts)
