"""The seed chart's two revisions: their schemas, defaults, and how to tell them apart.

v1 (appVersion 2.10.0) and v2 (appVersion 2.14.1) differ in a handful of keys (facts file,
section 2.3). The chart's default values are not stored twice: they are the `default` of
every leaf of the revision's schema.
"""

from __future__ import annotations

import json
import os
from functools import cache

from mlflow_lint.paths import Path
from mlflow_lint.records import NamedTuple

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any

    from mlflow_lint.deployment import Deployment
    from mlflow_lint.release import Values

REVISIONS = ("seed-v1", "seed-v2")
APP_VERSION = {"seed-v1": "2.10.0", "seed-v2": "2.14.1"}

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
        from mlflow_lint.charts.published import VERSIONS  # the published charts (issue 14)

        return APP_VERSION[self.name] if self.name in APP_VERSION else VERSIONS[self.name][1]

    @property
    def only_other(self) -> dict[Path, Path | None]:
        if self.name not in REVISIONS:
            return {}  # a published chart: no other revision to move keys to
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
    """The chart revision `name` (one of REVISIONS)."""
    with open(os.path.join(schema_dir(), f"{name}.schema.json"), encoding="utf-8") as handle:
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
    from mlflow_lint.charts import published, seed
    from mlflow_lint.deployment import fill_secrets

    if published.is_published(chart.name):
        deployment = published.adapter(chart.name).build(values, chart)
    else:
        deployment = seed.build(values, chart)
    if secrets is not None:
        fill_secrets(deployment, secrets)
    return deployment
