"""What the seed chart itself puts into the main container (facts sections 3.2-3.4).

`chart_env` lists the variables the chart delivers through `envFrom` (its env Secret and
ConfigMap, and each `existingSecret`), with the values key responsible; `chart_flags` lists
the server options it renders on the command line, keyed by the option's env var.
Small on purpose: when `pod_env.effective_env` covers the same ground, use that instead.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from mlflow_lint.paths import Path

if TYPE_CHECKING:
    from mlflow_lint.context import Context

_AS = ("artifactStore",)


def chart_env(ctx: Context) -> dict[str, Path]:
    """Variable name -> the values key that makes the chart set it (via envFrom)."""
    out: dict[str, Path] = {}
    if ctx.is_v1:
        if ctx.values.get(("artifactStore", "enabled"), True) is True:
            _configmap_v1(ctx, out)
            _artifact_credentials(ctx, out)
    else:
        _backend_v2(ctx, out)
        _artifact_credentials(ctx, out)
    return out


def _backend_v2(ctx: Context, out: dict[str, Path]) -> None:
    if ctx.values.text(("backendStore", "existingSecret")):
        out["MLFLOW_BACKEND_STORE_URI"] = ("backendStore", "existingSecret")
    elif ctx.values.text(("backendStore", "createSecret", "backendStoreUri")) and \
            ctx.values.get(("trackingServer", "mode")) != "artifacts-only":
        out["MLFLOW_BACKEND_STORE_URI"] = ("backendStore", "createSecret", "backendStoreUri")


def _configmap_v1(ctx: Context, out: dict[str, Path]) -> None:
    for key, name in (("defaultArtifactRoot", "MLFLOW_DEFAULT_ARTIFACT_ROOT"),
                      ("artifactsDestination", "MLFLOW_ARTIFACTS_DESTINATION")):
        if ctx.values.text((*_AS, key)):
            out[name] = (*_AS, key)


_PROVIDERS: dict[str, tuple[tuple[str, str], ...]] = {
    "s3": (("accessKeyId", "AWS_ACCESS_KEY_ID"), ("secretAccessKey", "AWS_SECRET_ACCESS_KEY")),
    "azure": (("azureStorageConnectionString", "AZURE_STORAGE_CONNECTION_STRING"),
              ("azureStorageAccessKey", "AZURE_STORAGE_ACCESS_KEY")),
    "oss": (("accessKeyId", "MLFLOW_OSS_KEY_ID"), ("accessKeySecret", "MLFLOW_OSS_KEY_SECRET")),
}


def _artifact_credentials(ctx: Context, out: dict[str, Path]) -> None:
    for provider, keys in _PROVIDERS.items():
        base = (*_AS, provider)
        if ctx.values.get((*base, "enabled")) is not True:
            continue
        existing = ctx.values.text((*base, "existingSecret"))
        for key, name in keys:
            # v1 emits the S3 keys even when empty; v2 only non-empty ones
            if existing:
                out[name] = (*base, "existingSecret")
            elif ctx.values.text((*base, "createSecret", key)) or (ctx.is_v1 and provider == "s3"):
                out[name] = (*base, "createSecret", key)
        if provider == "oss":
            out["MLFLOW_OSS_ENDPOINT" if ctx.is_v1 else "MLFLOW_OSS_ENDPOINT_URL"] = (*base, "endpoint")
    _ca_bundle(ctx, out)


def _ca_bundle(ctx: Context, out: dict[str, Path]) -> None:
    s3 = (*_AS, "s3")
    if ctx.values.get((*s3, "enabled")) is not True or ctx.values.text((*s3, "existingCaSecret")):
        return
    if ctx.is_v1 or ctx.values.text((*s3, "createCaSecret", "caBundle")):
        out["AWS_CA_BUNDLE"] = (*s3, "createCaSecret", "caBundle")


_V2_ARTIFACT_FLAGS = (("MLFLOW_DEFAULT_ARTIFACT_ROOT", "--default-artifact-root", "defaultArtifactRoot"),
                      ("MLFLOW_ARTIFACTS_DESTINATION", "--artifacts-destination", "artifactsDestination"))


def chart_flags(ctx: Context) -> dict[str, tuple[Path, str]]:
    """Env var -> (values key, rendered flag) for every option the chart puts on the command line."""
    ts = ("trackingServer",)
    out: dict[str, tuple[Path, str]] = {
        "MLFLOW_HOST": ((*ts, "host"), f"--host={ctx.values.get((*ts, 'host'), '')}"),
        "MLFLOW_PORT": ((*ts, "port"), f"--port={ctx.values.get((*ts, 'port'), '')}"),
        "MLFLOW_WORKERS": ((*ts, "workers"), f"--workers={ctx.values.get((*ts, 'workers'), '')}"),
    }
    mode, key = _mode_flag(ctx)
    if mode == "--artifacts-only":
        out["MLFLOW_ARTIFACTS_ONLY"] = (key, mode)
    elif mode:
        out["MLFLOW_SERVE_ARTIFACTS"] = (key, mode)
    if not ctx.is_v1:
        for name, option, value_key in _V2_ARTIFACT_FLAGS:
            if ctx.values.text((*ts, value_key)):
                out[name] = ((*ts, value_key), option)
    return out


def _mode_flag(ctx: Context) -> tuple[str, Path]:
    """The mode flag the chart renders ("" for none) and the key that chose it."""
    if not ctx.is_v1:
        mode = ctx.values.get(("trackingServer", "mode"))
        return (f"--{mode}" if isinstance(mode, str) and mode else "", ("trackingServer", "mode"))
    tracking = ctx.values.get(("trackingServer", "enabled"), True) is True
    artifacts = ctx.values.get(("artifactStore", "enabled"), True) is True
    if tracking:
        return ("--serve-artifacts" if artifacts else "--no-serve-artifacts", ("artifactStore", "enabled"))
    return ("--artifacts-only" if artifacts else "", ("trackingServer", "enabled"))
