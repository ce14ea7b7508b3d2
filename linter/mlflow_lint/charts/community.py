"""Adapter for community-charts/mlflow 1.11.5 (MLflow 3.15.1, image burakince/mlflow).

Detection by the keys only this chart has; `build()` renders the values with the chart's
template model (chart_templates.community, checked against real Helm) and adds what the
rules need to name this chart's keys (roles), its basic auth, artifact providers and the
URIs the user wrote. Helm enforces the chart's strict values.schema.json at install, so an
unknown key is an error here.
"""

from __future__ import annotations

from mlflow_lint.charts import published
from mlflow_lint.charts.base import Adapter
from mlflow_lint.charts.published import values_at as get
from mlflow_lint.deployment import BasicAuth, Provider

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any

    from mlflow_lint.charts import Chart
    from mlflow_lint.charts.base import Detection
    from mlflow_lint.deployment import Deployment
    from mlflow_lint.paths import Path
    from mlflow_lint.release import Values


NAME = "community"
TITLE = "community-charts/mlflow"
CHART_VERSION, APP_VERSION = published.VERSIONS[NAME]
HELM_REFUSES_UNKNOWN_KEYS = True  # its values.schema.json closes every object Helm validates
DEFAULT_SQLITE: Path = ("backendStore", "defaultSqlitePath")
ROLES: dict[str, Path] = {
    "args": ("extraArgs",),
    "env": ("extraEnvVars",),
    "env_from": ("extraSecretNamesForEnvFrom",),
    "server": ("serverHost",),
    "host": ("serverHost",),
    "mode": ("artifactRoot", "proxiedArtifactStorage"),
    "backend": ("backendStore",),
    "backend_uri": ("backendStore", "defaultSqlitePath"),
    "backend_secret": ("backendStore", "existingDatabaseSecret", "name"),
    "artifacts": ("artifactRoot",),
    "default_artifact_root": ("artifactRoot", "defaultArtifactRoot"),
    "artifacts_destination": ("artifactRoot", "defaultArtifactsDestination"),
    "replicas": ("replicaCount",),
    "auth": ("auth", "enabled"),
    "auth_block": ("auth",),
    "auth_secret": ("auth", "existingAdminSecret", "name"),
    "auth_values": ("auth",),
    "service_account": ("serviceAccount", "annotations"),
    "mounts": ("extraVolumeMounts",),
    "image": ("image",),
    "ingress": ("ingress", "enabled"),
    "pod_security": ("podSecurityContext",),
    "container_security": ("securityContext",),
    "db_upgrade": ("backendStore", "databaseMigration"),
}


def build(values: Values, chart: Chart) -> Deployment:
    from mlflow_lint.charts import from_pod  # only when this chart is linted

    data = values.data
    pod = _template().render(data)
    dep = from_pod.build(pod, NAME, APP_VERSION, why=_why(data))
    dep.roles = dict(ROLES)
    if _template().database(data)[0] == "sqlite" and values.get(DEFAULT_SQLITE) == chart.defaults["backendStore"].get(
        "defaultSqlitePath"
    ):
        dep.roles["chart_default_backend"] = DEFAULT_SQLITE  # in-memory: MLF805 (a warning), not MLF106
    dep.basic_auth = basic_auth(values, pod)
    dep.providers = providers(data)
    dep.written_backend = written_backend(data)
    dep.written_artifacts = written_artifacts(data)
    dep.service_account = from_pod.service_account(
        values.get(("serviceAccount", "create")),
        pod.service_account,
        values.get(("serviceAccount", "annotations")),
        ("serviceAccount", "annotations"),
    )
    dep.probe_paths = [("/health", ("livenessProbe",)), ("/health", ("readinessProbe",))]
    dep.security = (_map(values.get(("podSecurityContext",))), _map(values.get(("securityContext",))))
    dep.autoscaling = (values.get(("autoscaling", "enabled")) is True, values.get(("autoscaling", "maxReplicas"), 1))
    # databaseMigration runs the chart's own migrations.py (libpq env), not `mlflow db upgrade
    # $(MLFLOW_BACKEND_STORE_URI)`: the Deployment's db_upgrade (the seed's init container) stays unset.
    return dep


def _map(value: Any) -> dict[str, Any]:
    return value if isinstance(value, dict) else {}


def _why(data: dict[str, Any]) -> dict[str, str]:
    out = {}
    secret = get(data, ("backendStore", "existingDatabaseSecret", "name"))
    if isinstance(secret, str) and secret:
        out[secret] = "the database user and password are read from it"
    secret = get(data, ("artifactRoot", "s3", "existingSecret", "name"))
    if isinstance(secret, str) and secret:
        out[secret] = "the S3 artifact store's credentials are read from it"
    return out


def basic_auth(values: Values, pod: Any) -> BasicAuth:
    """The ini the init container writes: the template with the admin credentials substituted."""
    from mlflow_lint.auth_ini import rendered_ini

    enabled = values.get(("auth", "enabled")) is True
    existing = values.text(("auth", "existingAdminSecret", "name"))
    ini = _template().auth_ini(values.data, _template().fullname(values.data))
    if not enabled or ini is None:
        return BasicAuth(enabled, ("auth", "enabled"), existing, ("auth", "existingAdminSecret", "name"), None, {})
    rendered = {key: (item.value, item.path) for key, item in ini[1].items()}
    if not existing:
        rendered["admin_username"] = (values.get(("auth", "adminUsername")), ("auth", "adminUsername"))
        rendered["admin_password"] = (values.get(("auth", "adminPassword")), ("auth", "adminPassword"))
    source = None if existing else rendered_ini(rendered, values.locate(("auth",)))
    return BasicAuth(True, ("auth", "enabled"), existing, ("auth", "existingAdminSecret", "name"), source, rendered)


def providers(data: dict[str, Any]) -> list[Provider]:
    out = []
    for name, key in (("s3", "s3"), ("gcp", "gcs"), ("azure", "azureBlob")):
        base: Path = ("artifactRoot", key)
        enabled = get(data, (*base, "enabled")) is True
        existing = get(data, (*base, "existingSecret", "name")) if key == "s3" else ""
        out.append(
            Provider(
                name,
                enabled,
                enabled,
                base,
                (*base, "enabled"),
                existing if isinstance(existing, str) else "",
                (*base, "existingSecret", "name"),
                {},
                {},
            )
        )
    return out


def written_backend(data: dict[str, Any]) -> list[tuple[str, Path, str]]:
    url = get(data, ("backendStore", "mssql", "connectionUrl"))
    path: Path = ("backendStore", "mssql", "connectionUrl")
    return [(url, path, "backendStore.mssql.connectionUrl")] if isinstance(url, str) and url else []


def written_artifacts(data: dict[str, Any]) -> list[tuple[str, str, Path]]:
    out: list[tuple[str, str, Path]] = []
    for role, key in (("root", "defaultArtifactRoot"), ("destination", "defaultArtifactsDestination")):
        value = get(data, ("artifactRoot", key))
        if isinstance(value, str) and value:
            out.append((role, value, ("artifactRoot", key)))
    return out


def detect(data: dict[str, Any]) -> Detection:
    return _DETECT(data)


_DETECT = published.detector(NAME)
ADAPTERS = (Adapter(NAME, NAME, TITLE, detect, f"{NAME}.schema.json", build, APP_VERSION, CHART_VERSION),)


def _template() -> Any:
    """The chart's template model, imported when a release of this chart is linted."""
    from mlflow_lint.chart_templates import community

    return community
