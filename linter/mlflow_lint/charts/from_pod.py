"""A chart's RenderedPod (chart_templates) as the chart-independent Deployment.

The published charts' adapters (community, bitnami, official) describe what their templates
render as a RenderedPod; this module turns that into the Deployment every rule reads:
- the command line: the items after `mlflow server`, with Kubernetes `$(VAR)` references
  expanded from the container's known environment (explicit env and the ConfigMaps/Secrets the
  chart generates from values; a reference to a Secret the linter cannot see stays as written),
  parsed the way click reads argv;
- env by name (last wins), the env items as written, envFrom sources in order (generated
  ones with their entries, the user's and the chart's existing Secrets with unknown entries);
- the Secrets the pod references and the keys it needs from them.
What differs per chart (roles, basic auth, providers, written URIs) the adapter adds.
"""

from __future__ import annotations

import re

from mlflow_lint import server_cli as cli
from mlflow_lint.deployment import (
    Arg,
    Deployment,
    EnvEntry,
    EnvSource,
    EnvValue,
    Generated,
    Image,
    Mount,
    SecretRef,
    ServiceAccount,
)
from mlflow_lint.paths import Path, format_path

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any

    from mlflow_lint.chart_templates.rendered import EnvItem, RenderedPod, Token

_REFERENCE = re.compile(r"\$\(([A-Za-z_][A-Za-z0-9_.-]*)\)")


def source_of(path: Path) -> str:
    return format_path(path) if path else "the chart's template"


def known_env(pod: RenderedPod) -> dict[str, str]:
    """What the kubelet can substitute for `$(VAR)`: envFrom in order, then `env` on top."""
    known: dict[str, str] = {}
    for item in pod.env_from:
        data = (pod.configmaps if item.kind == "configMapRef" else pod.secrets).get(item.name)
        for key, entry in (data or {}).items():
            if isinstance(entry.value, str):
                known[key] = entry.value
            else:
                known.pop(key, None)
    for env in pod.env:
        if env.value_from is None and isinstance(env.value, str):
            known[env.name] = expand(env.value, known)
        elif _generated_value(pod, env.value_from) is not None:
            known[env.name] = _generated_value(pod, env.value_from) or ""
        else:
            known.pop(env.name, None)
    return known


def _generated_value(pod: RenderedPod, value_from: Any) -> str | None:
    """The value of a `secretKeyRef` into a Secret the chart generates from values (None: unknown)."""
    ref = _secret_key_ref(value_from)
    entry = pod.secrets.get(ref[0], {}).get(ref[1]) if ref is not None else None
    return entry.value if entry is not None and isinstance(entry.value, str) else None


def expand(text: str, known: dict[str, str]) -> str:
    """Kubernetes' `$(VAR)` expansion; an unknown reference stays as written (as the kubelet
    leaves a reference to a variable that does not exist)."""
    return _REFERENCE.sub(lambda m: known.get(m[1], m[0]), text)


def server_tokens(pod: RenderedPod) -> list[Token]:
    """The items after `server` (the chart's `mlflow server`)."""
    texts = [t.text for t in pod.argv]
    start = texts.index("server") + 1 if "server" in texts else len(texts)
    return pod.argv[start:]


def args(pod: RenderedPod, known: dict[str, str]) -> list[Arg]:
    tokens = server_tokens(pod)
    items = [expand(t.text, known) for t in tokens]
    out = []
    for arg in cli.parse(items).args:
        option = cli.OPTIONS.get(arg.name)
        if arg.value_index is None and option is not None and option.takes_value:
            continue  # click stops for want of a value; the argument rules report it
        token = tokens[arg.index]
        value_token = tokens[arg.value_index] if arg.value_index is not None else token
        out.append(Arg(arg.name, arg.value, source_of(token.path), value_token.path, token.user))
    return out


def env_entries(pod: RenderedPod) -> list[EnvEntry]:
    return [EnvEntry(index, item.name, item.value, item.path, item.value_from) for index, item in enumerate(pod.env)]


def env_by_name(pod: RenderedPod, known: dict[str, str]) -> dict[str, EnvValue]:
    out: dict[str, EnvValue] = {}
    for item in pod.env:
        out[item.name] = _env_value(item, known)
    return out


def _env_value(item: EnvItem, known: dict[str, str]) -> EnvValue:
    label = source_of(item.path) if item.user else f"the chart's env ({source_of(item.path)})"
    if item.value_from is not None:
        ref = _secret_key_ref(item.value_from)
        where = f"Secret `{ref[0]}` key `{ref[1]}`" if ref else "valueFrom"
        return EnvValue(None, f"{where} ({source_of(item.path)})", item.path)
    from mlflow_lint.helm_types import render_scalar

    value = item.value if isinstance(item.value, str) else render_scalar(item.value)
    return EnvValue(expand(value, known) if isinstance(value, str) else value, label, item.path)


def _secret_key_ref(value_from: Any) -> tuple[str, str] | None:
    ref = value_from.get("secretKeyRef") if isinstance(value_from, dict) else None
    if isinstance(ref, dict) and isinstance(ref.get("name"), str) and isinstance(ref.get("key"), str):
        return ref["name"], ref["key"]
    return None


def env_sources(pod: RenderedPod, documented: dict[str, tuple[str, ...]]) -> list[EnvSource]:
    """envFrom in order; a generated object carries its entries (a value the chart generates at
    random, or takes from a Secret not given, is None); the rest are unknown."""
    out = []
    for item in pod.env_from:
        kind = "ConfigMap" if item.kind == "configMapRef" else "Secret"
        data = (pod.configmaps if kind == "ConfigMap" else pod.secrets).get(item.name)
        if data is not None and not item.user:
            entries = {
                key: EnvValue(
                    entry.value if isinstance(entry.value, str) else None,
                    f"{kind} `{item.name}` generated from {source_of(entry.path)}",
                    entry.path,
                )
                for key, entry in data.items()
            }
            out.append(EnvSource(kind, item.name, "generated from values", (), entries))
        else:
            out.append(
                EnvSource(
                    kind,
                    item.name,
                    source_of(item.path),
                    item.path or ("<chart>",),
                    None,
                    user=item.user,
                    documented=documented.get(item.name, ()),
                )
            )
    return out


def generated(pod: RenderedPod) -> list[Generated]:
    out = []
    for kind, objects in (("ConfigMap", pod.configmaps), ("Secret", pod.secrets)):
        for name, data in objects.items():
            out.append(
                Generated(
                    kind,
                    name,
                    {
                        key: EnvValue(
                            entry.value if isinstance(entry.value, str) else None, f"{kind} `{name}`", entry.path
                        )
                        for key, entry in data.items()
                    },
                )
            )
    return out


def secret_refs(pod: RenderedPod, why: dict[str, str]) -> list[SecretRef]:
    """The Secrets the pod reads that the chart does not generate: one per `secretKeyRef` (with
    the variable it sets), then one per envFrom Secret."""
    out = []
    for item in pod.env:
        ref = _secret_key_ref(item.value_from)
        if ref is None or ref[0] in pod.secrets:
            continue
        body = item.value_from.get("secretKeyRef") if isinstance(item.value_from, dict) else None
        optional = isinstance(body, dict) and body.get("optional") is True
        out.append(
            SecretRef(
                item.path,
                ref[0],
                (ref[1],),
                optional=optional,
                why=why.get(ref[0], f"env var `{item.name}` reads it"),
                user=item.user,
                env_name=item.name,
            )
        )
    for source in pod.env_from:
        if source.kind == "secretRef" and source.name not in pod.secrets:
            out.append(SecretRef(source.path, source.name, (), why="envFrom", env_from=True, user=source.user))
    return out


def image(reference: str, path: Path) -> Image:
    """Split `registry/repository:tag[@digest]`; the first part is a registry if it has a dot
    or a colon, or is `localhost` (the kubelet's rule)."""
    name, _, digest = reference.partition("@")
    slash = name.rfind("/")
    colon = name.rfind(":")
    repository, tag = (name[:colon], name[colon + 1 :]) if colon > slash else (name, "")
    first, _, rest = repository.partition("/")
    registry = first if rest and ("." in first or ":" in first or first == "localhost") else ""
    if registry:
        repository = rest
    return Image(registry, repository, tag or digest, reference, path)


def build(
    pod: RenderedPod,
    adapter: str,
    app_version: str,
    *,
    documented: dict[str, tuple[str, ...]] | None = None,
    why: dict[str, str] | None = None,
) -> Deployment:
    """The generic part of an adapter's `build()`: everything the RenderedPod says."""
    dep = Deployment(adapter)
    dep.app_version = app_version
    known = known_env(pod)
    dep.args = args(pod, known)
    dep.chart_args = [a for a in dep.args if not a.from_user_args]
    modes = [a for a in dep.chart_args if a.option in cli.MODE_OPTIONS]
    dep.mode = modes[-1] if modes else None
    dep.user_arg_items = [expand(t.text, known) for t in server_tokens(pod) if t.user]
    dep.env_entries = env_entries(pod)
    dep.env = env_by_name(pod, known)
    dep.env_from = env_sources(pod, documented or {})
    dep.generated = generated(pod)
    dep.secret_refs = secret_refs(pod, why or {})
    dep.mounts = [Mount(m.mount_path, m.name, m.path) for m in pod.mounts]
    dep.image = image(pod.image, pod.image_path)
    dep.replicas = pod.replicas if isinstance(pod.replicas, int) and not isinstance(pod.replicas, bool) else 1
    dep.ingress_hosts = list(pod.ingress_hosts)
    dep.ingress_enabled = bool(pod.ingress_hosts)
    return dep


def service_account(create: Any, name: str, annotations: Any, path: Path) -> ServiceAccount:
    return ServiceAccount(create is not False, name, annotations if isinstance(annotations, dict) else {}, path)


def resolve_with_secrets(dep: Deployment, index: Any) -> None:
    """After the Secrets given with `--secrets` are filled in: expand the `$(VAR)` references on
    the command line whose variable reads one of them (bitnami's `$(MLFLOW_DATABASE_PASSWORD)`,
    community's `$(MYSQL_PWD)`), as the kubelet does. A reference still unknown stays as written."""
    known = _known_with_secrets(dep, index)
    replaced = {}
    for arg in dep.args:
        if arg.value is not None and "$(" in arg.value and expand(arg.value, known) != arg.value:
            replaced[id(arg)] = arg._replace(value=expand(arg.value, known))
    if replaced:
        dep.args = [replaced.get(id(a), a) for a in dep.args]
        dep.chart_args = [replaced.get(id(a), a) for a in dep.chart_args]
        dep.mode = replaced.get(id(dep.mode), dep.mode) if dep.mode is not None else None


def _known_with_secrets(dep: Deployment, index: Any) -> dict[str, str]:
    """The container's variables whose values are known once the given Secrets are read."""
    known = {
        key: entry.value
        for source in dep.env_from
        for key, entry in (source.entries or {}).items()
        if entry.value is not None
    }
    for item in dep.env_entries:
        ref = _secret_key_ref(item.value_from)
        found = index.find(ref[0]) if ref is not None else None
        value = found.data.get(ref[1]) if found is not None and ref is not None else None
        if isinstance(value, str):
            known[item.name] = value
        elif isinstance(item.value, str) and item.value_from is None:
            known[item.name] = expand(item.value, known)
    return known
