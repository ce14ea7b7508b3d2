"""The main container's environment as the seed chart renders it (facts 3.3 and 3.4).

`effective_env(ctx)` answers "what will MLflow see for MLFLOW_S3_ENDPOINT_URL, and which
values line set it". Order (Kubernetes `Container.envFrom`): the envFrom sources are applied
in the chart's order and the LAST source defining a key wins; any `env` entry (`extraEnv`)
beats every envFrom source; among duplicate `extraEnv` names the last one wins.

envFrom order, v2: backendStore.existingSecret, `<fullname>-env-configmap`,
`<fullname>-env-secret`, each extraEnvFrom item, then the existingSecret of s3, gcp, azure
and oss (each only when that provider is enabled). v1 has the same shape, but its generated
keys differ (`BACKEND_STORE_URI`, empty `AWS_*` keys, `MLFLOW_OSS_ENDPOINT`,
`MLFLOW_DEFAULT_ARTIFACT_ROOT`...) and everything about artifacts is rendered only when
`artifactStore.enabled`.

A Secret referenced by name is looked up in `ctx.extras["secrets"]` (a SecretIndex); when
it is not given its keys are unknown, and `lookup()` reports it as a source that *may*
define a variable. What MLflow derives from this (backend URI, artifact root, serve mode)
is in `server_settings`.
"""

from __future__ import annotations

from mlflow_lint.helm_types import render_scalar
from mlflow_lint.paths import Path, format_path
from mlflow_lint.records import NamedTuple

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any

    from mlflow_lint.context import Context

ENV_SECRET = "<fullname>-env-secret"
ENV_CONFIGMAP = "<fullname>-env-configmap"
PROVIDERS = ("s3", "gcp", "azure", "oss")


class EnvValue(NamedTuple):
    """One variable: its value (None = not knowable here), a readable source, the values path."""

    value: str | None
    source: str
    path: Path


class EnvSource:
    """One envFrom entry. `entries` None means its keys are unknown (a Secret not given).

    Equal (and hashed) by what it references, not by its entries; immutable by convention.
    """

    __slots__ = ("entries", "kind", "name", "origin", "path")

    def __init__(self, kind: str, name: str, origin: str, path: Path,
                 entries: dict[str, EnvValue] | None = None) -> None:
        self.kind = kind  # "Secret" or "ConfigMap"
        self.name = name
        self.origin = origin  # the values key that references it, e.g. "backendStore.existingSecret"
        self.path = path
        self.entries = entries

    def _key(self) -> tuple[str, str, str, Path]:
        return (self.kind, self.name, self.origin, self.path)

    def __eq__(self, other: object) -> bool:
        return isinstance(other, EnvSource) and self._key() == other._key()

    def __hash__(self) -> int:
        return hash(self._key())

    def __repr__(self) -> str:
        return f"EnvSource({self.kind!r}, {self.name!r}, {self.origin!r}, {self.path!r}, entries={self.entries!r})"

    def describe(self) -> str:
        return f"{self.kind} `{self.name}` ({self.origin})"


class Lookup(NamedTuple):
    """What a variable will be: a known value (or None), plus unseen sources that may set it."""

    found: EnvValue | None
    maybe: tuple[EnvSource, ...] = ()

    @property
    def certainly_absent(self) -> bool:
        return self.found is None and not self.maybe

    @property
    def user_maybe(self) -> tuple[EnvSource, ...]:
        """The unseen sources from `extraEnvFrom`; the chart's own existingSecrets are documented
        to hold credentials (or the backend URI), so they are not expected to set anything else."""
        return tuple(s for s in self.maybe if s.path[:1] == ("extraEnvFrom",))

    @property
    def likely_absent(self) -> bool:
        """Not set, unless a chart existingSecret holds an undocumented key."""
        return self.found is None and not self.user_maybe


def effective_env(ctx: Context) -> dict[str, EnvValue]:
    """The main container's env: envFrom in order (last wins), then extraEnv on top."""
    env: dict[str, EnvValue] = {}
    for source in env_from_sources(ctx):
        env.update(source.entries or {})
    env.update(extra_env(ctx))
    return env


def lookup(ctx: Context, name: str) -> Lookup:
    """`name` as the container sees it, and the unseen envFrom sources that could change that."""
    extra = extra_env(ctx)
    if name in extra:
        return Lookup(extra[name])
    found: EnvValue | None = None
    maybe: list[EnvSource] = []
    for source in env_from_sources(ctx):
        if source.entries is None:
            maybe.append(source)
        elif name in source.entries:
            found, maybe = source.entries[name], []  # later unseen sources may still override
    return Lookup(found, tuple(maybe))


def unknown_sources(ctx: Context) -> list[EnvSource]:
    """The envFrom sources whose keys cannot be known (Secrets or ConfigMaps not given)."""
    return [s for s in env_from_sources(ctx) if s.entries is None]


def chart_env(ctx: Context) -> dict[str, Path]:
    """Variable -> values key, for what the chart itself delivers through envFrom: the keys of
    its generated ConfigMap and Secret, and the keys each of its existingSecrets is documented
    to hold (facts 3.5), whether or not that Secret was given. extraEnvFrom is the user's own."""
    out: dict[str, Path] = {}
    for source in env_from_sources(ctx):
        if not source.path:  # generated from values
            out.update({name: value.path for name, value in (source.entries or {}).items()})
        elif source.path[0] != "extraEnvFrom":
            out.update(dict.fromkeys(documented_keys(ctx, source.path), source.path))
    return out


def documented_keys(ctx: Context, existing_secret: Path) -> tuple[str, ...]:
    """The keys the chart documents for `backendStore.existingSecret` or a provider's existingSecret."""
    if existing_secret[0] == "backendStore":
        return ("BACKEND_STORE_URI",) if ctx.is_v1 else ("MLFLOW_BACKEND_STORE_URI",)
    return tuple(name for provider, _, name, _ in _CREDENTIALS if provider == existing_secret[1])


def extra_env(ctx: Context) -> dict[str, EnvValue]:
    """`extraEnv` by name (last duplicate wins). Non-string YAML values are shown as Helm would
    print them (`true`, `60`); the Kubernetes API rejects them, which the extraEnv rules report."""
    items = ctx.values.get(("extraEnv",), [])
    out: dict[str, EnvValue] = {}
    for index, item in enumerate(items if isinstance(items, list) else []):
        if not isinstance(item, dict) or not isinstance(item.get("name"), str):
            continue
        path: Path = ("extraEnv", index, "value")
        value = item.get("value")
        if "valueFrom" in item and value is None:
            out[item["name"]] = EnvValue(None, f"extraEnv[{index}].valueFrom", ("extraEnv", index, "valueFrom"))
        else:
            out[item["name"]] = EnvValue(render_scalar(value), f"extraEnv[{index}]", path if value is not None
                                         else ("extraEnv", index))
    return out




# The last release's envFrom list: rules and settings ask for it ~25 times per file (10% of a
# lint). It depends only on the values, the chart (v1/v2) and the Secret index, compared by identity.
_SOURCES: list[tuple[tuple[Any, ...], list[EnvSource]]] = []


def env_from_sources(ctx: Context) -> list[EnvSource]:
    """The envFrom list of the main container, in the chart's order (a fresh list; do not change its items)."""
    key = (ctx.values, ctx.chart, ctx.extras.get("secrets"))
    if _SOURCES and all(a is b for a, b in zip(_SOURCES[0][0], key, strict=True)):
        return list(_SOURCES[0][1])
    out = _env_from_sources(ctx)
    _SOURCES[:] = [(key, out)]
    return list(out)


def _env_from_sources(ctx: Context) -> list[EnvSource]:
    out: list[EnvSource] = []
    backend = ctx.values.text(("backendStore", "existingSecret"))
    if backend:
        out.append(_secret_source(ctx, backend, ("backendStore", "existingSecret")))
    out.append(EnvSource("ConfigMap", ENV_CONFIGMAP, "generated from values", (), _configmap_entries(ctx)))
    out.append(EnvSource("Secret", ENV_SECRET, "generated from values", (), _secret_entries(ctx)))
    out.extend(_extra_env_from(ctx))
    for provider in PROVIDERS:
        name = ctx.values.text(("artifactStore", provider, "existingSecret"))
        if name and provider_enabled(ctx, provider):
            out.append(_secret_source(ctx, name, ("artifactStore", provider, "existingSecret")))
    return out


def provider_enabled(ctx: Context, provider: str) -> bool:
    """Whether the chart renders `provider`'s credentials (v1 also needs artifactStore.enabled)."""
    if ctx.is_v1 and not v1_artifacts_enabled(ctx):
        return False
    return ctx.values.get(("artifactStore", provider, "enabled")) is True


def v1_artifacts_enabled(ctx: Context) -> bool:
    return ctx.values.get(("artifactStore", "enabled")) is not False


def _secret_source(ctx: Context, name: str, path: Path, prefix: str = "") -> EnvSource:
    index = ctx.extras.get("secrets")
    found = index.find(name) if index is not None else None
    origin = format_path(path)
    if found is None:
        return EnvSource("Secret", name, origin, path, None)
    entries = {prefix + key: EnvValue(value, f"Secret `{name}` key `{key}` ({origin})", path)
               for key, value in found.data.items()}
    return EnvSource("Secret", name, origin, path, entries)


def _extra_env_from(ctx: Context) -> list[EnvSource]:
    items = ctx.values.get(("extraEnvFrom",), [])
    out = []
    for index, item in enumerate(items if isinstance(items, list) else []):
        if not isinstance(item, dict):
            continue
        prefix = str(item["prefix"]) if isinstance(item.get("prefix"), str) else ""
        for ref_key, kind in (("secretRef", "Secret"), ("configMapRef", "ConfigMap")):
            ref = item.get(ref_key)
            if isinstance(ref, dict) and isinstance(ref.get("name"), str):
                path: Path = ("extraEnvFrom", index, ref_key, "name")
                if kind == "Secret":
                    out.append(_secret_source(ctx, ref["name"], path, prefix))
                else:
                    out.append(EnvSource(kind, ref["name"], format_path(path), path, None))
    return out


def _value(ctx: Context, path: Path, name: str, target: str) -> tuple[str, EnvValue]:
    text = ctx.values.text(path)
    return name, EnvValue(text, f"{format_path(path)} (via {target})", path)


def _secret_entries(ctx: Context) -> dict[str, EnvValue]:
    return dict(_v1_secret_keys(ctx) if ctx.is_v1 else _v2_secret_keys(ctx))


def _configmap_entries(ctx: Context) -> dict[str, EnvValue]:
    return dict(_v1_configmap_keys(ctx) if ctx.is_v1 else _v2_configmap_keys(ctx))


# (provider, createSecret key, env name, emitted-when-empty in v1)
_CREDENTIALS = (
    ("s3", "accessKeyId", "AWS_ACCESS_KEY_ID", True),
    ("s3", "secretAccessKey", "AWS_SECRET_ACCESS_KEY", True),
    ("gcp", "keyFile", "keyfile.json", True),
    ("azure", "azureStorageConnectionString", "AZURE_STORAGE_CONNECTION_STRING", False),
    ("azure", "azureStorageAccessKey", "AZURE_STORAGE_ACCESS_KEY", False),
    ("oss", "accessKeyId", "MLFLOW_OSS_KEY_ID", False),
    ("oss", "accessKeySecret", "MLFLOW_OSS_KEY_SECRET", False),
)


def _v2_secret_keys(ctx: Context) -> list[tuple[str, EnvValue]]:
    out = []
    mode = ctx.values.text(("trackingServer", "mode")) or "no-serve-artifacts"
    uri_path: Path = ("backendStore", "createSecret", "backendStoreUri")
    if mode != "artifacts-only" and not ctx.values.text(("backendStore", "existingSecret")) \
            and ctx.values.text(uri_path):
        out.append(_value(ctx, uri_path, "MLFLOW_BACKEND_STORE_URI", ENV_SECRET))
    out.extend(_credential_keys(ctx, v1=False))
    out.extend(_ca_bundle(ctx, v1=False))
    return out


def _v1_secret_keys(ctx: Context) -> list[tuple[str, EnvValue]]:
    out = []
    uri_path: Path = ("backendStore", "createSecret", "backendStoreUri")
    if not ctx.values.text(("backendStore", "existingSecret")) and ctx.values.text(uri_path):
        out.append(_value(ctx, uri_path, "BACKEND_STORE_URI", ENV_SECRET))
    if v1_artifacts_enabled(ctx):
        out.extend(_credential_keys(ctx, v1=True))
        out.extend(_ca_bundle(ctx, v1=True))
    return out


def _credential_keys(ctx: Context, v1: bool) -> list[tuple[str, EnvValue]]:
    out = []
    for provider, key, env_name, v1_even_empty in _CREDENTIALS:
        if not provider_enabled(ctx, provider) or ctx.values.text(("artifactStore", provider, "existingSecret")):
            continue
        path: Path = ("artifactStore", provider, "createSecret", key)
        if ctx.values.text(path) or (v1 and v1_even_empty):
            out.append(_value(ctx, path, env_name, ENV_SECRET))
    return out


def _ca_bundle(ctx: Context, v1: bool) -> list[tuple[str, EnvValue]]:
    path: Path = ("artifactStore", "s3", "createCaSecret", "caBundle")
    if not provider_enabled(ctx, "s3") or ctx.values.text(("artifactStore", "s3", "existingCaSecret")):
        return []
    if ctx.values.text(path) or v1:
        return [_value(ctx, path, "AWS_CA_BUNDLE", ENV_SECRET)]
    return []


def _v2_configmap_keys(ctx: Context) -> list[tuple[str, EnvValue]]:
    if provider_enabled(ctx, "oss"):
        return [_value(ctx, ("artifactStore", "oss", "endpoint"), "MLFLOW_OSS_ENDPOINT_URL", ENV_CONFIGMAP)]
    return []


def _v1_configmap_keys(ctx: Context) -> list[tuple[str, EnvValue]]:
    if not v1_artifacts_enabled(ctx):
        return []
    out = []
    for key, env_name in (("defaultArtifactRoot", "MLFLOW_DEFAULT_ARTIFACT_ROOT"),
                          ("artifactsDestination", "MLFLOW_ARTIFACTS_DESTINATION")):
        if ctx.values.text(("artifactStore", key)):
            out.append(_value(ctx, ("artifactStore", key), env_name, ENV_CONFIGMAP))
    if provider_enabled(ctx, "oss"):
        out.append(_value(ctx, ("artifactStore", "oss", "endpoint"), "MLFLOW_OSS_ENDPOINT", ENV_CONFIGMAP))
    return out
