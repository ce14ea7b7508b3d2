"""Each chart's template model against what the real chart renders with real Helm.

For every case `tests/charts/<chart>/<case>.yaml` the fixture `<case>.render.json` holds what
Helm rendered from the chart's own sources (recorded by `record_renders.py`; the sources are
not in the repository). `chart_templates.<chart>.render` must reproduce the tracking
container's command line, env (literal values and references), envFrom, the generated
ConfigMaps (env and auth ini), the keys of the generated Secrets, image, service account,
Service type, Ingress hosts and init containers; where Helm refused the values, the model
must refuse them too (template failure) or the chart's schema must (schema failure).
"""

from __future__ import annotations

import importlib
import json
from pathlib import Path
from typing import Any

import pytest

from mlflow_lint import schema_check
from mlflow_lint.chart_templates._values import merge
from mlflow_lint.charts import defaults_from_schema
from mlflow_lint.document import load

HERE = Path(__file__).parent
SCHEMAS = HERE.parents[1] / "schemas"
# Secrets of the subcharts (rendered by them, not by the MLflow chart's templates).
SUBCHART_OBJECTS = ("-postgresql", "-minio", "-mysql", "-postgresql-hl")


def cases() -> list[Path]:
    return sorted(p for p in HERE.glob("*/*.yaml") if p.with_suffix(".render.json").exists())


def user_values(path: Path) -> dict[str, Any]:
    text = path.read_text(encoding="utf-8")
    data = load(str(path), text).data or {}
    if text.startswith("# umbrella:"):
        data = data.get(text.split(":", 1)[1].split()[0]) or {}
    return data


def schema(chart: str) -> dict[str, Any]:
    return json.loads((SCHEMAS / f"{chart}.schema.json").read_text(encoding="utf-8"))


# The chart ships no values.schema.json that closes its objects (bitnami types only, official
# none): Helm renders values with unknown keys, which mlflow-lint reports as warnings.
HELM_IGNORES_UNKNOWN_KEYS = {"bitnami", "official"}


def _env_item(path: tuple[Any, ...]) -> bool:
    return path[:2] in (("tracking", "extraEnvVars"), ("run", "extraEnvVars")) or path[:1] == ("env",)


def own(name: str) -> bool:
    return not name.endswith(SUBCHART_OBJECTS)


@pytest.mark.parametrize("case", cases(), ids=lambda p: f"{p.parent.name}/{p.stem}")
def test_render_matches_helm(case: Path) -> None:
    chart = case.parent.name
    expected = json.loads(case.with_suffix(".render.json").read_text(encoding="utf-8"))
    chart_schema = schema(chart)
    values = merge(defaults_from_schema(chart_schema), user_values(case))
    schema_errors = list(schema_check.iter_errors(values, chart_schema))
    module = importlib.import_module(f"mlflow_lint.chart_templates.{chart}")
    pod = module.render(values)
    if "helm_error" in expected:
        if expected["helm_error"].startswith("values don't meet the specifications"):
            assert schema_errors, "Helm's schema check refused these values; ours accepts them"
        else:
            assert pod.error is not None, f"Helm refused: {expected['helm_error'][:200]}"
        return
    if chart in HELM_IGNORES_UNKNOWN_KEYS:  # also: EnvVar values the API server (not Helm) refuses
        schema_errors = [e for e in schema_errors if e.keyword != "additionalProperties" and not _env_item(e.path)]
    assert not schema_errors, schema_errors
    assert pod.error is None, pod.error
    assert [t.text for t in pod.argv] == expected["argv"]
    assert [e.as_fixture() for e in pod.env] == expected["env"]
    assert [{f.kind: f.name} for f in pod.env_from] == expected["envFrom"]
    for name, data in pod.configmaps.items():
        assert {k: v.value for k, v in data.items()} == expected["configmaps"][name], name
    ours = {name: sorted(data) for name, data in pod.secrets.items()}
    theirs = {name: keys for name, keys in expected["secret_keys"].items() if own(name)}
    assert {n: k for n, k in ours.items() if n in theirs} == theirs
    assert pod.image == expected["image"]
    assert pod.service_account == expected["serviceAccountName"]
    assert [name for name, _ in pod.init_containers] == [c["name"] for c in expected["initContainers"]]
    assert {n: s["type"] for n, s in pod.services.items()} == {
        n: s["type"] for n, s in expected["services"].items() if own(n) and n in pod.services
    }
    assert sorted(h for h, _ in pod.ingress_hosts) == expected["ingressHosts"]


@pytest.mark.parametrize(
    "case",
    [c for c in cases() if "helm_error" not in c.with_suffix(".render.json").read_text()],
    ids=lambda p: f"{p.parent.name}/{p.stem}",
)
def test_mounts_and_volumes_match_helm(case: Path) -> None:
    chart = case.parent.name
    expected = json.loads(case.with_suffix(".render.json").read_text(encoding="utf-8"))
    values = merge(defaults_from_schema(schema(chart)), user_values(case))
    pod = importlib.import_module(f"mlflow_lint.chart_templates.{chart}").render(values)
    ours = [
        {"name": m.name, "mountPath": m.mount_path, **({"subPath": m.sub_path} if m.sub_path else {})}
        for m in pod.mounts
    ]
    assert ours == expected["volumeMounts"]
    assert sorted(pod.pvcs) == sorted(p for p in expected["pvcs"] if own(p))
