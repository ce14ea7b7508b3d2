"""The charts the linter knows: one adapter module per chart family, and how to choose one.

`ADAPTERS` lists every adapter (see `base.py` for the interface): the seed chart's two
revisions (`seed.py`) and the published charts (`community.py`, `bitnami.py`, `official.py`,
with what they share in `published.py`). `choose()` picks the adapter for a release from its values (or `--chart`),
finds values nested under an umbrella chart's key, and says when nothing recognises the
file. A modelled chart's default values are not stored twice: they are the `default` of
every leaf of its schema (`load_chart`).

Seed v1 (appVersion 2.10.0) and v2 (appVersion 2.14.1) differ in a handful of keys (facts
file, section 2.3).
"""

from __future__ import annotations

import json
import os
from functools import cache

from mlflow_lint.charts import bitnami, community, official, seed
from mlflow_lint.charts.base import Adapter
from mlflow_lint.paths import Path
from mlflow_lint.records import NamedTuple
from mlflow_lint.server_cli import NEWEST_KNOWN

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any

    from mlflow_lint.deployment import Deployment
    from mlflow_lint.release import Values

ADAPTERS: tuple[Adapter, ...] = (*seed.ADAPTERS, *community.ADAPTERS, *bitnami.ADAPTERS, *official.ADAPTERS)
BY_NAME = {adapter.name: adapter for adapter in ADAPTERS}
REVISIONS = tuple(adapter.name for adapter in ADAPTERS if adapter.modelled)  # what `--chart NAME` lints
APP_VERSION = {adapter.name: adapter.app_version for adapter in ADAPTERS}
APP_VERSION["manifests"] = ".".join(map(str, NEWEST_KNOWN))  # rendered manifests name no chart
# Top-level keys that say nothing about the chart (Kubernetes and Helm conventions shared by all).
GENERIC_KEYS = frozenset(
    {
        "image",
        "imagePullSecrets",
        "replicaCount",
        "nameOverride",
        "fullnameOverride",
        "podAnnotations",
        "podLabels",
        "podSecurityContext",
        "securityContext",
        "service",
        "ingress",
        "resources",
        "nodeSelector",
        "tolerations",
        "affinity",
        "serviceAccount",
        "autoscaling",
        "extraVolumes",
        "extraVolumeMounts",
        "global",
        "commonLabels",
        "commonAnnotations",
        "livenessProbe",
        "readinessProbe",
        "strategy",
        "priorityClassName",
    }
)

# Keys that exist in one revision only, with their counterpart in the other (or None).
V2_ONLY: dict[Path, Path | None] = {
    ("trackingServer", "mode"): ("trackingServer", "enabled"),
    ("trackingServer", "defaultArtifactRoot"): ("artifactStore", "defaultArtifactRoot"),
    ("trackingServer", "artifactsDestination"): ("artifactStore", "artifactsDestination"),
    ("backendStore", "databaseUpgrade"): None,
}
V1_ONLY: dict[Path, Path | None] = {
    ("trackingServer", "enabled"): ("trackingServer", "mode"),
    ("artifactStore", "enabled"): ("trackingServer", "mode"),
    ("artifactStore", "defaultArtifactRoot"): ("trackingServer", "defaultArtifactRoot"),
    ("artifactStore", "artifactsDestination"): ("trackingServer", "artifactsDestination"),
}


class Chart(NamedTuple):
    """One chart revision: name, schema and defaults."""

    name: str
    schema: dict[str, Any]
    defaults: dict[str, Any]

    @property
    def app_version(self) -> str:
        return APP_VERSION[self.name]

    @property
    def only_other(self) -> dict[Path, Path | None]:
        if BY_NAME[self.name].family != "seed":
            return {}  # no other revision to move keys to
        return V2_ONLY if self.name == "seed-v1" else V1_ONLY


def schema_dir() -> str:
    """The schemas shipped in the wheel, or the checkout's `schemas/` in an editable install.

    A plain path next to this module, not `importlib.resources`: the wheel installs them as
    files, and importing importlib.resources would cost a cold lint several milliseconds.
    """
    here = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))  # the mlflow_lint package
    packaged = os.path.join(here, "schemas")
    if os.path.isdir(packaged):
        return packaged
    return os.path.join(os.path.dirname(os.path.dirname(here)), "schemas")


@cache
def load_chart(name: str) -> Chart:
    """The modelled chart `name` (one of REVISIONS): its schema (the adapter's `schema` file) and defaults."""
    with open(os.path.join(schema_dir(), BY_NAME[name].schema), encoding="utf-8") as handle:
        schema = json.load(handle)
    return Chart(name, schema, defaults_from_schema(schema))


def defaults_from_schema(schema: dict[str, Any]) -> dict[str, Any]:
    """The chart's values.yaml, rebuilt from the `default` of every property."""
    out: dict[str, Any] = {}
    for key, sub in schema.get("properties", {}).items():
        if "default" in sub:
            out[key] = json.loads(json.dumps(sub["default"]))  # a private copy
        elif sub.get("properties"):
            out[key] = defaults_from_schema(sub)
    return out


def detect(data_layers: list[dict[str, Any]]) -> tuple[str, list[tuple[Path, str]]]:
    """Guess the revision from marker keys; also list the markers of each revision found."""
    markers: list[tuple[Path, str]] = []
    for data in data_layers:
        for path in V2_ONLY:
            if _has(data, path):
                markers.append((path, "seed-v2"))
        for path in V1_ONLY:
            if _has(data, path):
                markers.append((path, "seed-v1"))
    v1 = sum(1 for _, rev in markers if rev == "seed-v1")
    v2 = len(markers) - v1
    return ("seed-v1" if v1 > v2 else "seed-v2"), markers


def _has(data: Any, path: Path) -> bool:
    for part in path:
        if not isinstance(data, dict) or part not in data:
            return False
        data = data[part]
    return True


def schema_at(schema: dict[str, Any], path: Path) -> dict[str, Any] | None:
    """The schema node that governs `path` (following $ref, items and allOf)."""
    node: Any = schema
    for part in path:
        node = _deref(schema, node)
        node = node.get("items") if isinstance(part, int) else node.get("properties", {}).get(part)
        if node is None:
            return None
    return _deref(schema, node)


def _deref(root: dict[str, Any], node: Any) -> Any:
    while isinstance(node, dict) and "$ref" in node:
        node = root["definitions"][node["$ref"].rsplit("/", 1)[1]]
    if isinstance(node, dict) and "allOf" in node and "properties" not in node:
        for sub in node["allOf"]:
            sub = _deref(root, sub)
            if isinstance(sub, dict) and "properties" in sub:
                return sub
    return node


def all_key_paths(schema: dict[str, Any]) -> list[Path]:
    """Every chart-owned key path of a schema (for "did you mean" across the chart)."""
    out: list[Path] = []

    def walk(node: dict[str, Any], prefix: Path) -> None:
        for key, sub in node.get("properties", {}).items():
            out.append(prefix + (key,))
            sub = _deref(schema, sub)
            if isinstance(sub, dict) and sub.get("additionalProperties") is False:
                walk(sub, prefix + (key,))

    walk(schema, ())
    return out


def build_deployment(values: Values, chart: Chart, secrets: Any = None) -> Deployment:
    """The Deployment of a release of `chart`, with the given Secrets' keys filled in."""
    from mlflow_lint.deployment import fill_secrets

    build = BY_NAME[chart.name].build
    assert build is not None, f"{chart.name} is not modelled"
    deployment = build(values, chart)
    if secrets is not None:
        fill_secrets(deployment, secrets)
        if BY_NAME[chart.name].family != "seed":  # a published chart's $(VAR) references (issue 14)
            from mlflow_lint.charts.from_pod import resolve_with_secrets

            resolve_with_secrets(deployment, secrets)
    return deployment


class Choice(NamedTuple):
    """The adapter chosen for a release, and why.

    `prefix` is the umbrella key the values are nested under (() for none); `markers` the
    keys that decided; `recognised` is False when no adapter recognised the values (the
    adapter is then the default, and the engine reports the file instead of linting it).
    """

    adapter: Adapter
    prefix: Path = ()
    markers: tuple[Path, ...] = ()
    recognised: bool = True
    scores: tuple[tuple[str, int], ...] = ()  # adapter family -> markers found, best first


DEFAULT = "seed-v2"


def choose(data_layers: list[dict[str, Any]], forced: str | None = None) -> Choice:
    """The adapter for a release made of `data_layers` (Helm's -f order); `forced` = --chart NAME."""
    prefix = umbrella_key(data_layers)
    layers = [nested(data, prefix) for data in data_layers]
    if forced is not None:
        return Choice(BY_NAME[forced], prefix)
    scores = family_scores(layers)
    best_family, best = scores[0] if scores else ("", 0)
    if best == 0:
        return Choice(BY_NAME[DEFAULT], prefix, (), not _looks_foreign(layers), ())
    found = tuple(
        path
        for data in layers
        for adapter in ADAPTERS
        if adapter.family == best_family
        for path in adapter.detect(data).markers
    )
    if best_family == "seed":
        revision, _ = detect(layers)
        return Choice(BY_NAME[revision], prefix, tuple(dict.fromkeys(found)), True, tuple(scores))
    adapter = next(a for a in ADAPTERS if a.family == best_family)
    return Choice(adapter, prefix, tuple(dict.fromkeys(found)), True, tuple(scores))


def family_scores(layers: list[dict[str, Any]]) -> list[tuple[str, int]]:
    """(family, number of distinct marker keys found), most markers first (the seed chart wins ties)."""
    scores: dict[str, int] = {}
    for adapter in ADAPTERS:
        found = {path for data in layers for path in adapter.detect(data).markers}
        scores[adapter.family] = max(scores.get(adapter.family, 0), len(found))
    return sorted(scores.items(), key=lambda item: (-item[1], item[0] != "seed"))


def umbrella_key(data_layers: list[dict[str, Any]]) -> Path:
    """The key an umbrella chart nests this chart's values under (`mlflow:` ...), or ().

    Values are nested when nothing at the top is a marker of any chart, and one mapping at
    the top holds markers (the one with most of them).
    """
    if any(count for _, count in family_scores(data_layers)):
        return ()
    best: tuple[int, str] = (0, "")
    for data in data_layers:
        for key, sub in data.items():
            if isinstance(key, str) and isinstance(sub, dict):
                count = max((n for _, n in family_scores([sub])), default=0)
                best = max(best, (count, key))
    return (best[1],) if best[0] else ()


def nested(data: dict[str, Any], prefix: Path) -> dict[str, Any]:
    """The mapping at `prefix` inside `data` ({} when there is none)."""
    for part in prefix:
        sub = data.get(str(part)) if isinstance(data, dict) else None
        data = sub if isinstance(sub, dict) else {}
    return data


def _looks_foreign(layers: list[dict[str, Any]]) -> bool:
    """No chart's markers, and mostly keys that no modelled chart has at its top level."""
    known_keys = set(GENERIC_KEYS)
    for name in REVISIONS:
        known_keys.update(load_chart(name).schema.get("properties", {}))
    keys = {key for data in layers for key in data}
    unknown = [key for key in keys if key not in known_keys]
    return len(unknown) >= 2 and 2 * len(unknown) >= len(keys)


def is_chart_source(text: str) -> bool:
    """A chart directory (with Chart.yaml) or a packaged chart (.tgz) that Helm can render."""
    if os.path.isdir(text):
        return os.path.isfile(os.path.join(text, "Chart.yaml"))
    return os.path.isfile(text) and text.endswith((".tgz", ".tar.gz"))


def manifests_chart() -> Chart:
    """The stand-in chart of rendered manifests: no schema, no defaults, MLflow's newest known version."""
    return Chart("manifests", {}, {})
