"""Credentials and client settings for an artifact target, from where the pod gets them.

The pod's environment (`pod_env`: inline createSecret values rendered into the env Secret,
`--secrets` manifests behind existingSecret/extraEnvFrom, extraEnv literals) is read as the
container would see it. When the values give no credentials at all and rely on workload
identity (a service-account annotation) or nothing, the linter's own environment is used
and the target says so. A variable that comes from a Secret the linter was not given makes
the target `skipped`: probing with other credentials would prove nothing.
"""

from __future__ import annotations

from dataclasses import replace

from mlflow_lint import pod_env
from mlflow_lint.context import Context
from mlflow_lint.paths import format_path
from mlflow_lint.probes.base import Target

# scheme probe -> (credential variables, setting variables)
VARIABLES: dict[str, tuple[tuple[str, ...], tuple[str, ...]]] = {
    "s3": (("AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY", "AWS_SESSION_TOKEN"),
           ("MLFLOW_S3_ENDPOINT_URL", "AWS_DEFAULT_REGION", "AWS_REGION", "MLFLOW_S3_IGNORE_TLS", "AWS_CA_BUNDLE",
            "MLFLOW_BOTO_CLIENT_ADDRESSING_STYLE", "MLFLOW_EXPERIMENTAL_S3_SIGNATURE_VERSION")),
    "gcs": (("keyfile.json",), ("GOOGLE_APPLICATION_CREDENTIALS", "STORAGE_EMULATOR_HOST")),
    "azure_blob": (("AZURE_STORAGE_CONNECTION_STRING", "AZURE_STORAGE_ACCESS_KEY"), ()),
    "oss": (("MLFLOW_OSS_KEY_ID", "MLFLOW_OSS_KEY_SECRET"), ("MLFLOW_OSS_ENDPOINT_URL",)),
}
IDENTITY_ANNOTATIONS = {
    "s3": "eks.amazonaws.com/role-arn",
    "gcs": "iam.gke.io/gcp-service-account",
    "azure_blob": "azure.workload.identity/client-id",
    "oss": "pod-identity.alibabacloud.com/role-name",
}


def attach(ctx: Context, target: Target) -> Target:
    """`target` with its credentials, settings and credential source filled in."""
    if target.probe in ("ftp", "sftp"):
        return replace(target, credentials="inside the artifact URI (stored in the tracking DB, visible to users)")
    if target.probe not in VARIABLES:
        return replace(target, credentials="none needed")
    secret_names, setting_names = VARIABLES[target.probe]
    secrets: dict[str, str] = {}
    settings: dict[str, str] = {}
    sources: list[str] = []
    unknown: list[str] = []
    for name in (*secret_names, *setting_names):
        found = pod_env.lookup(ctx, name)
        if found.found is not None and found.found.value is None:
            unknown.append(f"{name} comes from {found.found.source}")
        elif found.found is None and found.maybe and name in secret_names:
            unknown.append(f"{name} may come from {', '.join(s.describe() for s in found.maybe)}")
        elif found.found is not None and found.found.value:
            (secrets if name in secret_names else settings)[name] = found.found.value
            if name in secret_names:
                sources.append(f"{name} from {found.found.source}")
    if unknown:
        return replace(target, skip="; ".join(unknown) + ", which was not given: pass it with --secrets")
    return replace(target, secrets=secrets, settings=settings, credentials=_describe(ctx, target.probe, sources))


def _describe(ctx: Context, probe: str, sources: list[str]) -> str:
    if sources:
        return "; ".join(sources)
    account = ctx.deployment.service_account
    key = IDENTITY_ANNOTATIONS.get(probe, "")
    if key in account.annotations:
        return ("the linter's own environment (the values rely on workload identity: "
                f"{format_path(account.path)} {key})")
    return "the linter's own environment (the values give the pod no credentials)"
