"""Adapter for the official chart, mlflow/mlflow `charts/` 0.1.1 (MLflow 3.12.0, image
ghcr.io/mlflow/mlflow:v3.12.0-full).

No values.schema.json: Helm renders values with unknown keys (warnings here). The backend
store, registry store, default artifact root and destination reach MLflow as MLFLOW_*
environment variables; `server.value_options`/`flag_options` become the command line.
There is no basic auth of the chart's own.
"""

from __future__ import annotations

from mlflow_lint.charts import published
from mlflow_lint.charts.base import Adapter
from mlflow_lint.deployment import BasicAuth

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any

    from mlflow_lint.charts import Chart
    from mlflow_lint.charts.base import Detection
    from mlflow_lint.deployment import Deployment
    from mlflow_lint.paths import Path
    from mlflow_lint.release import Values

NAME = "official"
TITLE = "the official chart (mlflow/mlflow charts/)"
CHART_VERSION, APP_VERSION = published.VERSIONS[NAME]
HELM_REFUSES_UNKNOWN_KEYS = False
M: Path = ("mlflow",)
ROLES: dict[str, Path] = {
    "args": ("server", "value_options"),
    "env": ("env",),
    "env_from": ("envFrom",),
    "server": ("server",),
    "host": ("server", "value_options", "host"),
    "mode": ("server", "flag_options"),
    "backend": M,
    "backend_uri": (*M, "backendStoreUri"),
    "backend_secret": (*M, "backendStoreUriFrom"),
    "artifacts": M,
    "default_artifact_root": (*M, "defaultArtifactRoot"),
    "artifacts_destination": (*M, "artifactsDestination"),
    "replicas": ("replicaCount",),
    "auth": ("server", "value_options", "app_name"),
    "auth_block": ("server",),
    "service_account": ("serviceAccount", "annotations"),
    "mounts": ("extraVolumeMounts",),
    "image": ("image",),
    "ingress": ("ingress", "enabled"),
    "pod_security": ("podSecurityContext",),
    "container_security": ("securityContext",),
}


def build(values: Values, chart: Chart) -> Deployment:
    from mlflow_lint.charts import from_pod  # only when this chart is linted

    data = values.data
    pod = _template().render(data)
    dep = from_pod.build(pod, NAME, APP_VERSION)
    # value_options/flag_options are this chart's own keys for every option (host, port and
    # workers included): they are the chart's flags, which beat the MLFLOW_* variables it sets
    # from `mlflow.*` (MLF614). Their option names are checked by MLF813.
    dep.chart_args = list(dep.args)
    dep.user_arg_items = []
    modes = [a for a in dep.args if a.option in ("--serve-artifacts", "--no-serve-artifacts", "--artifacts-only")]
    dep.mode = modes[-1] if modes else None
    dep.roles = dict(ROLES)
    dep.basic_auth = basic_auth(values, dep)
    # The store URIs reach MLflow as MLFLOW_* variables (the chart's env): the URI rules read them
    # there, so they are not listed again as written_backend/written_artifacts.
    sa = ("serviceAccount",)
    dep.service_account = from_pod.service_account(
        values.get((*sa, "create")), pod.service_account, values.get((*sa, "annotations")), (*sa, "annotations")
    )
    prefix = values.text(("server", "staticPrefix")).removesuffix("/")
    dep.probe_paths = [
        (f"{prefix}/health", ("probes", name))
        for name in ("liveness", "readiness", "startup")
        if values.get(("probes", name, "enabled")) is True
    ]
    dep.security = (_map(values.get(("podSecurityContext",))), _map(values.get(("securityContext",))))
    return dep


# MLflow's packaged basic_auth.ini (mlflow/server/auth/basic_auth.ini): what `--app-name
# basic-auth` reads when MLFLOW_AUTH_CONFIG_PATH is not set; the chart has no auth of its own.
PACKAGED_INI = {
    "default_permission": "READ",
    "database_uri": "sqlite:///basic_auth.db",
    "admin_username": "admin",
    "admin_password": "password1234",
    "authorization_function": "mlflow.server.auth:authenticate_request_basic_auth",
}


def basic_auth(values: Values, dep: Deployment) -> BasicAuth:
    """Basic auth is on when `value_options.app_name` is `basic-auth`; the ini is MLflow's packaged
    one unless the user points MLFLOW_AUTH_CONFIG_PATH at a file of theirs (then unknown here)."""
    from mlflow_lint.auth_ini import IniSource, rendered_ini

    switch: Path = ("server", "value_options", "app_name")
    app = [a for a in dep.args if a.option == "--app-name"]
    enabled = bool(app) and app[-1].value == "basic-auth"
    if not enabled:
        return BasicAuth(False, switch, "", (), None, {})
    rendered = {key: (value, switch) for key, value in PACKAGED_INI.items()}
    if "MLFLOW_AUTH_CONFIG_PATH" in dep.env:
        return BasicAuth(True, app[-1].path, "", (), None, rendered)  # the user's own file: unknown here
    dep.roles["auth_ini_at_default_path"] = app[-1].path
    where = values.locate(app[-1].path)
    packaged = rendered_ini(rendered, where)
    # Not the user's values: MLflow's own file, judged like a file (its public admin password too).
    ini = IniSource(packaged.text, "packaged", lambda line, column: where, label="MLflow's packaged basic_auth.ini")
    return BasicAuth(True, app[-1].path, "", (), ini, rendered)


def _map(value: Any) -> dict[str, Any]:
    return value if isinstance(value, dict) else {}


def detect(data: dict[str, Any]) -> Detection:
    return _DETECT(data)


_DETECT = published.detector(NAME)
ADAPTERS = (Adapter(NAME, NAME, TITLE, detect, f"{NAME}.schema.json", build, APP_VERSION, CHART_VERSION),)


def _template() -> Any:
    """The chart's template model, imported when a release of this chart is linted."""
    from mlflow_lint.chart_templates import official

    return official
