"""Which endpoints the pod would contact, derived from the values as the chart renders them.

The backend URI, default artifact root, artifacts destination and serve mode come from
`server_settings` (command line beats env, MLflow's defaults otherwise), so the probe sees
what `mlflow server` would. Credentials come from `credentials`. Targets that cannot be
probed from here (a relative path inside the container, a Secret not given) are returned
with `skip` set, so the report says why nothing was contacted.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import replace

from mlflow_lint import pod_env, server_settings
from mlflow_lint.context import Context
from mlflow_lint.paths import Path, format_path
from mlflow_lint.probes import credentials
from mlflow_lint.probes.base import Target
from mlflow_lint.server_args import last
from mlflow_lint.uris import parse_artifact_uri, parse_db_uri, redact
from mlflow_lint.versions import show

ARTIFACT_PROBES = {
    "s3": "s3",
    "gs": "gcs",
    "wasbs": "azure_blob",
    "oss": "oss",
    "ftp": "ftp",
    "sftp": "sftp",
    "hdfs": "hdfs",
    "viewfs": "hdfs",
    "": "local",
    "file": "local",
}
INDIRECT = ("mlflow-artifacts", "http", "https", "runs", "models", "dbfs")
AUTH_INI_KEY = "basic_auth.ini"
AUTH_MOUNT = "/etc/mlflow/basic_auth.ini"


def plan(ctx: Context, groups: Iterable[str] | None) -> list[Target]:
    """All targets of the selected groups (None = every applicable one)."""
    chosen = set(groups) if groups is not None else None
    out: list[Target] = []
    if chosen is None or "db" in chosen:
        out.extend(_backend(ctx))
    if chosen is None or "artifacts" in chosen:
        out.extend(_artifacts(ctx))
    if chosen is None or "auth" in chosen:
        out.extend(_auth(ctx, explicit=chosen is not None))
    return out


def _skip(probe: str, group: str, role: str, uri: str, path: Path, why: str) -> Target:
    return Target(probe, group, role, uri, path, skip=why)


def _backend(ctx: Context) -> list[Target]:
    mode = server_settings.serve_mode(ctx)
    setting = server_settings.backend_store(ctx)
    role = "backend store"
    if mode.value == "artifacts-only":
        return [_skip("database", "db", role, "", mode.path, "the server runs --artifacts-only: no backend store")]
    if setting.value is None:
        return [
            _skip(
                "database",
                "db",
                role,
                "",
                setting.path,
                f"the URI comes from {setting.source}; pass that Secret with --secrets to probe it",
            )
        ]
    uri = server_settings.with_libpq_env(ctx, setting.value)  # libpq's PG* variables complete a bare URI
    creds = f"inside the URI ({setting.source})" if uri == setting.value else "the container's PG* variables"
    return [_database(ctx, uri, setting.path, role, "db", creds)]


def _database(ctx: Context, uri: str, path: Path, role: str, group: str, creds: str, probe: str = "database") -> Target:
    db = parse_db_uri(uri)
    if db is None or db.dialect == "file":
        return _skip(
            probe,
            group,
            role,
            uri,
            path,
            f"`{redact(uri)}` is a file store inside the container: there is nothing to connect to",
        )
    if "$(" in uri:
        return _skip(
            probe,
            group,
            role,
            uri,
            path,
            f"`{redact(uri)}` still holds a `$(VAR)` reference to a variable "
            "from a Secret the linter was not given: nothing to contact with a known credential",
        )
    if not db.is_sqlite and not db.host:
        completion = (
            (", and the pod's PG* variables that libpq completes it with are not all known (a Secret not given)")
            if db.dialect.startswith("postgres")
            else ""
        )
        return _skip(probe, group, role, uri, path, f"`{redact(uri)}` names no host{completion}: nothing to contact")
    if db.is_sqlite:
        file = db.sqlite_path()
        if file in ("", ":memory:") or not file.startswith("/"):
            return _skip(
                probe,
                group,
                role,
                uri,
                path,
                f"`{redact(uri)}` is a SQLite file relative to the container's working directory: "
                "it cannot be seen from here",
            )
        creds = "none (a local file)"
    settings = {"mlflow_version": show(ctx.mlflow.version), "mlflow_source": ctx.mlflow.describe()}
    if ctx.deployment.db_upgrade is not None:
        settings["database_upgrade"] = "true"
    return Target(probe, group, role, uri, path, creds, settings)


def _artifacts(ctx: Context) -> list[Target]:
    mode = server_settings.serve_mode(ctx).value
    locations: list[tuple[str, server_settings.Setting]] = []
    if mode in ("serve-artifacts", "artifacts-only"):
        locations.append(("artifacts destination", server_settings.artifacts_destination(ctx)))
    if mode != "artifacts-only":
        locations.append(("default artifact root", server_settings.default_artifact_root(ctx)))
    out: list[Target] = []
    seen: set[str] = set()
    for role, setting in locations:
        target = _artifact(ctx, role, setting)
        if target is None or (target.uri and target.uri in seen):
            continue
        seen.add(target.uri)
        out.append(target)
    return out


def _artifact(ctx: Context, role: str, setting: server_settings.Setting) -> Target | None:
    if setting.value is None:
        return _skip(
            "local",
            "artifacts",
            role,
            "",
            setting.path,
            f"the location comes from {setting.source}; pass that Secret with --secrets to probe it",
        )
    uri = setting.value or ("./mlartifacts" if role == "artifacts destination" else "")
    if not uri:
        return None  # MLflow derives it (mlflow-artifacts:/ or the backend's path): nothing of its own
    parsed = parse_artifact_uri(uri)
    if parsed.scheme in INDIRECT:
        return None  # proxied or logical: the real store is probed through the destination
    probe = ARTIFACT_PROBES.get(parsed.scheme)
    if probe is None:
        return _skip("local", "artifacts", role, uri, setting.path, f"no probe for the `{parsed.scheme}` scheme")
    if probe == "local" and not parsed.path.startswith("/"):
        return _skip(
            "local",
            "artifacts",
            role,
            uri,
            setting.path,
            f"`{uri}` is relative to the container's working directory: it cannot be seen from here",
        )
    return credentials.attach(ctx, Target(probe, "artifacts", role, uri, setting.path))


def _auth(ctx: Context, explicit: bool) -> list[Target]:
    auth = ctx.deployment.basic_auth
    app = last(ctx, "--app-name")
    if not auth.enabled and (app is None or app.value != "basic-auth"):
        if explicit:
            return [_skip("auth_db", "auth", "auth database", "", auth.path, "basic auth is not enabled")]
        return []
    ini, path, where = _rendered_ini(ctx)
    if ini is None:
        return [_skip("auth_db", "auth", "auth database", "", path, where)]
    notes = _auth_notes(ctx)
    uri, function = ini.get("database_uri", ""), ini.get("authorization_function", "")
    db = _database(ctx, uri, path, "auth database", "auth", f"inside the URI ({where})", probe="auth_db")
    out = [replace(db, notes=notes)]
    if function:
        fpath: Path = auth.values["authorization_function"][1] if not auth.existing_secret else path
        out.append(
            Target(
                "auth_function",
                "auth",
                "authorization function",
                function,
                fpath,
                settings={"mlflow_version": show(ctx.mlflow.version)},
                notes=notes,
            )
        )
    return out


def _rendered_ini(ctx: Context) -> tuple[dict[str, str] | None, Path, str]:
    """The [mlflow] section of the basic_auth.ini the chart mounts, and where it came from."""
    auth = ctx.deployment.basic_auth
    existing, name = auth.existing_path, auth.existing_secret
    if not name:
        keys = ("database_uri", "authorization_function")
        found_in = {k: auth.values[k] for k in keys if k in auth.values}
        path = found_in["database_uri"][1] if "database_uri" in found_in else auth.path
        return ({k: v if isinstance(v, str) else "" for k, (v, _) in found_in.items()}, path, format_path(path[:-1]))
    index = ctx.extras.get("secrets")
    found = index.find(name) if index is not None else None
    text = found.data.get(AUTH_INI_KEY) if found is not None else None
    if text is None:
        return None, existing, f"the ini is in Secret `{name}`; pass it with --secrets to probe its database"
    section = _ini_section(text)  # as MLflow reads it: with interpolation (bounded)
    if section is None:
        return None, existing, f"the ini in Secret `{name}` cannot be read as MLflow reads it (see MLF50x)"
    return section, existing, f"Secret `{name}` key `{AUTH_INI_KEY}`"


def _ini_section(text: str) -> dict[str, str] | None:
    """The interpolated options the auth probes need from `[mlflow]`, or None when configparser
    would refuse the file (or the expansion is unbounded: see ini_parse.MAX_EXPANSION)."""
    from mlflow_lint import ini_parse

    parsed = ini_parse.parse(text)
    if parsed.problems or not parsed.has_section("mlflow"):
        return None
    options = parsed.section("mlflow")
    out: dict[str, str] = {}
    for key in ("database_uri", "authorization_function"):
        if key in options:
            value = ini_parse.interpolated(options[key], options)
            if value is None:
                return None
            out[key] = value
    return out


def _auth_notes(ctx: Context) -> tuple[str, ...]:
    found = pod_env.lookup(ctx, "MLFLOW_AUTH_CONFIG_PATH").found
    if found is not None and found.value == AUTH_MOUNT:
        return ()
    return (
        f"MLFLOW_AUTH_CONFIG_PATH is not {AUTH_MOUNT}, so MLflow reads its packaged ini instead; "
        "this checks the one the chart mounts",
    )
