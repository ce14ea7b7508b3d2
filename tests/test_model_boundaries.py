"""Chart knowledge lives in charts/: rule modules and probes read the Deployment, never a chart key.

The seed chart's own key names are read from its schemas, so a key added there is covered
too. Names that are also Kubernetes fields or MLflow words (`env`, `args`, `s3`, `image` ...)
are not chart knowledge and are allowed; docstrings (the rules' user documentation, written
with seed examples) are not code and are skipped.
"""

from __future__ import annotations

import ast
import json
from pathlib import Path

import pytest

from mlflow_lint.charts import schema_dir

PACKAGE = Path(__file__).resolve().parents[1] / "linter" / "mlflow_lint"
# Words that are Kubernetes field names, MLflow or cloud words, or too generic to be chart knowledge.
NOT_CHART_KEYS = {
    "name",
    "value",
    "enabled",
    "host",
    "port",
    "workers",
    "create",
    "annotations",
    "type",
    "key",
    "path",
    "image",
    "tag",
    "repository",
    "registry",
    "hosts",
    "mode",
    "endpoint",
    "prefix",
    "optional",
    "mountPath",
    "readOnly",
    "valueFrom",
    "secretKeyRef",
    "configMapKeyRef",
    "secretRef",
    "configMapRef",
    "data",
    "items",
    "labels",
    "resources",
    "service",
    "ingress",
    "tls",
    "paths",
    "pathType",
    "className",
    "env",
    "envFrom",
    "args",
    "command",
    "s3",
    "gcp",
    "azure",
    "oss",
    "securityContext",
    "affinity",
    "tolerations",
    "nodeSelector",
    "limits",
    "requests",
    "volumeMounts",
    "subPath",
    "subPathExpr",
    "fieldRef",
    "resourceFieldRef",
    "operator",
    "effect",
    "tolerationSeconds",
    "mountPropagation",
    "claims",
}


def seed_keys() -> set[str]:
    keys: set[str] = set()

    def walk(node: dict[str, object]) -> None:
        properties = node.get("properties", {})
        assert isinstance(properties, dict)
        for key, sub in properties.items():
            keys.add(key)
            if isinstance(sub, dict):
                walk(sub)

    for revision in ("seed-v1", "seed-v2"):
        schema = json.loads((Path(schema_dir()) / f"{revision}.schema.json").read_text(encoding="utf-8"))
        walk(schema)
        for definition in schema.get("definitions", {}).values():
            walk(definition)
    return keys - NOT_CHART_KEYS


def code_strings(path: Path) -> list[tuple[int, str]]:
    """Every string constant of a module except docstrings."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    docstrings = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Module | ast.ClassDef | ast.FunctionDef | ast.AsyncFunctionDef) and node.body:
            first = node.body[0]
            if isinstance(first, ast.Expr) and isinstance(first.value, ast.Constant):
                docstrings.add(id(first.value))
    return [
        (node.lineno, node.value)
        for node in ast.walk(tree)
        if isinstance(node, ast.Constant) and isinstance(node.value, str) and id(node) not in docstrings
    ]


def attribute_uses(path: Path, names: set[str]) -> list[tuple[int, str]]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    return [
        (node.lineno, node.attr)
        for node in ast.walk(tree)
        if isinstance(node, ast.Attribute)
        and node.attr in names
        and isinstance(node.value, ast.Name)
        and node.value.id == "ctx"
    ]


MODEL_READERS = sorted([*(PACKAGE / "rules").glob("*.py"), *(PACKAGE / "probes").glob("*.py")])


def test_the_seed_schema_yields_the_keys_the_test_looks_for() -> None:
    keys = seed_keys()
    assert {
        "backendStore",
        "trackingServer",
        "artifactStore",
        "extraEnv",
        "defaultArtifactRoot",
        "existingSecret",
        "createSecret",
        "basicAuth",
        "extraArgs",
    } <= keys


@pytest.mark.parametrize("module", MODEL_READERS, ids=lambda p: f"{p.parent.name}/{p.name}")
def test_no_chart_key_in_rules_or_probes(module: Path) -> None:
    keys = seed_keys()
    found = [(line, text) for line, text in code_strings(module) if text in keys]
    assert not found, f"{module.name} names seed-chart keys (move the knowledge to charts/): {found}"


@pytest.mark.parametrize("module", MODEL_READERS, ids=lambda p: f"{p.parent.name}/{p.name}")
def test_no_revision_branch_in_rules_or_probes(module: Path) -> None:
    """`ctx.is_v1` and `ctx.chart` are chart knowledge; the Deployment carries what differs."""
    found = attribute_uses(module, {"is_v1", "chart", "revision"})
    assert not found, f"{module.name} branches on the chart revision: {found}"


def test_the_check_catches_a_chart_key(tmp_path: Path) -> None:
    """The scan is not vacuous: a rule that reads a seed key is caught, its docstring is not."""
    module = tmp_path / "bad.py"
    module.write_text(
        'def check(ctx):\n    """Reads `backendStore`."""\n'
        '    return ctx.values.get(("backendStore", "existingSecret"))\n',
        encoding="utf-8",
    )
    assert [text for _, text in code_strings(module) if text in seed_keys()] == ["backendStore", "existingSecret"]
