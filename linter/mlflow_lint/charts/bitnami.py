"""Adapter for bitnami/mlflow 5.3.0 (MLflow 3.3.2, image docker.io/bitnami/mlflow).

The chart's values.schema.json checks types only, so Helm renders values with unknown keys:
they are warnings here. Basic auth is ON by default; the ini is MLflow's packaged
basic_auth.ini with the chart's overrides (database_uri, admin_username, admin_password and
`tracking.auth.extraOverrides`) set into `[mlflow]` by an init container.
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


NAME = "bitnami"
TITLE = "bitnami/mlflow"
CHART_VERSION, APP_VERSION = published.VERSIONS[NAME]
HELM_REFUSES_UNKNOWN_KEYS = False
T: Path = ("tracking",)
# MLflow's packaged basic_auth.ini (mlflow/server/auth/basic_auth.ini), which the chart starts from.
PACKAGED_INI = {
    "default_permission": "READ",
    "database_uri": "sqlite:///basic_auth.db",
    "admin_username": "admin",
    "admin_password": "password1234",
    "authorization_function": "mlflow.server.auth:authenticate_request_basic_auth",
}
ROLES: dict[str, Path] = {
    "args": (*T, "extraArgs"),
    "env": (*T, "extraEnvVars"),
    "env_from": (*T, "extraEnvVarsSecret"),
    "server": T,
    "host": (*T, "host"),
    "mode": ("externalS3", "serveArtifacts"),
    "backend": ("externalDatabase",),
    "backend_uri": ("externalDatabase", "host"),
    "backend_secret": ("externalDatabase", "existingSecret"),
    "artifacts": ("externalS3",),
    "default_artifact_root": ("externalS3", "serveArtifacts"),
    "artifacts_destination": ("externalS3", "bucket"),
    "replicas": (*T, "replicaCount"),
    "auth": (*T, "auth", "enabled"),
    "auth_block": (*T, "auth"),
    "auth_secret": (*T, "auth", "existingSecret"),
    "auth_values": (*T, "auth", "extraOverrides"),
    "service_account": (*T, "serviceAccount", "annotations"),
    "mounts": (*T, "extraVolumeMounts"),
    "image": ("image",),
    "ingress": (*T, "ingress", "enabled"),
    "pod_security": (*T, "podSecurityContext"),
    "container_security": (*T, "containerSecurityContext"),
    "db_upgrade": (*T, "runUpgradeDB"),
}


def build(values: Values, chart: Chart) -> Deployment:
    from mlflow_lint.charts import from_pod  # only when this chart is linted

    data = values.data
    pod = _template().render(data)
    dep = from_pod.build(pod, NAME, APP_VERSION)
    dep.roles = dict(ROLES)
    if values.get((*T, "auth", "enabled")) is True:
        # mounted at /bitnami/mlflow-basic-auth/basic_auth.ini, the image's link to MLflow's packaged ini
        dep.roles["auth_ini_at_default_path"] = (*T, "auth", "enabled")
    dep.basic_auth = basic_auth(values)
    dep.providers = providers(data)
    dep.written_artifacts = [(role, uri, path) for role, uri, path in _artifacts(data)]
    sa = (*T, "serviceAccount")
    dep.service_account = from_pod.service_account(
        values.get((*sa, "create")), pod.service_account, values.get((*sa, "annotations")), (*sa, "annotations")
    )
    auth_on = values.get((*T, "auth", "enabled")) is True
    dep.probe_paths = [] if auth_on else [("/", (*T, "readinessProbe"))]  # tcpSocket with auth; liveness is pgrep
    dep.security = (_map(values.get((*T, "podSecurityContext"))), _map(values.get((*T, "containerSecurityContext"))))
    hpa = (*T, "autoscaling", "hpa")
    dep.autoscaling = (values.get((*hpa, "enabled")) is True, values.get((*hpa, "maxReplicas"), 1))
    # runUpgradeDB passes the URI to `mlflow db upgrade` itself (not through MLFLOW_BACKEND_STORE_URI):
    # the Deployment's db_upgrade (the seed's init container contract) stays unset.
    return dep


def _map(value: Any) -> dict[str, Any]:
    return value if isinstance(value, dict) else {}


def _artifacts(data: dict[str, Any]) -> list[tuple[str, str, Path]]:
    kind, uri, path, serve = _template().artifact_location(data)
    out = [("destination", uri, path)]
    if kind != "volume" and not serve:
        out.append(("root", uri, path))
    return out


def basic_auth(values: Values) -> BasicAuth:
    """MLflow's packaged ini with the chart's overrides; None when a value is not knowable
    (a random or existing-Secret admin password, an overrides ConfigMap of the user's)."""
    from mlflow_lint.auth_ini import rendered_ini

    auth = (*T, "auth")
    enabled = values.get((*auth, "enabled")) is True
    existing = values.text((*auth, "existingSecret"))
    rendered: dict[str, tuple[Any, Path]] = {key: (value, auth) for key, value in PACKAGED_INI.items()}
    if _template().database_enabled(values.data):
        uri, path = _template().database_uri(values.data, auth=True)
        rendered["database_uri"] = (uri, path)
    rendered["admin_username"] = (values.get((*auth, "username")), (*auth, "username"))
    rendered["admin_password"] = (values.get((*auth, "password")), (*auth, "password"))
    extra = values.get((*auth, "extraOverrides"), {})
    for key, value in (extra if isinstance(extra, dict) else {}).items():
        # render-auth-conf strips every space from keys and values (`tr -d " "`)
        text = value if isinstance(value, str) else str(value)
        rendered[str(key).replace(" ", "")] = (text.replace(" ", ""), (*auth, "extraOverrides", key))
    knowable = (
        enabled
        and not existing
        and bool(values.text((*auth, "password")))
        and not values.text((*auth, "overridesConfigMap"))
    )
    source = rendered_ini(rendered, values.locate(auth)) if knowable else None
    return BasicAuth(enabled, (*auth, "enabled"), existing, (*auth, "existingSecret"), source, rendered)


def providers(data: dict[str, Any]) -> list[Provider]:
    kind = _template().artifact_location(data)[0]
    out = []
    for name, block, used in (
        ("s3", "externalS3", kind == "s3"),
        ("gcp", "externalGCS", kind == "gcs"),
        ("azure", "externalAzureBlob", kind == "azure"),
    ):
        existing = get(data, (block, "existingSecret"))
        out.append(
            Provider(
                name,
                used,
                used,
                (block,),
                (block,),
                existing if isinstance(existing, str) else "",
                (block, "existingSecret"),
                {},
                {},
            )
        )
    return out


def detect(data: dict[str, Any]) -> Detection:
    return _DETECT(data)


_DETECT = published.detector(NAME)
ADAPTERS = (Adapter(NAME, NAME, TITLE, detect, f"{NAME}.schema.json", build, APP_VERSION, CHART_VERSION),)


def _template() -> Any:
    """The chart's template model, imported when a release of this chart is linted."""
    from mlflow_lint.chart_templates import bitnami

    return bitnami
