"""The seed chart (revisions v1 and v2): its values rendered into a `Deployment`.

Facts: mlflow-chart-facts.md section 3 (command line 3.2, environment 3.3, generated objects
3.4, existingSecret contracts 3.5). What MLflow then makes of the Deployment (backend URI,
artifact root, serve mode) is not here but in `server_settings`.

Command line. v2: `--<mode>`, `--default-artifact-root=` / `--artifacts-destination=` (when
set), `--host=`, `--port=`, `--workers=`, `--app-name=mlflow.server:app` (basic auth), then
every `trackingServer.extraArgs` item. v1: host/port/workers, a mode flag chosen from
`trackingServer.enabled` x `artifactStore.enabled`, the app name, then extraArgs.

envFrom, v2: backendStore.existingSecret, `<fullname>-env-configmap`, `<fullname>-env-secret`,
each extraEnvFrom item, then the existingSecret of s3, gcp, azure and oss (each only when that
provider is enabled). v1 has the same shape, but its generated keys differ
(`BACKEND_STORE_URI`, empty `AWS_*` keys, `MLFLOW_OSS_ENDPOINT`, `MLFLOW_DEFAULT_ARTIFACT_ROOT`...)
and the generated artifact keys are rendered only when `artifactStore.enabled`.
"""

from __future__ import annotations

from collections.abc import Callable

from mlflow_lint import server_cli as cli
from mlflow_lint.charts.base import Adapter, Detection, markers_found
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
    Provider,
    SecretRef,
    ServiceAccount,
    env_secret_refs,
)
from mlflow_lint.helm_types import render_scalar
from mlflow_lint.paths import Path, format_path

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any

    from mlflow_lint.charts import Chart
    from mlflow_lint.release import Values

ENV_SECRET = "<fullname>-env-secret"
ENV_CONFIGMAP = "<fullname>-env-configmap"
BASIC_AUTH_SECRET = "<fullname>-basic-auth-secret"
PROVIDERS = ("s3", "gcp", "azure", "oss")
EXTRA_ARGS: Path = ("trackingServer", "extraArgs")
BASIC_AUTH: Path = ("trackingServer", "basicAuth")
CREATE_URI: Path = ("backendStore", "createSecret", "backendStoreUri")
EXISTING: Path = ("backendStore", "existingSecret")
BACKEND_KEY = "MLFLOW_BACKEND_STORE_URI"

# (provider, createSecret key, env name, emitted-when-empty in v1)
CREDENTIALS = (
    ("s3", "accessKeyId", "AWS_ACCESS_KEY_ID", True),
    ("s3", "secretAccessKey", "AWS_SECRET_ACCESS_KEY", True),
    ("gcp", "keyFile", "keyfile.json", True),
    ("azure", "azureStorageConnectionString", "AZURE_STORAGE_CONNECTION_STRING", False),
    ("azure", "azureStorageAccessKey", "AZURE_STORAGE_ACCESS_KEY", False),
    ("oss", "accessKeyId", "MLFLOW_OSS_KEY_ID", False),
    ("oss", "accessKeySecret", "MLFLOW_OSS_KEY_SECRET", False),
)
# ini option -> createSecret key, in the order the chart writes them (facts file 3.4)
RENDERED_INI = {
    "default_permission": "defaultPermission",
    "database_uri": "databaseUri",
    "admin_username": "adminUsername",
    "admin_password": "adminPassword",
    "authorization_function": "authorizationFunction",
}


def rendered_plain(text: str) -> tuple[str, str]:
    """What YAML reads from `- --option=<text>` written unquoted in a template, and what went wrong.

    A ` #` starts a comment, so the rest is cut; a `: ` or a trailing `:` makes the item a
    mapping, which Kubernetes rejects as an argument (the release does not install).
    """
    problem = ""
    for mark in (" #", "\t#"):
        if mark in text:
            text = text[: text.index(mark)].rstrip()
            problem = "reads the rest after ` #` as a comment: the server gets only the part before it"
    if ": " in text or text.endswith(":") or ":\t" in text:
        problem = "reads the item as a mapping, not a string: Kubernetes rejects the Deployment"
    return text, problem


def _nulled(values: Values, path: Path) -> bool:
    """The user's layers leave `path` null (which deletes the chart's default)."""
    state = False
    for layer in values.layers:
        node: Any = layer.data
        for part in path[:-1]:
            node = node.get(part) if isinstance(node, dict) else None
        if isinstance(node, dict) and path[-1] in node:
            state = node[path[-1]] is None
    return state


def truthy(value: Any) -> bool:
    """Go template truth (`{{ if .x }}`): false, 0, "", nil and empty collections are false."""
    return value not in (None, False, 0, "") and value != [] and value != {}


class SeedRelease:
    """The values of one seed release and the revision's rendering rules."""

    def __init__(self, values: Values, chart: Chart) -> None:
        self.values = values
        self.chart = chart
        self.v1 = chart.name == "seed-v1"

    def text(self, path: Path) -> str:
        return self.values.text(path)

    def get(self, path: Path, default: Any = None) -> Any:
        return self.values.get(path, default)

    # --- switches ------------------------------------------------------------------------------

    # The templates test switches with `{{ if }}`: a string "true" is on, and a user `null`
    # deletes the chart's default, which leaves the switch off (truthy of nothing).

    def v1_artifacts_enabled(self) -> bool:
        return truthy(self.get(("artifactStore", "enabled")))

    def provider_switch(self, provider: str) -> bool:
        """`artifactStore.<provider>.enabled` as the templates read it."""
        return truthy(self.get(("artifactStore", provider, "enabled")))

    def provider_enabled(self, provider: str) -> bool:
        """Whether the chart renders `provider`'s generated credentials (v1 also needs artifactStore.enabled)."""
        if self.v1 and not self.v1_artifacts_enabled():
            return False
        return self.provider_switch(provider)

    def basic_auth_enabled(self) -> bool:
        return self.get((*BASIC_AUTH, "enabled")) is True

    # --- command line --------------------------------------------------------------------------

    def mode(self) -> Arg | None:
        """The mode flag the chart renders; v1 renders none when tracking and artifacts are both off."""
        if not self.v1:
            mode = self.text(("trackingServer", "mode")) or "no-serve-artifacts"
            return Arg(f"--{rendered_plain(mode)[0]}", None, "trackingServer.mode", ("trackingServer", "mode"))
        tracking = truthy(self.get(("trackingServer", "enabled")))
        artifacts = self.v1_artifacts_enabled()
        flag = {
            (True, True): "--serve-artifacts",
            (True, False): "--no-serve-artifacts",
            (False, True): "--artifacts-only",
        }.get((tracking, artifacts))
        if not flag:
            return None
        path = ("artifactStore", "enabled") if flag != "--artifacts-only" else ("trackingServer", "enabled")
        return Arg(flag, None, format_path(path), path)

    def chart_args(self) -> list[Arg]:
        if self.v1:
            out = self._common_args()
            mode = self.mode()
            if mode:
                out.insert(3, mode)
            return out
        mode = self.mode()
        out = [mode] if mode else []
        for key, option in (
            ("defaultArtifactRoot", "--default-artifact-root"),
            ("artifactsDestination", "--artifacts-destination"),
        ):
            if self.text(("trackingServer", key)):
                out.append(
                    Arg(
                        option,
                        rendered_plain(self.text(("trackingServer", key)))[0],
                        f"trackingServer.{key}",
                        ("trackingServer", key),
                    )
                )
        return out + self._common_args()

    def _common_args(self) -> list[Arg]:
        out = []
        for key in ("host", "port", "workers"):
            value = self.get(("trackingServer", key))
            out.append(
                Arg(
                    f"--{key}",
                    "" if value is None else rendered_plain(str(value))[0],
                    f"trackingServer.{key}",
                    ("trackingServer", key),
                )
            )
        if self.basic_auth_enabled():
            path = (*BASIC_AUTH, "enabled")
            out.append(Arg("--app-name", "mlflow.server:app", format_path(path), path))
        return out

    def extra_args(self) -> list[Arg]:
        """The options in `trackingServer.extraArgs`, parsed like click parses argv."""
        items = self.get(EXTRA_ARGS, [])
        if not isinstance(items, list):
            return []
        out: list[Arg] = []
        for arg in cli.parse(cli.as_argv(items)).args:
            option = cli.OPTIONS.get(arg.name)
            if arg.value_index is None and option is not None and option.takes_value:
                continue  # the last item, without its value: click stops (MLF626)
            if arg.value_index not in (None, arg.index) and not isinstance(items[arg.value_index], str):
                continue  # a non-string value item (MLF002)
            path = (*EXTRA_ARGS, arg.index)
            value_path = path if arg.value_index is None else (*EXTRA_ARGS, arg.value_index)
            out.append(Arg(arg.name, arg.value, format_path(path), value_path, True))
        return out

    # --- environment ---------------------------------------------------------------------------

    def env_entries(self) -> list[EnvEntry]:
        items = self.get(("extraEnv",), [])
        out = []
        for index, item in enumerate(items if isinstance(items, list) else []):
            if isinstance(item, dict) and isinstance(item.get("name"), str):
                value_from = (
                    (item["valueFrom"] if item["valueFrom"] is not None else {}) if "valueFrom" in item else None
                )
                out.append(EnvEntry(index, item["name"], item.get("value"), ("extraEnv", index), value_from))
        return out

    def env_sources(self) -> list[EnvSource]:
        out: list[EnvSource] = []
        backend = self.text(EXISTING)
        if backend:
            key = "BACKEND_STORE_URI" if self.v1 else BACKEND_KEY
            out.append(EnvSource("Secret", backend, format_path(EXISTING), EXISTING, None, documented=(key,)))
        out.append(EnvSource("ConfigMap", ENV_CONFIGMAP, "generated from values", (), self._configmap_entries()))
        out.append(EnvSource("Secret", ENV_SECRET, "generated from values", (), self._secret_entries()))
        out.extend(self._extra_env_from())
        for provider in PROVIDERS:  # v1 too renders these whatever artifactStore.enabled says
            path: Path = ("artifactStore", provider, "existingSecret")
            name = self.text(path)
            if name and self.provider_switch(provider):
                keys = tuple(env for p, _, env, _ in CREDENTIALS if p == provider)
                out.append(EnvSource("Secret", name, format_path(path), path, None, documented=keys))
        return out

    def _extra_env_from(self) -> list[EnvSource]:
        items = self.get(("extraEnvFrom",), [])
        out = []
        for index, item in enumerate(items if isinstance(items, list) else []):
            if not isinstance(item, dict):
                continue
            prefix = str(item["prefix"]) if isinstance(item.get("prefix"), str) else ""
            for ref_key, kind in (("secretRef", "Secret"), ("configMapRef", "ConfigMap")):
                ref = item.get(ref_key)
                if isinstance(ref, dict) and isinstance(ref.get("name"), str):
                    path: Path = ("extraEnvFrom", index, ref_key, "name")
                    out.append(EnvSource(kind, ref["name"], format_path(path), path, None, user=True, prefix=prefix))
        return out

    def _value(self, path: Path, name: str, target: str) -> tuple[str, EnvValue]:
        return name, EnvValue(self.text(path), f"{format_path(path)} (via {target})", path)

    def _secret_entries(self) -> dict[str, EnvValue]:
        out = []
        if self.v1:
            if not self.text(EXISTING) and self.text(CREATE_URI):
                out.append(self._value(CREATE_URI, "BACKEND_STORE_URI", ENV_SECRET))
            if self.v1_artifacts_enabled():
                out.extend(self._credential_keys())
                out.extend(self._ca_bundle())
            return dict(out)
        mode = self.text(("trackingServer", "mode")) or "no-serve-artifacts"
        if mode != "artifacts-only" and not self.text(EXISTING) and self.text(CREATE_URI):
            out.append(self._value(CREATE_URI, BACKEND_KEY, ENV_SECRET))
        out.extend(self._credential_keys())
        out.extend(self._ca_bundle())
        return dict(out)

    def _credential_keys(self) -> list[tuple[str, EnvValue]]:
        out = []
        for provider, key, env_name, v1_even_empty in CREDENTIALS:
            if not self.provider_enabled(provider) or self.text(("artifactStore", provider, "existingSecret")):
                continue
            path: Path = ("artifactStore", provider, "createSecret", key)
            if self.text(path) or (self.v1 and v1_even_empty):
                out.append(self._value(path, env_name, ENV_SECRET))
        return out

    def _ca_bundle(self) -> list[tuple[str, EnvValue]]:
        path: Path = ("artifactStore", "s3", "createCaSecret", "caBundle")
        if not self.provider_enabled("s3") or self.text(("artifactStore", "s3", "existingCaSecret")):
            return []
        if self.text(path) or self.v1:
            return [self._value(path, "AWS_CA_BUNDLE", ENV_SECRET)]
        return []

    def _configmap_entries(self) -> dict[str, EnvValue]:
        if not self.v1:
            if self.provider_enabled("oss"):
                return dict(
                    [self._value(("artifactStore", "oss", "endpoint"), "MLFLOW_OSS_ENDPOINT_URL", ENV_CONFIGMAP)]
                )
            return {}
        if not self.v1_artifacts_enabled():
            return {}
        out = []
        for key, env_name in (
            ("defaultArtifactRoot", "MLFLOW_DEFAULT_ARTIFACT_ROOT"),
            ("artifactsDestination", "MLFLOW_ARTIFACTS_DESTINATION"),
        ):
            if self.text(("artifactStore", key)):
                out.append(self._value(("artifactStore", key), env_name, ENV_CONFIGMAP))
        if self.provider_enabled("oss") and self.text(("artifactStore", "oss", "endpoint")):  # `with`: only when set
            out.append(self._value(("artifactStore", "oss", "endpoint"), "MLFLOW_OSS_ENDPOINT", ENV_CONFIGMAP))
        return dict(out)

    # --- everything else -----------------------------------------------------------------------

    def providers(self) -> list[Provider]:
        out = []
        for provider in PROVIDERS:
            base: Path = ("artifactStore", provider)
            created = {
                key: (self.get((*base, "createSecret", key)), (*base, "createSecret", key))
                for p, key, _, _ in CREDENTIALS
                if p == provider
            }
            extra = {}
            for key in ("endpoint", "existingCaSecret"):
                if (*base, key) in _KNOWN_EXTRA:
                    extra[key] = (self.get((*base, key)), (*base, key))
            if provider == "s3":
                extra["caBundle"] = (
                    self.get((*base, "createCaSecret", "caBundle")),
                    (*base, "createCaSecret", "caBundle"),
                )
            out.append(
                Provider(
                    provider,
                    self.provider_switch(provider),
                    self.provider_enabled(provider),
                    base,
                    (*base, "enabled"),
                    self.text((*base, "existingSecret")),
                    (*base, "existingSecret"),
                    created,
                    extra,
                )
            )
        return out

    def secret_refs(self) -> list[SecretRef]:
        """Every Secret the rendered pod references, with its required keys (facts 3.5)."""
        out = []
        backend = self.text(EXISTING)
        artifacts_only = not self.v1 and self.text(("trackingServer", "mode")) == "artifacts-only"
        if backend:
            out.append(
                SecretRef(
                    EXISTING,
                    backend,
                    () if artifacts_only else (BACKEND_KEY,),
                    why="MLflow reads the backend store URI only from this variable",
                    env_from=True,
                )
            )
        for provider in PROVIDERS:
            path: Path = ("artifactStore", provider, "existingSecret")
            name = self.text(path)
            if name and self.provider_switch(provider):
                keys = tuple(env for p, _, env, _ in CREDENTIALS if p == provider)
                out.append(
                    SecretRef(
                        path,
                        name,
                        keys,
                        any_of=provider == "azure",
                        why=f"the {provider} artifact store needs it",
                        env_from=True,
                    )
                )
        ca = self.text(("artifactStore", "s3", "existingCaSecret"))
        if ca and self.provider_enabled("s3"):
            out.append(
                SecretRef(
                    ("artifactStore", "s3", "existingCaSecret"),
                    ca,
                    ("ca-bundle.crt",),
                    why="the chart documents this key (it never mounts the Secret, see MLF2xx)",
                )
            )
        auth = self.text((*BASIC_AUTH, "existingSecret"))
        if auth and self.basic_auth_enabled():
            out.append(
                SecretRef(
                    (*BASIC_AUTH, "existingSecret"),
                    auth,
                    ("basic_auth.ini",),
                    why="the chart mounts it as /etc/mlflow/basic_auth.ini",
                )
            )
        return out

    def basic_auth(self) -> BasicAuth:
        enabled = self.basic_auth_enabled()
        existing = self.text((*BASIC_AUTH, "existingSecret"))
        create = (*BASIC_AUTH, "createSecret")
        rendered = {option: (self.get((*create, key)), (*create, key)) for option, key in RENDERED_INI.items()}
        ini = None
        if enabled and not existing:
            from mlflow_lint.auth_ini import rendered_ini

            ini = rendered_ini(rendered, self.values.locate(BASIC_AUTH))
        return BasicAuth(enabled, (*BASIC_AUTH, "enabled"), existing, (*BASIC_AUTH, "existingSecret"), ini, rendered)

    def image(self) -> Image:
        registry = self.text(("image", "registry"))
        repository = self.text(("image", "repository"))
        tag = self.text(("image", "tag"))
        reference = f"{registry or 'docker.io'}/{repository}:{tag or 'v' + self.chart.app_version}"
        return Image(registry, repository, tag, reference, ("image", "tag"))

    def mounts(self) -> list[Mount]:
        items = self.get(("extraVolumeMounts",), [])
        out = []
        for index, mount in enumerate(items if isinstance(items, list) else []):
            where = mount.get("mountPath") if isinstance(mount, dict) else None
            if isinstance(where, str):
                out.append(
                    Mount(
                        where, str(mount.get("name", "")), ("extraVolumeMounts", index), mount.get("readOnly") is True
                    )
                )
        return out

    def ingress_hosts(self) -> list[tuple[str, Path]]:
        hosts = self.get(("ingress", "hosts"), [])
        out: list[tuple[str, Path]] = []
        for index, item in enumerate(hosts if isinstance(hosts, list) else []):
            if isinstance(item, dict) and isinstance(item.get("host"), str):
                out.append((item["host"], ("ingress", "hosts", index, "host")))
        return out

    def written_backend(self) -> list[tuple[str, Path, str]]:
        """Every literal backend URI in the values: (uri, path, where), effective or not."""
        out: list[tuple[str, Path, str]] = []
        if self.text(CREATE_URI):
            out.append((self.text(CREATE_URI), CREATE_URI, format_path(CREATE_URI)))
        return out

    def written_artifacts(self) -> list[tuple[str, str, Path]]:
        out: list[tuple[str, str, Path]] = []
        for role, key in (("root", "defaultArtifactRoot"), ("destination", "artifactsDestination")):
            path: Path = ("artifactStore", key) if self.v1 else ("trackingServer", key)
            if self.text(path):
                out.append((role, self.text(path), path))
        return out

    def render_errors(self) -> list[tuple[Path, str]]:
        """Values the templates cannot render as the user meant (see `rendered_plain`)."""
        out: list[tuple[Path, str]] = []
        if not self.v1 and _nulled(self.values, ("trackingServer", "mode")):
            out.append(
                (
                    ("trackingServer", "mode"),
                    "`trackingServer.mode: null` deletes the chart's mode; the "
                    "template needs one and Helm fails to render the release",
                )
            )
        keys = ("host", "port", "workers") + (() if self.v1 else ("defaultArtifactRoot", "artifactsDestination"))
        if not self.v1:
            keys = ("mode", *keys)
        for key in keys:
            value = self.get(("trackingServer", key))
            if value is None or isinstance(value, bool):
                continue
            problem = rendered_plain(str(value))[1]
            if problem:
                option = (
                    "--" + key
                    if key in ("host", "port", "workers", "mode")
                    else ("--default-artifact-root" if key == "defaultArtifactRoot" else "--artifacts-destination")
                )
                out.append(
                    (
                        ("trackingServer", key),
                        f"the chart inserts this value unquoted into the argument `{option}=...`, and YAML {problem}",
                    )
                )
        return out

    def roles(self) -> dict[str, Path]:
        artifacts: Path = ("artifactStore",) if self.v1 else ("trackingServer",)
        return {
            "args": EXTRA_ARGS,
            "env": ("extraEnv",),
            "env_from": ("extraEnvFrom",),
            "server": ("trackingServer",),
            "host": ("trackingServer", "host"),
            "mode": ("trackingServer", "enabled") if self.v1 else ("trackingServer", "mode"),
            "backend": ("backendStore",),
            "backend_uri": CREATE_URI,
            "backend_secret": EXISTING,
            "artifacts": ("artifactStore",),
            "default_artifact_root": (*artifacts, "defaultArtifactRoot"),
            "artifacts_destination": (*artifacts, "artifactsDestination"),
            "replicas": ("replicaCount",),
            "auth": (*BASIC_AUTH, "enabled"),
            "auth_block": BASIC_AUTH,
            "auth_secret": (*BASIC_AUTH, "existingSecret"),
            "auth_values": (*BASIC_AUTH, "createSecret"),
            "service_account": ("serviceAccount", "annotations"),
            "mounts": ("extraVolumeMounts",),
            "volumes": ("extraVolumes",),
            "image": ("image",),
            "ingress": ("ingress", "enabled"),
            "pod_security": ("podSecurityContext",),
            "container_security": ("securityContext",),
            "db_upgrade": ("backendStore", "databaseUpgrade"),
        }


_SHADOW: tuple[tuple[Path, Path], ...] = (  # existingSecret wins over the createSecret block
    (("backendStore", "existingSecret"), ("backendStore", "createSecret")),
    (("artifactStore", "s3", "existingSecret"), ("artifactStore", "s3", "createSecret")),
    (("artifactStore", "gcp", "existingSecret"), ("artifactStore", "gcp", "createSecret")),
    (("artifactStore", "azure", "existingSecret"), ("artifactStore", "azure", "createSecret")),
    (("artifactStore", "oss", "existingSecret"), ("artifactStore", "oss", "createSecret")),
    (("trackingServer", "basicAuth", "existingSecret"), ("trackingServer", "basicAuth", "createSecret")),
)


def shadowed(values: Values) -> list[tuple[Path, Path]]:
    """(existingSecret path, createSecret.<key> path) for every createSecret value the chart ignores."""
    out = []
    for existing, created in _SHADOW:
        block = values.get(created, {})
        if not values.text(existing) or not isinstance(block, dict):
            continue
        for key, value in block.items():
            if value not in ("", None):
                out.append((existing, (*created, key)))
    return out


_KNOWN_EXTRA = {("artifactStore", "oss", "endpoint"), ("artifactStore", "s3", "existingCaSecret")}


def build(values: Values, chart: Chart) -> Deployment:
    """The seed release `values` (merged with the revision's defaults) as a Deployment."""
    release = SeedRelease(values, chart)
    dep = Deployment(chart.name)
    dep.app_version = chart.app_version
    dep.mode = release.mode()
    dep.chart_args = release.chart_args()
    dep.args = dep.chart_args + release.extra_args()
    items = values.get(EXTRA_ARGS, [])
    dep.user_arg_items = items if isinstance(items, list) else []
    dep.env_entries = release.env_entries()
    dep.env = _env_by_name(dep.env_entries)
    dep.env_from = release.env_sources()
    dep.mounts = release.mounts()
    dep.image = release.image()
    count = values.get(("replicaCount",), 1)
    dep.replicas = count if isinstance(count, int) and not isinstance(count, bool) else 1
    notes = values.get(("serviceAccount", "annotations"), {})
    dep.service_account = ServiceAccount(
        values.get(("serviceAccount", "create")) is not False,
        values.text(("serviceAccount", "name")),
        notes if isinstance(notes, dict) else {},
        ("serviceAccount", "annotations"),
    )
    dep.ingress_enabled = values.get(("ingress", "enabled")) is True
    dep.ingress_hosts = release.ingress_hosts()
    dep.probe_paths = [("/", ("livenessProbe",)), ("/", ("readinessProbe",))]
    pod, box = values.get(("podSecurityContext",), {}), values.get(("securityContext",), {})
    dep.security = (pod if isinstance(pod, dict) else {}, box if isinstance(box, dict) else {})
    dep.basic_auth = release.basic_auth()
    dep.generated = [Generated(s.kind, s.name, dict(s.entries or {})) for s in dep.env_from if s.generated]
    if dep.basic_auth.ini is not None:
        ini = EnvValue(dep.basic_auth.ini.text, "generated basic_auth.ini", BASIC_AUTH)
        dep.generated.append(Generated("Secret", BASIC_AUTH_SECRET, {"basic_auth.ini": ini}))
    dep.secret_refs = release.secret_refs() + _user_refs(dep, values)
    dep.providers = release.providers()
    if not release.v1 and values.get(("backendStore", "databaseUpgrade")) is True:
        dep.db_upgrade = ("backendStore", "databaseUpgrade")
        # its envFrom: backendStore.existingSecret and the two generated objects (facts 3.3)
        dep.init_env_from = [s for s in dep.env_from if not s.user and (s.generated or s.path == EXISTING)]
    dep.written_backend = release.written_backend()
    dep.written_artifacts = release.written_artifacts()
    dep.shadowed = shadowed(values)
    dep.render_errors = release.render_errors()
    dep.roles = release.roles()
    dep.role_names = {"args_item": "extraArgs"}  # the list's own name, as messages say "this extraArgs value"
    return dep


def _env_by_name(entries: list[EnvEntry]) -> dict[str, EnvValue]:
    """`env` by name (last duplicate wins). Non-string YAML values are shown as Helm would print
    them (`true`, `60`); the Kubernetes API rejects them, which the env rules report."""
    out: dict[str, EnvValue] = {}
    for entry in entries:
        label = f"extraEnv[{entry.index}]"
        if entry.value_from is not None and entry.value is None:
            out[entry.name] = EnvValue(None, f"{label}.valueFrom", entry.at("valueFrom"))
        else:
            out[entry.name] = EnvValue(
                render_scalar(entry.value), label, entry.at("value") if entry.value is not None else entry.path
            )
    return out


def _user_refs(dep: Deployment, values: Values) -> list[SecretRef]:
    """The Secrets the user's own env and envFrom items reference."""
    out = env_secret_refs(dep.env_entries)
    env_from = values.get(("extraEnvFrom",), [])
    for index, item in enumerate(env_from if isinstance(env_from, list) else []):
        ref = item.get("secretRef") if isinstance(item, dict) else None
        if isinstance(ref, dict) and isinstance(ref.get("name"), str):
            prefix = item.get("prefix") if isinstance(item.get("prefix"), str) else ""
            out.append(
                SecretRef(
                    ("extraEnvFrom", index, "secretRef", "name"),
                    ref["name"],
                    (),
                    optional=ref.get("optional") is True,
                    prefix=prefix,
                    env_from=True,
                    user=True,
                )
            )
    return out


# Keys only the seed chart has (other-charts.md section 1); `backendStore` alone is shared with
# community-charts, so only its seed children count.
SEED_MARKERS: tuple[Path, ...] = (
    ("trackingServer",),
    ("artifactStore",),
    ("backendStore", "createSecret"),
    ("backendStore", "existingSecret"),
    ("extraEnv",),
    ("extraEnvFrom",),
    ("extraVolumeMounts",),
)
V2_MARKERS: tuple[Path, ...] = (
    ("trackingServer", "mode"),
    ("trackingServer", "defaultArtifactRoot"),
    ("trackingServer", "artifactsDestination"),
    ("backendStore", "databaseUpgrade"),
)
V1_MARKERS: tuple[Path, ...] = (
    ("trackingServer", "enabled"),
    ("artifactStore", "enabled"),
    ("artifactStore", "defaultArtifactRoot"),
    ("artifactStore", "artifactsDestination"),
)


def _detect(own: tuple[Path, ...]) -> Callable[[dict[str, Any]], Detection]:
    def detect(data: dict[str, Any]) -> Detection:
        found = markers_found(data, SEED_MARKERS) + markers_found(data, own)
        return Detection(min(1.0, 0.34 * len(found)), found)

    return detect


ADAPTERS = (
    Adapter(
        "seed-v1",
        "seed",
        "the seed chart, revision v1",
        _detect(V1_MARKERS),
        "seed-v1.schema.json",
        build,
        app_version="2.10.0",
        chart_version="v1",
    ),
    Adapter(
        "seed-v2",
        "seed",
        "the seed chart, revision v2",
        _detect(V2_MARKERS),
        "seed-v2.schema.json",
        build,
        app_version="2.14.1",
        chart_version="v2",
    ),
)
