"""Record what the REAL charts render for each per-chart case: the ground truth of the adapters.

Not a test: a developer tool, run by hand when a case is added or a chart version is pinned anew.
It needs `helm-python-sdk` (Helm's Go SDK) and the charts' sources, which the project does not
hold (it contains only what it writes). Lay the sources out as

    SOURCES/community/charts/mlflow   community-charts/helm-charts charts/mlflow (+ charts/ subcharts)
    SOURCES/bitnami/mlflow            bitnami/charts bitnami/mlflow (+ charts/ common, postgresql, minio)
    SOURCES/official/mlflow           mlflow/mlflow charts/

and run `python tests/charts/record_renders.py SOURCES [CASE ...]`. For every case values file
`tests/charts/<chart>/<case>.yaml` it writes `<case>.render.json`: the `mlflow server` command
line and environment of the tracking container as Helm rendered it (env values literal or by
reference), the ConfigMaps it reads its environment from, the names and KEYS (never the values)
of the Secrets the chart generates, the auth ini the chart generates, and what else an adapter
models (image, service account, service, ingress, mounts, init containers). When Helm refuses the
values (schema or template `fail`), the fixture records the refusal instead.

The case file is read exactly as Helm reads values (`values_from_yaml`); a leading comment line
`# umbrella: KEY` renders the subtree under KEY, as an umbrella chart's subchart would get it.
"""

from __future__ import annotations

import json
import re
import sys
from pathlib import Path
from typing import Any

import yaml

HERE = Path(__file__).parent
CHART_DIRS = {"community": "community/charts/mlflow", "bitnami": "bitnami/mlflow", "official": "official/mlflow"}
RELEASE = "mlflow"
NAMESPACE = "default"
_UMBRELLA = re.compile(r"^#\s*umbrella:\s*(\S+)")


def load_values(helm: Any, path: Path) -> dict[str, Any]:
    text = path.read_text(encoding="utf-8")
    values = helm.values_from_yaml(text) or {}
    for line in text.splitlines():
        if not line.startswith("#"):
            break
        match = _UMBRELLA.match(line)
        if match:
            values = values.get(match[1]) or {}
    return values


def documents(rendered: dict[str, str]) -> list[dict[str, Any]]:
    docs = []
    for name, text in sorted(rendered.items()):
        if name.endswith("NOTES.txt"):
            continue
        docs.extend(d for d in yaml.safe_load_all(text) if isinstance(d, dict))
    return docs


def is_server(container: dict[str, Any]) -> bool:
    argv = [*(container.get("command") or []), *(container.get("args") or [])]
    return "server" in argv and any("mlflow" in str(a) for a in argv[:2] + [container.get("name", "")])


def tracking_pod(docs: list[dict[str, Any]]) -> tuple[dict[str, Any], dict[str, Any]]:
    for doc in docs:
        if doc.get("kind") not in ("Deployment", "StatefulSet"):
            continue
        spec = doc["spec"]["template"]["spec"]
        for container in spec.get("containers") or []:
            if is_server(container):
                return doc, container
    raise LookupError("no container runs `mlflow server`")


def env_entry(entry: dict[str, Any]) -> dict[str, Any]:
    if "valueFrom" in entry:
        return {"name": entry["name"], "valueFrom": entry["valueFrom"]}
    return {"name": entry["name"], "value": entry.get("value")}


def summary(docs: list[dict[str, Any]]) -> dict[str, Any]:
    workload, container = tracking_pod(docs)
    pod = workload["spec"]["template"]["spec"]
    by_kind: dict[str, dict[str, dict[str, Any]]] = {}
    for doc in docs:
        by_kind.setdefault(doc["kind"], {})[doc["metadata"]["name"]] = doc
    env_from = []
    for source in container.get("envFrom") or []:
        kind = "configMapRef" if "configMapRef" in source else "secretRef"
        env_from.append({kind: source[kind]["name"]})
    configmaps = {
        name: dict(sorted((cm.get("data") or {}).items())) for name, cm in by_kind.get("ConfigMap", {}).items()
    }
    secrets = {
        name: sorted({*(s.get("data") or {}), *(s.get("stringData") or {})})
        for name, s in by_kind.get("Secret", {}).items()
    }
    return {
        "argv": [*(container.get("command") or []), *(container.get("args") or [])],
        "env": [env_entry(e) for e in container.get("env") or []],
        "envFrom": env_from,
        "configmaps": configmaps,
        "secret_keys": secrets,
        "image": container.get("image"),
        "workload": {
            "kind": workload["kind"],
            "name": workload["metadata"]["name"],
            "replicas": workload["spec"].get("replicas"),
        },
        "serviceAccountName": pod.get("serviceAccountName"),
        "volumeMounts": [
            {k: m[k] for k in ("name", "mountPath", "subPath") if k in m} for m in container.get("volumeMounts") or []
        ],
        "initContainers": [
            {"name": c["name"], "argv": [*(c.get("command") or []), *(c.get("args") or [])]}
            for c in pod.get("initContainers") or []
        ],
        "services": {
            name: {
                "type": s["spec"].get("type", "ClusterIP"),
                "ports": [p.get("port") for p in s["spec"].get("ports") or []],
            }
            for name, s in by_kind.get("Service", {}).items()
        },
        "ingressHosts": sorted(
            r.get("host") for i in by_kind.get("Ingress", {}).values() for r in i["spec"].get("rules") or []
        ),
        "pvcs": sorted(by_kind.get("PersistentVolumeClaim", {})),
    }


def record(helm: Any, sources: Path, case: Path) -> dict[str, Any]:
    chart_name = case.relative_to(HERE).parts[0]
    chart = helm.Chart.load(str(sources / CHART_DIRS[chart_name]))
    result: dict[str, Any] = {"chart": chart_name, "chart_version": chart.version}
    try:
        rendered = chart.render(load_values(helm, case), name=RELEASE, namespace=NAMESPACE)
    except helm.HelmError as error:
        result["helm_error"] = str(error).strip()
        return result
    result.update(summary(documents(rendered)))
    return result


def cases(selected: list[str]) -> list[Path]:
    found = sorted(p for chart in CHART_DIRS for p in (HERE / chart).glob("**/*.yaml"))
    return [p for p in found if not selected or any(s in str(p) for s in selected)]


def main(argv: list[str]) -> int:
    import helm_python as helm

    sources = Path(argv[0])
    for case in cases(argv[1:]):
        out = case.with_suffix(".render.json")
        out.write_text(json.dumps(record(helm, sources, case), indent=1, sort_keys=False) + "\n", encoding="utf-8")
        print(out.relative_to(HERE))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
