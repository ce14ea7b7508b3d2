"""MLflow charts the linter recognises but does not model yet: community-charts, bitnami, official.

Only detection lives here (marker keys from other-charts.md section 1), so that a values
file for one of them gets one clear finding naming its chart, not dozens of "unknown key"
errors against the seed chart's schema. Each becomes a full adapter (module, schema,
`build`) of its own; until then `--chart DIR|TGZ` lints what Helm renders from it.
"""

from __future__ import annotations

from collections.abc import Callable

from mlflow_lint.charts.base import Adapter, Detection, markers_found
from mlflow_lint.paths import Path

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any

COMMUNITY: tuple[Path, ...] = (
    ("artifactRoot",), ("backendStore", "databaseMigration"), ("backendStore", "databaseConnectionCheck"),
    ("backendStore", "defaultSqlitePath"), ("backendStore", "postgres"), ("backendStore", "mysql"),
    ("backendStore", "mssql"), ("auth", "appName"), ("ldapAuth",), ("oidcAuth",), ("oauth2Proxy",),
    ("extraEnvVars",), ("extraFlags",), ("extraSecretNamesForEnvFrom",), ("flaskServerSecretKey",),
    ("initImages",), ("serverHost",),
)
BITNAMI: tuple[Path, ...] = (
    ("tracking",), ("run",), ("externalDatabase",), ("externalS3",), ("externalGCS",), ("externalAzureBlob",),
    ("waitContainer",), ("volumePermissions",), ("gitImage",),
)
OFFICIAL: tuple[Path, ...] = (
    ("server", "value_options"), ("server", "flag_options"), ("mlflow", "backendStoreUri"),
    ("mlflow", "backendStoreUriFrom"), ("storage", "mountPath"), ("namespace_rbac",), ("cluster_rbac",),
    ("garbageCollection",), ("externalSecrets",),
)


def _detector(markers: tuple[Path, ...]) -> Callable[[dict[str, Any]], Detection]:
    def detect(data: dict[str, Any]) -> Detection:
        found = markers_found(data, markers)
        return Detection(min(1.0, 0.34 * len(found)), found)

    return detect


ADAPTERS = (
    Adapter("community", "community", "community-charts/mlflow", _detector(COMMUNITY),
            app_version="3.15.1", chart_version="1.11.5"),
    Adapter("bitnami", "bitnami", "bitnami/mlflow", _detector(BITNAMI), app_version="3.3.2", chart_version="5.3.0"),
    Adapter("official", "official", "the official chart of mlflow/mlflow (charts/)", _detector(OFFICIAL),
            app_version="3.12.0", chart_version="0.1.1"),
)
