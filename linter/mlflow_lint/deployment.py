"""`Deployment`: what `mlflow server` gets, whatever chart (or manifest) produced it.

A chart adapter (`charts/`) turns values into a Deployment; the manifests reader
(`manifests.py`) turns rendered Kubernetes objects into one. Rules, the secret audit and the
probes read the Deployment and never a chart key, so a rule written once works for every
chart. Every field remembers where it came from: `path` is the values path (or, for a
manifest, the manifest path) that produced it, so a finding points at the user's line.

The records are immutable by convention; build them in an adapter, never change them in a
rule. Unknown is `None` (a value that comes from a Secret that was not given); absent is an
empty string, list or dict.

Stable API (other modules rely on these names):
- `Arg`, `EnvValue`, `EnvSource`, `EnvEntry`, `Mount`, `Image`, `ServiceAccount`,
  `Provider`, `SecretRef`, `Generated`, `BasicAuth`, `Deployment`;
- `Deployment.where(role)`: the values path a role lives at in this chart (for hints);
- `Deployment.key(role)`: the same, as the dotted text a message shows.
"""

from __future__ import annotations

from mlflow_lint.paths import Path, format_path
from mlflow_lint.records import NamedTuple

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any

    from mlflow_lint.auth_ini import IniSource


class Arg(NamedTuple):
    """One option on the command line: long name, value (None for a flag), who put it there."""

    option: str
    value: str | None
    source: str  # "trackingServer.host" or "trackingServer.extraArgs[2]"
    path: Path
    from_user_args: bool = False  # True when it comes from the user's extra arguments

    @property
    def shown(self) -> str:
        """The flag as a message shows it; a URI value is left out (it may hold a password)."""
        from mlflow_lint.server_cli import URI_OPTIONS

        if self.value is None or self.option in URI_OPTIONS:
            return self.option
        return f"{self.option}={self.value}"


class EnvValue(NamedTuple):
    """One variable: its value (None = not knowable here), a readable source, the values path."""

    value: str | None
    source: str
    path: Path


class EnvSource:
    """One envFrom entry. `entries` None means its keys are unknown (a Secret not given).

    `user` is True for sources the user added (extraEnvFrom and the like): an unseen one may
    set anything. A chart's own existingSecret is documented to hold `documented` keys.
    Equal (and hashed) by what it references, not by its entries; immutable by convention.
    """

    __slots__ = ("_generated", "documented", "entries", "kind", "name", "origin", "path", "prefix", "user")

    def __init__(
        self,
        kind: str,
        name: str,
        origin: str,
        path: Path,
        entries: dict[str, EnvValue] | None = None,
        *,
        user: bool = False,
        documented: tuple[str, ...] = (),
        prefix: str = "",
        generated: bool | None = None,
    ) -> None:
        self.kind = kind  # "Secret" or "ConfigMap"
        self.name = name
        self.origin = origin  # the values key that references it, e.g. "backendStore.existingSecret"
        self.path = path
        self.entries = entries
        self.user = user
        self.documented = documented
        self.prefix = prefix
        self._generated = not path if generated is None else generated

    def _key(self) -> tuple[str, str, str, Path]:
        return (self.kind, self.name, self.origin, self.path)

    def __eq__(self, other: object) -> bool:
        return isinstance(other, EnvSource) and self._key() == other._key()

    def __hash__(self) -> int:
        return hash(self._key())

    def __repr__(self) -> str:
        return f"EnvSource({self.kind!r}, {self.name!r}, {self.origin!r}, {self.path!r}, entries={self.entries!r})"

    @property
    def generated(self) -> bool:
        """Rendered by the chart itself (from values, or in the same manifest stream): its entries are known."""
        return self._generated

    def describe(self) -> str:
        return f"{self.kind} `{self.name}` ({self.origin})"

    def with_entries(self, entries: dict[str, EnvValue] | None) -> EnvSource:
        return EnvSource(
            self.kind,
            self.name,
            self.origin,
            self.path,
            entries,
            user=self.user,
            documented=self.documented,
            prefix=self.prefix,
            generated=self._generated,
        )


class EnvEntry(NamedTuple):
    """One item of the container's `env` list as the user wrote it.

    `value` is the raw YAML value (None with `valueFrom`); `path` is the item's own path.
    """

    index: int  # type: ignore[assignment]  # shadows tuple.index, which nothing calls
    name: str
    value: Any
    path: Path
    value_from: Any = None

    @property
    def text(self) -> str | None:
        """The value if it is a YAML string (non-strings are schema errors, MLF002)."""
        return self.value if isinstance(self.value, str) else None

    def at(self, *rest: str) -> Path:
        """The path of a part of this item: `entry.at("name")`."""
        return (*self.path, *rest)


class Mount(NamedTuple):
    """A volume mounted in the server's container."""

    mount_path: str
    name: str
    path: Path
    read_only: bool = False


class Image(NamedTuple):
    """The server's image; `reference` is what the kubelet pulls."""

    registry: str
    repository: str
    tag: str
    reference: str
    path: Path  # where the tag is set (or the image block)


class ServiceAccount(NamedTuple):
    """The pod's service account: does the chart create it, and its annotations (workload identity)."""

    create: bool
    name: str
    annotations: dict[str, Any]
    path: Path  # the annotations map


class Provider(NamedTuple):
    """An artifact-store credentials block of the chart (s3, gcp, azure, oss ...).

    `rendered` is whether the chart renders its credentials at all; `created` maps a
    credential key to (value, path) for credentials written in the values.
    """

    name: str
    enabled: bool
    rendered: bool
    path: Path  # the block, e.g. ("artifactStore", "s3")
    enabled_path: Path
    existing_secret: str
    existing_path: Path
    created: dict[str, tuple[Any, Path]]
    extra: dict[str, tuple[Any, Path]]  # other provider settings (endpoint, CA bundle ...)


class SecretRef(NamedTuple):
    """A Secret the pod references, and the keys the chart and MLflow need in it."""

    path: Path
    name: str
    keys: tuple[str, ...] = ()
    any_of: bool = False  # one of `keys` is enough (Azure)
    optional: bool = False
    why: str = ""
    prefix: str = ""  # envFrom prefix
    env_from: bool = False
    user: bool = False  # referenced by the user's own env/envFrom
    env_name: str = ""  # the variable a `secretKeyRef` sets


class Generated(NamedTuple):
    """A Secret or ConfigMap the chart generates, with its keys."""

    kind: str
    name: str
    data: dict[str, EnvValue]


class BasicAuth(NamedTuple):
    """The chart's basic-auth switch: on or off, and where the INI comes from."""

    enabled: bool
    path: Path  # the switch
    existing_secret: str
    existing_path: Path
    ini: IniSource | None  # the INI the chart renders from values, if any
    values: dict[str, tuple[Any, Path]]  # ini option -> (value, values path) the chart renders


class Deployment:
    """What `mlflow server` gets. Built by an adapter; read by rules.

    Fields: see the class body. `roles` maps a role name to the values path of the chart
    key behind it (e.g. "default_artifact_root" -> ("trackingServer", "defaultArtifactRoot")),
    so rules can point at and name a key without knowing the chart.
    """

    __slots__ = (
        "adapter",
        "app_version",
        "args",
        "autoscaling",
        "basic_auth",
        "chart_args",
        "db_upgrade",
        "env",
        "env_entries",
        "env_from",
        "generated",
        "image",
        "ingress_enabled",
        "ingress_hosts",
        "init_env_from",
        "mode",
        "mounts",
        "probe_paths",
        "providers",
        "render_errors",
        "replicas",
        "role_names",
        "roles",
        "secret_refs",
        "security",
        "service_account",
        "shadowed",
        "user_arg_items",
        "written_artifacts",
        "written_backend",
    )

    def __init__(self, adapter: str) -> None:
        self.adapter = adapter  # e.g. "seed-v2", "manifests"
        self.app_version = ""  # the MLflow version the chart's default image runs
        self.args: list[Arg] = []  # every `mlflow server` option, in order (click keeps the last)
        self.chart_args: list[Arg] = []  # the options the chart renders from its own keys
        self.mode: Arg | None = None  # the serve-mode flag the chart renders
        self.user_arg_items: list[Any] = []  # the user's extra argument items, raw (path: roles["args"])
        self.env_entries: list[EnvEntry] = []  # the container's `env` list, as written
        self.env: dict[str, EnvValue] = {}  # `env` by name (last duplicate wins)
        self.env_from: list[EnvSource] = []  # envFrom, in order (last source defining a key wins)
        self.mounts: list[Mount] = []
        self.image: Image = Image("", "", "", "", ())
        self.replicas = 1
        self.autoscaling: tuple[bool, int] = (False, 1)  # (enabled, max replicas)
        self.service_account = ServiceAccount(True, "", {}, ())
        self.ingress_enabled = False
        self.ingress_hosts: list[tuple[str, Path]] = []
        self.probe_paths: list[tuple[str, Path]] = []
        self.security: tuple[dict[str, Any], dict[str, Any]] = ({}, {})  # (pod, container) securityContext
        self.generated: list[Generated] = []
        self.secret_refs: list[SecretRef] = []
        self.basic_auth = BasicAuth(False, (), "", (), None, {})
        self.providers: list[Provider] = []
        self.db_upgrade: Path | None = None  # an init container runs `mlflow db upgrade` (the switch's path)
        self.init_env_from: list[EnvSource] = []  # that init container's envFrom (its env is `env`)
        self.written_backend: list[tuple[str, Path, str]] = []  # every backend URI written: (uri, path, where)
        self.written_artifacts: list[tuple[str, str, Path]] = []  # (role, uri, path), effective or not
        self.render_errors: list[tuple[Path, str]] = []  # values the chart renders into a broken manifest
        self.shadowed: list[tuple[Path, Path]] = []  # (winning key, values key the chart then ignores)
        self.roles: dict[str, Path] = {}
        self.role_names: dict[str, str] = {}  # how a message names a role when not by its values path

    def where(self, role: str, default: Path = ()) -> Path:
        """The values path behind `role` in this chart (`default` when the chart has none)."""
        return self.roles.get(role, default)

    def key(self, role: str) -> str:
        """`where(role)` as a message shows it (`trackingServer.defaultArtifactRoot`)."""
        if role in self.role_names:
            return self.role_names[role]
        return format_path(self.roles[role]) if role in self.roles else role

    def provider(self, name: str) -> Provider | None:
        return next((p for p in self.providers if p.name == name), None)

    def user_env_from(self) -> list[EnvSource]:
        return [s for s in self.env_from if s.user]


def env_secret_refs(entries: list[EnvEntry]) -> list[SecretRef]:
    """The Secrets that env items read with `valueFrom.secretKeyRef` (any chart, any manifest)."""
    out = []
    for entry in entries:
        source = entry.value_from
        ref = source.get("secretKeyRef") if isinstance(source, dict) else None
        if isinstance(ref, dict) and isinstance(ref.get("name"), str) and isinstance(ref.get("key"), str):
            out.append(
                SecretRef(
                    (*entry.path, "valueFrom", "secretKeyRef", "name"),
                    ref["name"],
                    (ref["key"],),
                    optional=ref.get("optional") is True,
                    why=f"env var `{entry.name}` reads it",
                    user=True,
                    env_name=entry.name,
                )
            )
    return out


def fill_secrets(deployment: Deployment, index: Any) -> None:
    """Fill in the keys of each referenced Secret found in `index` (a SecretIndex)."""
    sources = []
    for source in deployment.env_from:
        if source.kind == "Secret" and source.entries is None:
            found = index.find(source.name)
            if found is not None:
                entries = {
                    source.prefix + key: EnvValue(
                        value, f"Secret `{source.name}` key `{key}` ({source.origin})", source.path
                    )
                    for key, value in found.data.items()
                }
                source = source.with_entries(entries)
        sources.append(source)
    deployment.env_from = sources
    deployment.init_env_from = [next((s for s in sources if s == init), init) for init in deployment.init_env_from]
