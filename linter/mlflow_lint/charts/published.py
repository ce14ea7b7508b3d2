"""The published MLflow charts: which one a values file targets, and their adapters.

community-charts/mlflow, bitnami/mlflow and the official chart in mlflow/mlflow `charts/`
(the seed chart's revisions are in `charts/seed.py`). Detection counts the keys only one
chart has (MARKERS), at the top of the file or, for an umbrella chart's values, under one
top-level key (usually `mlflow:`). The official chart's own top key is also `mlflow:`:
`mlflow.backendStoreUri` is the official chart itself, `mlflow.server.value_options` or
`mlflow.mlflow.*` the official chart nested under an umbrella key.

The adapters are imported only when their chart is linted (a cold lint of a seed file
imports none of them).
"""

from __future__ import annotations

from importlib import import_module

from mlflow_lint.paths import Path, format_path
from mlflow_lint.records import NamedTuple

TYPE_CHECKING = False
if TYPE_CHECKING:
    from types import ModuleType
    from typing import Any

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


class Detection(NamedTuple):
    """The chart a values file targets, the key it is nested under (umbrella), and every
    marker key found with the chart it belongs to."""

    chart: str  # a name in NAMES, or SEED
    nest: str
    markers: list[tuple[Path, str]]


def adapter(name: str) -> ModuleType:
    return import_module(f"mlflow_lint.charts.{name}")


def is_published(name: str) -> bool:
    return name in NAMES


def _has(data: Any, path: Path) -> bool:
    for part in path:
        if not isinstance(data, dict) or part not in data:
            return False
        data = data[part]
    return True


def markers_in(data: Any) -> list[tuple[Path, str]]:
    """Every marker key in `data`, with its chart; a key shared by two charts counts for neither."""
    if not isinstance(data, dict):
        return []
    found = [(path, chart) for chart, paths in MARKERS.items() for path in paths if _has(data, path)]
    return found


def _best(markers: list[tuple[Path, str]]) -> str:
    counts: dict[str, int] = {}
    for _, chart in markers:
        counts[chart] = counts.get(chart, 0) + 1
    return max(counts, key=lambda c: (counts[c], c == SEED)) if counts else ""


def detect(layers: list[dict[str, Any]]) -> Detection | None:
    """The published chart these layers target, or None (seed, or nothing recognised)."""
    top = [m for data in layers for m in markers_in(data)]
    chart = _best(top)
    if chart:
        return Detection(chart, "", top) if chart != SEED else None
    nested: dict[str, list[tuple[Path, str]]] = {}
    for data in layers:
        for key, sub in data.items() if isinstance(data, dict) else ():
            if isinstance(sub, dict):
                nested.setdefault(key, []).extend(markers_in(sub))
    if not nested:
        return None
    key = max(nested, key=lambda k: len(nested[k]))
    chart = _best(nested[key])
    if not chart:
        return None
    return Detection(chart, key, [((key, *path), c) for path, c in nested[key]])


def forced(name: str, layers: list[dict[str, Any]]) -> Detection:
    """`--chart NAME`: the chart is given; only the umbrella key is still looked for."""
    found = detect(layers)
    nest = found.nest if found is not None and found.chart == name else ""
    return Detection(name, nest, found.markers if found is not None else [])


def foreign_keys(detection: Detection) -> list[tuple[Path, str]]:
    """The marker keys of other charts in a file detected as `detection.chart`."""
    return [(path, chart) for path, chart in detection.markers if chart != detection.chart]


def mixed_message(detection: Detection) -> str:
    """One message naming each foreign key's chart."""
    parts = [f"`{format_path(path)}` ({TITLES[chart]})" for path, chart in foreign_keys(detection)]
    return (
        f"the file targets {TITLES[detection.chart]} (most of its keys), but also has keys of another chart: "
        + ", ".join(parts)
    )


def charts_of(code: str) -> tuple[str, ...]:
    """The charts a rule applies to: a chart rule's own list, the seed rules' revisions, else all."""
    if code in CHART_RULES:
        return CHART_RULES[code]
    from mlflow_lint.charts import seed_rules

    seed_codes = {r.code for r in vars(seed_rules).values() if hasattr(r, "code") and hasattr(r, "check")}
    if code in seed_codes or code in SEED_ONLY:
        return ("seed-v1", "seed-v2")
    return ("all",)


def choose(chart: str | None, layers: list[dict[str, Any]]) -> Detection | None:
    """The published chart to lint these layers as (`--chart` first), or None for the seed chart."""
    if chart is not None:
        return forced(chart, layers) if chart in NAMES else None
    return detect(layers)


def unwrap(layers: list[Any], nest: str) -> list[Any]:
    """An umbrella chart's values: each layer's subtree under `nest`, positions kept (paths
    lose the `nest` prefix; their lines stay those of the real file)."""
    if not nest:
        return layers
    from mlflow_lint.release import Layer

    out = []
    for layer in layers:
        sub = layer.data.get(nest) if isinstance(layer.data, dict) else None
        positions = {path[1:]: pos for path, pos in layer.positions.items() if path[:1] == (nest,)}
        out.append(Layer(layer.file, sub if isinstance(sub, dict) else {}, positions))
    return out


def mixed_hits(found: Detection | None) -> list[Any]:
    """MLF801: one finding naming the chart of each key that belongs to another chart."""
    from mlflow_lint.finding import Hit

    if found is None or not foreign_keys(found):
        return []
    foreign = foreign_keys(found)
    first = foreign[0][0][1:] if found.nest else foreign[0][0]
    return [
        Hit(
            first,
            mixed_message(found),
            f"Helm gives these keys to no template of {TITLES[found.chart]}; "
            "move them to the chart they belong to, or choose the chart with --chart",
            at_key=True,
        )
    ]


def foreign_paths(found: Detection | None) -> set[Path]:
    """Paths (as the lint sees them) of the other charts' keys: reported once by MLF801, not as unknown keys."""
    if found is None:
        return set()
    cut = 1 if found.nest else 0
    return {path[cut:] for path, _ in foreign_keys(found)}


def schema_hit(found: Detection | None, code: str, hit: Any) -> tuple[str, Any]:
    """A schema finding as it applies to the chart: community's Helm refuses an unknown key (an
    error); bitnami and the official chart render it and ignore it (MLF802, a warning)."""
    if found is not None and found.chart == "community" and code == "MLF002" and hit.path == ():
        return code, _exclusive_hit(hit)
    if found is None or code != "MLF005":
        return code, hit
    if adapter_flag(found.chart):
        return code, hit._replace(
            hint="the chart's values.schema.json forbids unknown keys: `helm install` and "
            "`helm template` refuse these values"
        )
    return "MLF802", hit._replace(
        hint=f"{TITLES[found.chart]} has no schema that closes this map: Helm silently "
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


def adapter_flag(name: str) -> bool:
    """Whether Helm refuses unknown keys for this chart (it ships a closed values.schema.json)."""
    return name == "community"


def render(name: str, data: dict[str, Any]) -> Any:
    """The chart's RenderedPod for merged values `data` (chart_templates.<name>)."""
    return import_module(f"mlflow_lint.chart_templates.{name}").render(data)


def nested_paths(findings: list[Any], found: Detection | None) -> list[Any]:
    """Findings of an umbrella chart's values: their paths as written in the file (`mlflow.` first)."""
    if found is None or not found.nest:
        return findings
    prefix = format_path((found.nest,))
    return [f._replace(path=f"{prefix}.{f.path}" if f.path and not f.path.startswith("[") else prefix + f.path)
            for f in findings]
