"""The official chart (mlflow/mlflow `charts/`, 0.1.1, appVersion 3.12.0): values -> the pod.

Described from the chart's deployment and helpers (other-charts.md section 4). Modelled: the
command (`mlflow server`, value_options as `--key=value` sorted by key with `%v`, flag_options,
static prefix, TLS uvicorn options, metrics), the MLFLOW_* environment built from `mlflow.*`
keys followed by the user's `env` list, envFrom, image, service account, Service, Ingress
hosts, mounts and the PVC, and the template's one refusal (no backend store). Not modelled:
the GC CronJob, ExternalSecrets, NetworkPolicy, RBAC.
"""

from __future__ import annotations

from mlflow_lint.chart_templates._values import get, items, mapping, text
from mlflow_lint.chart_templates.gotmpl import go_value, truthy
from mlflow_lint.chart_templates.rendered import EnvItem, FromItem, Mount, RenderedPod

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any

CHART = "official"
CHART_VERSION = "0.1.1"
APP_VERSION = "3.12.0"
RELEASE = "mlflow"
M = ("mlflow",)
TLS_OPTS = (
    "--uvicorn-opts=--ssl-keyfile=/etc/tls/private/tls.key --ssl-certfile=/etc/tls/private/tls.crt --proxy-headers"
)


def on(values: dict[str, Any], *path: str | int) -> bool:
    return truthy(get(values, path))


def fullname(values: dict[str, Any], release: str = RELEASE) -> str:
    return (text(values, ("fullnameOverride",)) or f"{release}-mlflow")[:63].rstrip("-")


def args(values: dict[str, Any], pod: RenderedPod) -> None:
    pod.arg("mlflow")
    pod.arg("server")
    options = mapping(values, ("server", "value_options"))
    for key in sorted(options):
        pod.arg(f"--{key.replace('_', '-')}={go_value(options[key])}", ("server", "value_options", key), user=True)
    for index, flag in enumerate(items(values, ("server", "flag_options"))):
        pod.arg(f"--{go_value(flag).replace('_', '-')}", ("server", "flag_options", index), user=True)
    if get(values, ("server", "staticPrefix")):
        pod.arg(f"--static-prefix={text(values, ('server', 'staticPrefix'))}", ("server", "staticPrefix"))
    if on(values, "tls", "enabled"):
        pod.arg(TLS_OPTS, ("tls", "enabled"))
    if on(values, "metrics", "enabled"):
        pod.arg("--expose-prometheus=/tmp/metrics", ("metrics", "enabled"))


def env(values: dict[str, Any], pod: RenderedPod) -> None:
    for var, key in (
        ("MLFLOW_BACKEND_STORE_URI", "backendStoreUri"),
        ("MLFLOW_REGISTRY_STORE_URI", "registryStoreUri"),
    ):
        source = get(values, (*M, f"{key}From"))
        if truthy(source):
            pod.env.append(EnvItem(var, None, (*M, f"{key}From"), source))
        elif get(values, (*M, key)):
            pod.set_env(var, go_value(get(values, (*M, key))), (*M, key))
    for var, key in (
        ("MLFLOW_DEFAULT_ARTIFACT_ROOT", "defaultArtifactRoot"),
        ("MLFLOW_ARTIFACTS_DESTINATION", "artifactsDestination"),
    ):
        if get(values, (*M, key)):
            pod.set_env(var, go_value(get(values, (*M, key))), (*M, key))
    for index, item in enumerate(items(values, ("env",))):
        if isinstance(item, dict):
            pod.env.append(
                EnvItem(str(item.get("name")), item.get("value"), ("env", index), item.get("valueFrom"), True)
            )
    for index, item in enumerate(items(values, ("envFrom",))):
        if isinstance(item, dict):
            kind = "configMapRef" if "configMapRef" in item else "secretRef"
            pod.env_from.append(FromItem(kind, go_value(get(item, (kind, "name"), "")), ("envFrom", index), True))


def render(values: dict[str, Any], release: str = RELEASE) -> RenderedPod:
    pod = RenderedPod()
    if not get(values, (*M, "backendStoreUri")) and not truthy(get(values, (*M, "backendStoreUriFrom"))):
        pod.fail("mlflow.backendStoreUri or mlflow.backendStoreUriFrom is required", (*M, "backendStoreUri"))
    name = fullname(values, release)
    pod.workload = ("Deployment", name)
    pod.replicas = get(values, ("replicaCount",))
    args(values, pod)
    env(values, pod)
    tag = text(values, ("image", "tag")) or f"v{APP_VERSION}-full"
    pod.image = f"{text(values, ('image', 'repository'))}:{tag}"
    pod.image_path = ("image", "tag") if get(values, ("image", "tag")) else ("image", "repository")
    sa = ("serviceAccount",)
    pod.service_account = text(values, (*sa, "name")) or (name if on(values, *sa, "create") else "default")
    pod.service_account_path = sa
    port = get(values, ("service", "port")) or get(values, ("server", "value_options", "port"))
    pod.services[name] = {"type": text(values, ("service", "type")), "ports": [port]}
    if on(values, "ingress", "enabled"):
        pod.ingress_hosts = [
            (go_value(get(h, ("host",))), ("ingress", "hosts", i, "host"))
            for i, h in enumerate(items(values, ("ingress", "hosts")))
        ]
    if on(values, "storage", "enabled"):
        pod.mounts.append(Mount("mlflow-storage", text(values, ("storage", "mountPath")), ("storage", "mountPath")))
        pod.pvcs.append(name)
    if on(values, "securityContext", "readOnlyRootFilesystem"):
        pod.mounts.append(Mount("tmp", "/tmp", ("securityContext", "readOnlyRootFilesystem")))
    if on(values, "tls", "enabled"):
        pod.mounts.append(Mount("tls", "/etc/tls/private", ("tls", "secretName")))
    pod.user_mounts(get(values, ("extraVolumeMounts",)), ("extraVolumeMounts",))
    pod.init_containers = [
        (go_value(get(c, ("name",), "")), []) for c in items(values, ("extraInitContainers",)) if isinstance(c, dict)
    ]
    return pod
