"""Rendered Kubernetes manifests as input: the `mlflow server` workload read straight into a Deployment.

A YAML stream (`helm template` output, kustomize output, hand-written files) that holds a
Deployment, StatefulSet or DaemonSet whose container runs `mlflow server` becomes the same
`Deployment` a chart adapter builds from values, so every MLflow rule, the secret audit and
the probes apply to any chart, even one without an adapter. The Secrets, ConfigMaps,
ServiceAccounts and Ingresses of the same stream fill in what the pod references.

Paths. Each object's paths start with a label `Kind/name`, e.g.
`Deployment/mlflow.spec.template.spec.containers[0].args[3]`, and point at the manifest's
own lines. Kubernetes semantics kept here: `$(VAR)` in command and args is expanded from the
container's environment (`env` and `envFrom`; an undefined reference stays literal, `$$`
escapes); envFrom sources apply in order, the last defining a key wins, and `env` beats them.
"""

from __future__ import annotations

import re

from mlflow_lint import server_cli as cli
from mlflow_lint.deployment import (
    Arg,
    BasicAuth,
    Deployment,
    EnvEntry,
    EnvSource,
    EnvValue,
    Generated,
    Image,
    Mount,
    SecretRef,
    ServiceAccount,
    env_secret_refs,
)
from mlflow_lint.document import LoadError, Position, load_all
from mlflow_lint.helm_types import render_scalar
from mlflow_lint.paths import Path, format_path
from mlflow_lint.records import NamedTuple

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any

    from mlflow_lint.auth_ini import IniSource

WORKLOADS = ("Deployment", "StatefulSet", "DaemonSet")
AUTH_INI_KEY = "basic_auth.ini"
_VAR = r"\$\$|\$\(([-._a-zA-Z][-._a-zA-Z0-9]*)\)"


class Stream(NamedTuple):
    """The objects of a manifests file: data keyed by `Kind/name` label, with positions."""

    file: str
    objects: dict[str, dict[str, Any]]
    positions: dict[Path, Position]


def looks_like_manifests(data: Any) -> bool:
    """A values file never has both `apiVersion` and `kind` at its top level; a manifest always does."""
    return isinstance(data, dict) and isinstance(data.get("apiVersion"), str) and isinstance(data.get("kind"), str)


def read_stream(file: str, text: str) -> Stream:
    """Every object of the stream (List kinds flattened) under its `Kind/name` label."""
    objects: dict[str, dict[str, Any]] = {}
    positions: dict[Path, Position] = {}
    try:
        documents = load_all(text)
    except LoadError:
        return Stream(file, {}, {})  # the values loader already reported the YAML problem
    for data, doc_positions in documents:
        items: list[tuple[Any, Path]] = [(data, ())]
        if isinstance(data, dict) and str(data.get("kind", "")).endswith("List"):
            items = [(item, ("items", n)) for n, item in enumerate(_list(data.get("items")))]
        for obj, base in items:
            if not isinstance(obj, dict) or not isinstance(obj.get("kind"), str):
                continue
            meta = obj.get("metadata")
            name = meta.get("name") if isinstance(meta, dict) else None
            label = f"{obj['kind']}/{name if isinstance(name, str) else len(objects)}"
            objects[label] = obj
            depth = len(base)
            for path, pos in doc_positions.items():
                if path[:depth] == base:
                    positions[(label, *path[depth:])] = pos
    return Stream(file, objects, positions)


def server_workload(stream: Stream) -> tuple[str, int] | None:
    """(label, container index) of the first workload container that runs `mlflow server`."""
    for label, obj in stream.objects.items():
        if obj.get("kind") not in WORKLOADS:
            continue
        for index, container in enumerate(_containers(obj, "containers")):
            if _server_start(container) is not None:
                return label, index
    return None


def _pod(obj: dict[str, Any]) -> dict[str, Any]:
    spec = obj.get("spec")
    template = spec.get("template") if isinstance(spec, dict) else None
    pod = template.get("spec") if isinstance(template, dict) else None
    return pod if isinstance(pod, dict) else {}


def _containers(obj: dict[str, Any], kind: str) -> list[dict[str, Any]]:
    items = _pod(obj).get(kind)
    return [c if isinstance(c, dict) else {} for c in items] if isinstance(items, list) else []


def _list(value: Any) -> list[Any]:
    return value if isinstance(value, list) else []


def _argv(container: dict[str, Any]) -> list[Any]:
    return [*_list(container.get("command")), *_list(container.get("args"))]


def _server_start(container: dict[str, Any]) -> int | None:
    """Index in command+args of the first option after `mlflow server`, or None."""
    argv = [str(item) for item in _argv(container)]
    for index, token in enumerate(argv[:-1]):
        if token.rsplit("/", 1)[-1] == "mlflow" and argv[index + 1] == "server":
            return index + 2
    if argv[:1] == ["server"] and "mlflow" in str(container.get("image", "")):
        return 1  # the image's entrypoint is `mlflow`
    return None


class _Builder:
    """Builds the Deployment of one workload container of a stream."""

    def __init__(self, stream: Stream, label: str, index: int) -> None:
        self.stream = stream
        self.label = label
        self.obj = stream.objects[label]
        self.pod = _pod(self.obj)
        self.base: Path = (label, "spec", "template", "spec")
        self.container = _containers(self.obj, "containers")[index]
        self.cpath: Path = (*self.base, "containers", index)

    # --- objects of the stream -----------------------------------------------------------------

    def find(self, kind: str, name: str) -> tuple[str, dict[str, Any]] | None:
        label = f"{kind}/{name}"
        obj = self.stream.objects.get(label)
        return (label, obj) if obj is not None else None

    def data_of(self, kind: str, name: str) -> dict[str, EnvValue] | None:
        """The keys of a Secret or ConfigMap in the stream (None when it is not in the stream)."""
        found = self.find(kind, name)
        if found is None:
            return None
        label, obj = found
        out: dict[str, EnvValue] = {}
        for field in ("data", "binaryData", "stringData") if kind == "Secret" else ("data",):
            block = obj.get(field)
            for key, value in (block if isinstance(block, dict) else {}).items():
                text = _decode(value) if kind == "Secret" and field != "stringData" else render_scalar(value)
                out[str(key)] = EnvValue(text, f"{kind} `{name}` key `{key}`", (label, field, str(key)))
        return out

    # --- the container -------------------------------------------------------------------------

    def env_entries(self) -> list[EnvEntry]:
        items = self.container.get("env")
        out = []
        for index, item in enumerate(items if isinstance(items, list) else []):
            if isinstance(item, dict) and isinstance(item.get("name"), str):
                value_from = (item["valueFrom"] or {}) if "valueFrom" in item else None
                out.append(EnvEntry(index, item["name"], item.get("value"), (*self.cpath, "env", index), value_from))
        return out

    def env_from(self, container: dict[str, Any], cpath: Path) -> list[EnvSource]:
        items = container.get("envFrom")
        out = []
        for index, item in enumerate(items if isinstance(items, list) else []):
            if not isinstance(item, dict):
                continue
            prefix = str(item["prefix"]) if isinstance(item.get("prefix"), str) else ""
            for ref_key, kind in (("secretRef", "Secret"), ("configMapRef", "ConfigMap")):
                ref = item.get(ref_key)
                if isinstance(ref, dict) and isinstance(ref.get("name"), str):
                    path: Path = (*cpath, "envFrom", index, ref_key, "name")
                    data = self.data_of(kind, ref["name"])
                    entries = None if data is None else {prefix + k: v for k, v in data.items()}
                    # A Secret not in the stream may set anything; one named like a database's
                    # is taken to hold the backend store URI, as charts deliver it (the seed
                    # chart's backendStore.existingSecret). One in the stream is known key by key.
                    maybe = (
                        ("MLFLOW_BACKEND_STORE_URI",)
                        if data is None and kind == "Secret" and not prefix and _names_a_database(ref["name"])
                        else ()
                    )
                    out.append(
                        EnvSource(
                            kind,
                            ref["name"],
                            format_path(path[1:]),
                            path,
                            entries,
                            user=data is None,
                            prefix=prefix,
                            generated=data is not None,
                            documented=maybe,
                        )
                    )
        return out

    def env(self, entries: list[EnvEntry]) -> dict[str, EnvValue]:
        out: dict[str, EnvValue] = {}
        for entry in entries:
            label = f"env[{entry.index}]"
            if entry.value_from is not None and entry.value is None:
                out[entry.name] = self._value_from(entry, label)
            else:
                out[entry.name] = EnvValue(
                    render_scalar(entry.value), label, entry.at("value") if entry.value is not None else entry.path
                )
        return out

    def _value_from(self, entry: EnvEntry, label: str) -> EnvValue:
        """A secretKeyRef / configMapKeyRef resolved from the stream when the object is in it."""
        source = entry.value_from if isinstance(entry.value_from, dict) else {}
        for ref_key, kind in (("secretKeyRef", "Secret"), ("configMapKeyRef", "ConfigMap")):
            ref = source.get(ref_key)
            if isinstance(ref, dict) and isinstance(ref.get("name"), str) and isinstance(ref.get("key"), str):
                data = self.data_of(kind, ref["name"]) or {}
                if ref["key"] in data:
                    return data[ref["key"]]
        return EnvValue(None, f"{label}.valueFrom", entry.at("valueFrom"))

    def args(self, environment: dict[str, EnvValue]) -> list[Arg]:
        """The options after `mlflow server`, `$(VAR)` expanded as the kubelet does."""
        raw = _argv(self.container)
        start = _server_start(self.container) or len(raw)
        command = _list(self.container.get("command"))

        def path_of(position: int) -> Path:
            if position < len(command):
                return (*self.cpath, "command", position)
            return (*self.cpath, "args", position - len(command))

        tokens = [_expand(render_scalar(item), environment) for item in raw[start:]]
        out = []
        for arg in cli.parse(tokens).args:
            option = cli.OPTIONS.get(arg.name)
            if arg.value_index is None and option is not None and option.takes_value:
                continue
            path = path_of(start + arg.index)
            value_path = path if arg.value_index is None else path_of(start + arg.value_index)
            out.append(Arg(arg.name, arg.value, format_path(path[1:]), value_path))
        return out

    def argv_errors(self) -> list[tuple[Path, str]]:
        """Command and args items that are not strings: Kubernetes rejects the Deployment."""
        out: list[tuple[Path, str]] = []
        for field in ("command", "args"):
            for index, item in enumerate(_list(self.container.get(field))):
                if not isinstance(item, str):
                    kind = (
                        "a mapping"
                        if isinstance(item, dict)
                        else "a list"
                        if isinstance(item, list)
                        else f"the {type(item).__name__} `{render_scalar(item)}`"
                    )
                    out.append(
                        (
                            (*self.cpath, field, index),
                            f"this {field} item is {kind}, not a string (a value "
                            "inserted unquoted, e.g. one ending in `:`): Kubernetes rejects the Deployment",
                        )
                    )
        return out

    def mounts(self) -> list[Mount]:
        items = self.container.get("volumeMounts")
        out = []
        for index, mount in enumerate(items if isinstance(items, list) else []):
            if isinstance(mount, dict) and isinstance(mount.get("mountPath"), str):
                out.append(
                    Mount(
                        mount["mountPath"],
                        str(mount.get("name", "")),
                        (*self.cpath, "volumeMounts", index),
                        mount.get("readOnly") is True,
                    )
                )
        return out

    def basic_auth(self, args: list[Arg], mounts: list[Mount]) -> BasicAuth:
        """On when the server gets `--app-name`; the INI is the Secret volume mounted with `basic_auth.ini`."""
        app = next((a for a in reversed(args) if a.option == "--app-name"), None)
        if app is None:
            return BasicAuth(False, (), "", (), None, {})
        volumes = self.pod.get("volumes")
        by_name = {
            v["name"]: (i, v)
            for i, v in enumerate(volumes if isinstance(volumes, list) else [])
            if isinstance(v, dict) and isinstance(v.get("name"), str)
        }
        for mount in mounts:
            index, volume = by_name.get(mount.name, (0, {}))
            secret = volume.get("secret") if isinstance(volume, dict) else None
            name = secret.get("secretName") if isinstance(secret, dict) else None
            if not isinstance(name, str):
                continue
            data = self.data_of("Secret", name)
            path: Path = (*self.base, "volumes", index, "secret", "secretName")
            if data is None:
                return BasicAuth(True, app.path, name, path, None, {})
            if AUTH_INI_KEY in data:
                ini = self.ini(data[AUTH_INI_KEY])
                values = {key: (ini.value(key), data[AUTH_INI_KEY].path) for key in ini.options}
                return BasicAuth(True, app.path, "", path, ini, values)
        return BasicAuth(True, app.path, "", (), None, {})

    def ini(self, entry: EnvValue) -> IniSource:
        from mlflow_lint.auth_ini import IniSource
        from mlflow_lint.finding import Location

        pos = self.stream.positions.get(entry.path)
        line = pos.line if pos is not None else 1
        file = self.stream.file
        # a block scalar's first line follows its key; a one-line value sits on the key's line
        return IniSource(
            entry.value or "",
            "secret",
            lambda row, column: Location(file, line + row, column),
            label=f"`{AUTH_INI_KEY}` of {entry.source.split(' key ')[0]}",
        )

    def image(self) -> Image:
        text = str(self.container.get("image", ""))
        reference = text.partition("@")[0]
        repository, tag = reference, ""
        if ":" in reference.rsplit("/", 1)[-1]:
            repository, tag = reference.rsplit(":", 1)
        registry = ""
        first = repository.split("/", 1)[0]
        if "/" in repository and ("." in first or ":" in first or first == "localhost"):
            registry, repository = first, repository.split("/", 1)[1]
        return Image(registry, repository, tag, text, (*self.cpath, "image"))

    def service_account(self) -> ServiceAccount:
        name = self.pod.get("serviceAccountName")
        name = name if isinstance(name, str) else "default"
        found = self.find("ServiceAccount", name)
        if found is None:
            return ServiceAccount(False, name, {}, (*self.base, "serviceAccountName"))
        label, obj = found
        meta = obj.get("metadata")
        notes = meta.get("annotations") if isinstance(meta, dict) else None
        return ServiceAccount(True, name, notes if isinstance(notes, dict) else {}, (label, "metadata", "annotations"))

    def ingress_hosts(self) -> list[tuple[str, Path]]:
        out: list[tuple[str, Path]] = []
        for label, obj in self.stream.objects.items():
            if obj.get("kind") != "Ingress":
                continue
            rules = obj.get("spec", {}).get("rules") if isinstance(obj.get("spec"), dict) else None
            for index, rule in enumerate(rules if isinstance(rules, list) else []):
                if isinstance(rule, dict) and isinstance(rule.get("host"), str):
                    out.append((rule["host"], (label, "spec", "rules", index, "host")))
        return out

    def probe_paths(self) -> list[tuple[str, Path]]:
        out = []
        for kind in ("livenessProbe", "readinessProbe", "startupProbe"):
            probe = self.container.get(kind)
            get = probe.get("httpGet") if isinstance(probe, dict) else None
            if isinstance(get, dict):
                out.append((str(get.get("path", "/")), (*self.cpath, kind, "httpGet", "path")))
        return out

    def db_upgrade(self) -> tuple[Path | None, list[EnvSource]]:
        for index, init in enumerate(_containers(self.obj, "initContainers")):
            argv = [str(item) for item in _argv(init)]
            if "db" in argv and "upgrade" in argv:
                path: Path = (*self.base, "initContainers", index)
                return path, self.env_from(init, path)
        return None, []

    def secret_refs(self, entries: list[EnvEntry]) -> list[SecretRef]:
        out = env_secret_refs(entries)
        items = self.container.get("envFrom")
        for index, item in enumerate(items if isinstance(items, list) else []):
            ref = item.get("secretRef") if isinstance(item, dict) else None
            if isinstance(ref, dict) and isinstance(ref.get("name"), str):
                prefix = item.get("prefix") if isinstance(item.get("prefix"), str) else ""
                out.append(
                    SecretRef(
                        (*self.cpath, "envFrom", index, "secretRef", "name"),
                        ref["name"],
                        (),
                        optional=ref.get("optional") is True,
                        prefix=prefix,
                        env_from=True,
                        user=True,
                    )
                )
        return out


def build(stream: Stream, label: str, index: int) -> Deployment:
    """The Deployment of container `index` of workload `label` in `stream`."""
    builder = _Builder(stream, label, index)
    dep = Deployment("manifests")
    dep.env_entries = builder.env_entries()
    dep.env = builder.env(dep.env_entries)
    dep.env_from = builder.env_from(builder.container, builder.cpath)
    environment: dict[str, EnvValue] = {}
    for source in dep.env_from:
        environment.update(source.entries or {})
    environment.update(dep.env)
    dep.args = dep.chart_args = builder.args(environment)
    dep.render_errors = builder.argv_errors()
    dep.mode = next((a for a in reversed(dep.args) if a.option in cli.MODE_OPTIONS), None)
    dep.mounts = builder.mounts()
    dep.image = builder.image()
    replicas = builder.obj.get("spec", {}).get("replicas", 1) if isinstance(builder.obj.get("spec"), dict) else 1
    dep.replicas = replicas if isinstance(replicas, int) and not isinstance(replicas, bool) else 1
    dep.service_account = builder.service_account()
    dep.ingress_hosts = builder.ingress_hosts()
    dep.ingress_enabled = bool(dep.ingress_hosts)
    dep.probe_paths = builder.probe_paths()
    pod_security = builder.pod.get("securityContext")
    box = builder.container.get("securityContext")
    dep.security = (pod_security if isinstance(pod_security, dict) else {}, box if isinstance(box, dict) else {})
    dep.basic_auth = builder.basic_auth(dep.args, dep.mounts)
    dep.generated = [Generated(s.kind, s.name, dict(s.entries or {})) for s in dep.env_from if s.generated]
    dep.secret_refs = builder.secret_refs(dep.env_entries)
    dep.db_upgrade, dep.init_env_from = builder.db_upgrade()
    for source in dep.env_from:
        found = (source.entries or {}).get("MLFLOW_BACKEND_STORE_URI")
        if found is not None and found.value:
            dep.written_backend.append((found.value, found.path, found.source))
    for arg in dep.args:
        if arg.option in ("--default-artifact-root", "--artifacts-destination") and arg.value:
            role = "root" if arg.option == "--default-artifact-root" else "destination"
            dep.written_artifacts.append((role, arg.value, arg.path))
    dep.roles = {
        "server": builder.cpath,
        "host": (*builder.cpath, "args"),
        "backend": builder.cpath,
        "replicas": (label, "spec", "replicas"),
        "artifacts": builder.cpath,
        "default_artifact_root": (*builder.cpath, "args"),
        "artifacts_destination": (*builder.cpath, "args"),
        "args": (*builder.cpath, "args"),
        "env": (*builder.cpath, "env"),
    }
    dep.role_names = {
        "default_artifact_root": "`--default-artifact-root` in the container's args",
        "artifacts_destination": "`--artifacts-destination` in the container's args",
        "args": "the container's args",
        "args_item": "args",
        "env": "the container's env",
        "env_from": "the container's envFrom",
        "mounts": "the container's volumeMounts",
        "volumes": "the pod's volumes",
        "backend_secret": "env MLFLOW_BACKEND_STORE_URI from a Secret",
    }
    return dep


def scalar_at(stream: Stream, path: Path) -> str:
    """The text of the scalar at `path` ("" when it is not a scalar); Secret `data` decoded."""
    node: Any = stream.objects
    for part in path:
        if not _holds(node, part):
            return ""
        node = node[part]
    if isinstance(node, dict | list) or node is None:
        return ""
    if len(path) >= 3 and str(path[0]).startswith("Secret/") and path[1] in ("data", "binaryData"):
        return _decode(node) or ""
    return render_scalar(node)


_DATABASE_WORDS = frozenset(
    {"backend", "db", "database", "postgres", "postgresql", "pg", "mysql", "mariadb", "mssql", "sql", "tracking"}
)


def _names_a_database(name: str) -> bool:
    """`mlflow-db`, `mlflow-backend-store`, `postgres-uri` ... (words split at `-`, `_`, `.`)."""
    return any(word in _DATABASE_WORDS for word in re.split(r"[-_.]", name.lower()))


def _holds(node: Any, part: str | int) -> bool:
    if isinstance(node, dict):
        return part in node
    return isinstance(node, list) and isinstance(part, int) and 0 <= part < len(node)


def _decode(value: Any) -> str | None:
    import base64
    import binascii

    if not isinstance(value, str):
        return None
    try:
        return base64.b64decode(value, validate=True).decode("utf-8")
    except (binascii.Error, UnicodeDecodeError):
        return None


def _expand(text: str, environment: dict[str, EnvValue]) -> str:
    """Kubernetes `$(VAR)` expansion: a defined variable is replaced, `$$` is `$`, others stay."""
    if "$" not in text:
        return text

    def one(match: re.Match[str]) -> str:
        if match[0] == "$$":
            return "$"
        found = environment.get(match[1])
        return found.value if found is not None and found.value is not None else match[0]

    return re.sub(_VAR, one, text)
