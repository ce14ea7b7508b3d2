"""What the seed chart (revision v2) hands `mlflow server`: its argv, environment and basic_auth.ini.

A small stand-in for `helm template` (the seed chart's templates are not stored here; the rendering
rules are facts 3.2-3.4 of /work/shared/reference/mlflow-chart-facts.md). The oracle feeds what this
returns to real MLflow; the linter reads the values file itself.
"""

from __future__ import annotations

from typing import Any

AUTH_MOUNT = "/etc/mlflow/basic_auth.ini"
AUTH_DEFAULTS = {
    "defaultPermission": "READ",
    "databaseUri": "sqlite:///basic_auth.db",
    "adminUsername": "admin",
    "adminPassword": "password",
    "authorizationFunction": "mlflow.server.auth:authenticate_request_basic_auth",
}


class Rendered:
    def __init__(self, args: list[str], env: dict[str, str], ini: str | None) -> None:
        self.args = args  # after `mlflow server`
        self.env = env
        self.ini = ini  # content of the mounted basic_auth.ini, None when basic auth is off

    def option(self, name: str, envvar: str | None = None) -> str | None:
        """The value click ends up with: the last `--name=value`, else the env var."""
        value = None
        for index, item in enumerate(self.args):
            if item.startswith(name + "="):
                value = item.split("=", 1)[1]
            elif item == name and index + 1 < len(self.args):
                value = self.args[index + 1]
        if value is None and envvar:
            value = self.env.get(envvar)
        return value


def _get(values: dict[str, Any], *path: str, default: Any = None) -> Any:
    node: Any = values
    for key in path:
        if not isinstance(node, dict) or key not in node:
            return default
        node = node[key]
    return node


def render(values: dict[str, Any]) -> Rendered:
    ts = lambda *p, default=None: _get(values, "trackingServer", *p, default=default)  # noqa: E731
    mode = ts("mode", default="no-serve-artifacts")
    args = [f"--{mode}"]
    if ts("defaultArtifactRoot"):
        args.append(f"--default-artifact-root={ts('defaultArtifactRoot')}")
    if ts("artifactsDestination"):
        args.append(f"--artifacts-destination={ts('artifactsDestination')}")
    args += [
        f"--host={ts('host', default='0.0.0.0')}",
        f"--port={ts('port', default=5000)}",
        f"--workers={ts('workers', default=1)}",
    ]
    basic_auth = bool(ts("basicAuth", "enabled", default=False))
    if basic_auth:
        args.append("--app-name=mlflow.server:app")
    args += [str(item) for item in ts("extraArgs", default=[]) or []]

    env: dict[str, str] = {}
    uri = _get(values, "backendStore", "createSecret", "backendStoreUri")
    if mode != "artifacts-only" and not _get(values, "backendStore", "existingSecret") and uri:
        env["MLFLOW_BACKEND_STORE_URI"] = uri
    if _get(values, "artifactStore", "oss", "enabled"):
        env["MLFLOW_OSS_ENDPOINT_URL"] = _get(values, "artifactStore", "oss", "endpoint", default="")
        for key, name in (("accessKeyId", "MLFLOW_OSS_KEY_ID"), ("accessKeySecret", "MLFLOW_OSS_KEY_SECRET")):
            if _get(values, "artifactStore", "oss", "createSecret", key):
                env[name] = _get(values, "artifactStore", "oss", "createSecret", key)
    for item in values.get("extraEnv", []) or []:  # `env` beats every envFrom source
        env[item["name"]] = str(item.get("value", ""))

    ini = None
    if basic_auth:
        conf = {**AUTH_DEFAULTS, **(ts("basicAuth", "createSecret", default={}) or {})}
        ini = (
            "[mlflow]\n"
            f"default_permission = {conf['defaultPermission']}\n"
            f"database_uri = {conf['databaseUri']}\n"
            f"admin_username = {conf['adminUsername']}\n"
            f"admin_password = {conf['adminPassword']}\n"
            f"authorization_function = {conf['authorizationFunction']}\n"
        )
    return Rendered(args, env, ini)
