"""The published MLflow charts: their marker keys, titles, chart rules and template models.

community-charts/mlflow, bitnami/mlflow and the official chart in mlflow/mlflow `charts/`
each have an adapter module (`community.py`, `bitnami.py`, `official.py`, registered in
`charts/__init__.ADAPTERS`, chosen by `charts.choose()`); this module holds what they and the
engine share: the keys only one chart has (MARKERS, also used to name each foreign key's chart
in a mixed-up file, MLF801), how a schema finding applies to each chart (unknown keys: an
error where Helm's schema refuses them, MLF802 where Helm ignores them), and which charts each
rule applies to (`mlflow-lint rules`). The template models are imported only when a release
of their chart is linted.
"""

from __future__ import annotations

from collections.abc import Callable
from importlib import import_module

from mlflow_lint.paths import Path, format_path

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any

    from mlflow_lint.charts.base import Detection

NAMES = ("community", "bitnami", "official")
SEED = "seed"
VERSIONS = {"community": ("1.11.5", "3.15.1"), "bitnami": ("5.3.0", "3.3.2"), "official": ("0.1.1", "3.12.0")}
TITLES = {
    "community": "community-charts/mlflow",
    "bitnami": "bitnami/mlflow",
    "official": "the official chart (mlflow/mlflow charts/)",
    SEED: "the seed chart",
}
MARKERS: dict[str, tuple[Path, ...]] = {
    "community": (
        ("artifactRoot",),
        ("extraEnvVars",),
        ("extraFlags",),
        ("extraSecretNamesForEnvFrom",),
        ("flaskServerSecretKey",),
        ("initImages",),
        ("serverHost",),
        ("ldapAuth",),
        ("oidcAuth",),
        ("oauth2Proxy",),
        ("auth", "appName"),
        ("auth", "adminUsername"),
        ("auth", "adminPassword"),
        ("auth", "existingAdminSecret"),
        ("backendStore", "databaseMigration"),
        ("backendStore", "databaseConnectionCheck"),
        ("backendStore", "defaultSqlitePath"),
        ("backendStore", "postgres"),
        ("backendStore", "mysql"),
        ("backendStore", "mssql"),
        ("backendStore", "existingDatabaseSecret"),
        ("serverAllowedHosts",),
        ("corsAllowedOrigins",),
        ("telemetry",),
        ("extraArgs",),
        ("service", "containerPort"),
        ("service", "containerPortName"),
    ),
    "bitnami": (
        ("tracking",),
        ("run",),
        ("externalDatabase",),
        ("externalS3",),
        ("externalGCS",),
        ("externalAzureBlob",),
        ("waitContainer",),
        ("volumePermissions",),
        ("gitImage",),
        ("minio", "defaultBuckets"),
        ("global", "security"),
        ("global", "imageRegistry"),
        ("diagnosticMode",),
    ),
    "official": (
        ("server", "value_options"),
        ("server", "flag_options"),
        ("server", "staticPrefix"),
        ("mlflow", "backendStoreUri"),
        ("mlflow", "backendStoreUriFrom"),
        ("mlflow", "registryStoreUri"),
        ("mlflow", "registryStoreUriFrom"),
        ("mlflow", "defaultArtifactRoot"),
        ("mlflow", "artifactsDestination"),
        ("storage", "mountPath"),
        ("namespace_rbac",),
        ("cluster_rbac",),
        ("garbageCollection",),
        ("externalSecrets",),
        ("deploymentStrategy",),
    ),
    SEED: (
        ("trackingServer",),
        ("artifactStore",),
        ("backendStore", "createSecret"),
        ("backendStore", "existingSecret"),
        ("extraEnv",),
        ("extraEnvFrom",),
    ),
}
# Rules outside charts/seed_rules.py that only the seed chart's keys or templates can trigger
# (its revisions, its URI key MLflow never reads, its app name, its db-upgrade init container).
SEED_ONLY = frozenset({"MLF004", "MLF101", "MLF107", "MLF108", "MLF401", "MLF402", "MLF412"})
# Rules that are about one chart's templates: code -> the charts they apply to.
CHART_RULES: dict[str, tuple[str, ...]] = {}


def detector(name: str) -> Callable[[dict[str, Any]], Detection]:
    """The adapter's `detect`: how many of the chart's marker keys a values mapping has."""
    from mlflow_lint.charts.base import Detection, markers_found

    own = MARKERS[name]

    def detect(data: dict[str, Any]) -> Detection:
        found = markers_found(data, own)
        return Detection(min(1.0, 0.34 * len(found)), found)

    return detect


def is_published(name: str) -> bool:
    return name in NAMES


def foreign_keys(chosen: str, layers: list[dict[str, Any]]) -> list[tuple[Path, str]]:
    """Marker keys of other charts (published or seed) in values linted as the published chart `chosen`."""
    if chosen not in NAMES:
        return []
    out: list[tuple[Path, str]] = []
    for chart, paths in MARKERS.items():
        for path in paths:
            if chart != chosen and path not in MARKERS[chosen] and any(_has(data, path) for data in layers):
                out.append((path, chart))
    return out


def _has(data: Any, path: Path) -> bool:
    for part in path:
        if not isinstance(data, dict) or part not in data:
            return False
        data = data[part]
    return True


def charts_of(code: str) -> tuple[str, ...]:
    """The charts a rule applies to: a chart rule's own list, the seed rules' revisions, else all."""
    if code in CHART_RULES:
        return CHART_RULES[code]
    from mlflow_lint.charts import seed_rules

    seed_codes = {r.code for r in vars(seed_rules).values() if hasattr(r, "code") and hasattr(r, "check")}
    if code in seed_codes or code in SEED_ONLY:
        return ("seed-v1", "seed-v2")
    return ("all",)


def mixed_hits(chosen: str, layers: list[dict[str, Any]]) -> list[Any]:
    """MLF801: one finding naming the chart of each key that belongs to another chart."""
    from mlflow_lint.finding import Hit

    foreign = foreign_keys(chosen, layers)
    if not foreign:
        return []
    parts = ", ".join(f"`{format_path(path)}` ({TITLES[chart]})" for path, chart in foreign)
    message = f"the file is linted as {TITLES[chosen]}, but it also has keys of another chart: {parts}"
    hint = (
        f"Helm gives these keys to no template of {TITLES[chosen]}; move them to the chart they belong to, "
        "or choose the chart with --chart"
    )
    return [Hit(foreign[0][0], message, hint, at_key=True)]


def foreign_paths(chosen: str, layers: list[dict[str, Any]]) -> set[Path]:
    """The other charts' keys: reported once by MLF801, not also as unknown keys."""
    return {path for path, _ in foreign_keys(chosen, layers)}


def schema_hit(chosen: str, code: str, hit: Any) -> tuple[str, Any]:
    """A schema finding as it applies to the chart: community's Helm refuses an unknown key (an
    error); bitnami and the official chart render it and ignore it (MLF802, a warning)."""
    if chosen == "community" and code == "MLF002" and hit.path == ():
        return code, _exclusive_hit(hit)
    if chosen not in NAMES or code != "MLF005":
        return code, hit
    if chosen == "community":
        return code, hit._replace(
            hint="the chart's values.schema.json forbids unknown keys: `helm install` and "
            "`helm template` refuse these values"
        )
    return "MLF802", hit._replace(
        hint=f"{TITLES[chosen]} has no schema that closes this map: Helm silently "
        "ignores the key, so the setting has no effect"
    )


def _exclusive_hit(hit: Any) -> Any:
    """community's root `not` constraints: say which switches Helm's schema check refuses together."""
    return hit._replace(
        message="two settings that community-charts' values.schema.json forbids together are both "
        "on: auth.enabled with ldapAuth.enabled, or more than one of backendStore.postgres, "
        "backendStore.mysql, postgresql and mysql enabled",
        hint="`helm install` refuses these values; enable one database and one auth mode",
    )


def render(name: str, data: dict[str, Any]) -> Any:
    """The chart's RenderedPod for merged values `data` (chart_templates.<name>)."""
    return import_module(f"mlflow_lint.chart_templates.{name}").render(data)


def values_at(values: Any, path: Path, default: Any = None) -> Any:
    """Merged values read as the templates read them (chart_templates, loaded only when a chart is built)."""
    from mlflow_lint.chart_templates._values import get

    return get(values, path, default)
