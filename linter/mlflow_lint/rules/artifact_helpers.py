"""Helpers of the MLF2xx rules: where artifacts go, and which credentials reach the pod."""

from __future__ import annotations

import re

from mlflow_lint import pod_env
from mlflow_lint import server_settings as ss
from mlflow_lint.paths import Path
from mlflow_lint.uri_checks import is_placeholder, scheme_of

TYPE_CHECKING = False
if TYPE_CHECKING:
    from mlflow_lint.context import Context

# Which chart provider's credentials each scheme uses.
PROVIDER_OF = {"s3": "s3", "r2": "s3", "b2": "s3", "gs": "gcp", "wasbs": "azure", "abfss": "azure", "oss": "oss"}
NAMES = {"s3": "S3", "gcp": "GCS", "azure": "Azure", "oss": "OSS"}
ANNOTATIONS = {
    "s3": "eks.amazonaws.com/role-arn",
    "gcp": "iam.gke.io/gcp-service-account",
    "azure": "azure.workload.identity/client-id",
    "oss": "pod-identity.alibabacloud.com/role-name",
}
# Env vars that give each provider's SDK credentials (any one suffices).
CREDENTIAL_ENV = {
    "s3": (
        "AWS_ACCESS_KEY_ID",
        "AWS_ROLE_ARN",
        "AWS_WEB_IDENTITY_TOKEN_FILE",
        "AWS_PROFILE",
        "AWS_CONTAINER_CREDENTIALS_FULL_URI",
        "AWS_CONTAINER_CREDENTIALS_RELATIVE_URI",
    ),
    "gcp": ("GOOGLE_APPLICATION_CREDENTIALS",),
    "azure": (
        "AZURE_STORAGE_CONNECTION_STRING",
        "AZURE_STORAGE_ACCESS_KEY",
        "AZURE_STORAGE_SAS_TOKEN",
        "AZURE_CLIENT_ID",
        "AZURE_FEDERATED_TOKEN_FILE",
    ),
    "oss": ("MLFLOW_OSS_KEY_ID",),
}


def used_locations(ctx: Context) -> list[tuple[str, ss.Setting]]:
    """The root and/or destination the running server uses, with MLflow's defaults filled in.

    The root matters unless the server is artifacts-only; the destination (default
    `./mlartifacts`) only when the server proxies artifacts: artifacts-only mode, or serve
    mode with the root left at `mlflow-artifacts:/` (with an `s3://` root clients write to
    S3 directly and the destination is never used).
    """
    mode = ss.serve_mode(ctx).value
    out = []
    root = ss.default_artifact_root(ctx)
    if mode != "artifacts-only" and not root.is_default:
        out.append(("root", root))
    proxied = root.is_default or root.value is None or scheme_of(root.value) in ("mlflow-artifacts", "http", "https")
    if mode == "artifacts-only" or (mode == "serve-artifacts" and proxied):
        dest = ss.artifacts_destination(ctx)
        if dest.is_default:  # None: an unseen extraEnvFrom source may set it; the mode line is to blame
            mode_path = ss.serve_mode(ctx).path
            dest = ss.Setting(None if dest.maybe else "./mlartifacts", dest.source, mode_path, "default", dest.maybe)
        out.append(("destination", dest))
    return out


def location_schemes(ctx: Context) -> set[str] | None:
    """The schemes of the used locations; None when one of them is unknown."""
    schemes = set()
    for _, setting in used_locations(ctx):
        if setting.value is None:
            return None
        schemes.add(scheme_of(setting.value))
    return schemes


def enabled_providers(ctx: Context) -> list[str]:
    """The chart's artifact providers whose credentials are rendered, in the chart's order."""
    return [p.name for p in ctx.deployment.providers if p.rendered]


def enabled_path(ctx: Context, provider: str) -> Path:
    """The values switch that enables `provider` in this chart."""
    found = ctx.deployment.provider(provider)
    return found.enabled_path if found is not None else ctx.deployment.where("artifacts")


def annotation(ctx: Context, provider: str) -> str:
    """The workload-identity annotation of `provider` on the pod's ServiceAccount ("" if none)."""
    account = ctx.deployment.service_account
    if not account.create:
        return ""  # the chart only renders annotations on a ServiceAccount it creates
    value = account.annotations.get(ANNOTATIONS[provider])
    return value if isinstance(value, str) else ""


def has_credentials(ctx: Context, provider: str) -> bool:
    """Whether any credential source for `provider` reaches the pod (or might: unseen Secrets)."""
    found = ctx.deployment.provider(provider)
    if found is not None and found.rendered and found.existing_secret:
        return True
    if annotation(ctx, provider) or pod_env.unknown_sources(ctx):
        return True
    env = pod_env.effective_env(ctx)
    if provider == "gcp" and "keyfile.json" in env:
        return True  # unusable, but gcp-key-never-mounted says so
    return any(name in env and env[name].value != "" for name in CREDENTIAL_ENV[provider])


# Pattern texts: `re` compiles (and caches) one only when its annotation is set.
_ROLE_ARN = r"^arn:aws(-cn|-us-gov)?:iam::\d{12}:role/[\w+=,.@/-]{1,512}$"
_GCP_SA = r"^[a-z][a-z0-9-]{4,28}[a-z0-9]@[a-z][a-z0-9-]{4,28}[a-z0-9]\.iam\.gserviceaccount\.com$"
_GUID = r"^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$"
_RAM_ROLE = r"^[A-Za-z0-9.-]{1,64}$"
ANNOTATION_FORMS = {
    "eks.amazonaws.com/role-arn": (_ROLE_ARN, "an IAM role ARN `arn:aws:iam::<12-digit account>:role/<name>`"),
    "iam.gke.io/gcp-service-account": (_GCP_SA, "a Google service account `<name>@<project>.iam.gserviceaccount.com`"),
    "azure.workload.identity/client-id": (_GUID, "the client ID (a GUID) of the managed identity or app"),
    "pod-identity.alibabacloud.com/role-name": (_RAM_ROLE, "a RAM role NAME (not its ARN): letters, digits, `.`, `-`"),
}


def bad_annotations(ctx: Context) -> list[tuple[Path, str, str]]:
    """(path, annotation, expected form) for workload-identity annotations with a malformed value."""
    account = ctx.deployment.service_account
    out: list[tuple[Path, str, str]] = []
    for key, (pattern, form) in ANNOTATION_FORMS.items():
        value = account.annotations.get(key)
        if isinstance(value, str) and not is_placeholder(value) and not re.match(pattern, value.strip()):
            out.append(((*account.path, key), key, form))
    return out
