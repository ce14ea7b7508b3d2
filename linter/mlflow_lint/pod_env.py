"""The main container's environment, read from the Deployment (see deployment.py).

`effective_env(ctx)` answers "what will MLflow see for MLFLOW_S3_ENDPOINT_URL, and which
values line set it". Order (Kubernetes `Container.envFrom`): the envFrom sources are applied
in order and the LAST source defining a key wins; any `env` entry beats every envFrom
source; among duplicate `env` names the last one wins.

A Secret referenced by name is looked up in `ctx.extras["secrets"]` (a SecretIndex) when
the Deployment is built; when it is not given its keys are unknown, and `lookup()` reports it
as a source that *may* define a variable. What MLflow derives from this (backend URI,
artifact root, serve mode) is in `server_settings`. How a chart renders its environment is
in its adapter (`charts/`).
"""

from __future__ import annotations

from mlflow_lint.deployment import EnvSource, EnvValue
from mlflow_lint.paths import Path
from mlflow_lint.records import NamedTuple

TYPE_CHECKING = False
if TYPE_CHECKING:
    from mlflow_lint.context import Context

__all__ = [
    "EnvSource",
    "EnvValue",
    "Lookup",
    "chart_env",
    "effective_env",
    "env_from_sources",
    "extra_env",
    "lookup",
    "provider_enabled",
    "unknown_sources",
]

PROVIDERS = ("s3", "gcp", "azure", "oss")  # kept for callers; the providers are in `ctx.deployment.providers`


class Lookup(NamedTuple):
    """What a variable will be: a known value (or None), plus unseen sources that may set it."""

    found: EnvValue | None
    maybe: tuple[EnvSource, ...] = ()

    @property
    def certainly_absent(self) -> bool:
        return self.found is None and not self.maybe

    @property
    def user_maybe(self) -> tuple[EnvSource, ...]:
        """The unseen sources the user added (extraEnvFrom); the chart's own existingSecrets are
        documented to hold credentials (or the backend URI), so they are not expected to set anything else."""
        return tuple(s for s in self.maybe if s.user)

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
    to hold (facts 3.5), whether or not that Secret was given. User envFrom sources are the user's own."""
    out: dict[str, Path] = {}
    for source in env_from_sources(ctx):
        if source.generated:
            out.update({name: value.path for name, value in (source.entries or {}).items()})
        elif not source.user:
            out.update(dict.fromkeys(source.documented, source.path))
    return out


def documented_keys(ctx: Context, existing_secret: Path) -> tuple[str, ...]:
    """The keys the chart documents for the existingSecret at `existing_secret`."""
    for source in ctx.deployment.env_from:
        if source.path == existing_secret:
            return source.documented
    return ()


def extra_env(ctx: Context) -> dict[str, EnvValue]:
    """The container's `env` by name (last duplicate wins)."""
    return ctx.deployment.env


def env_from_sources(ctx: Context) -> list[EnvSource]:
    """The envFrom list of the main container, in order (a fresh list; do not change its items)."""
    return list(ctx.deployment.env_from)


def provider_enabled(ctx: Context, provider: str) -> bool:
    """Whether the chart renders `provider`'s credentials."""
    found = ctx.deployment.provider(provider)
    return found is not None and found.rendered
