"""Rules about the seed chart's own templates (its defects), not about MLflow.

They read the seed values directly (this is the seed adapter's package) and say nothing for
a Deployment built by another adapter or from manifests. Each stays in its family's code
range and is listed in that family's `RULES` (artifact_store, server ...).
"""

from __future__ import annotations

from collections.abc import Iterator

from mlflow_lint import pod_env
from mlflow_lint.charts.seed import PROVIDERS, SeedRelease
from mlflow_lint.finding import Hit, Severity
from mlflow_lint.paths import Path, format_path
from mlflow_lint.rules import artifact_helpers as checks
from mlflow_lint.rules.base import rule
from mlflow_lint.uri_checks import scheme_of

TYPE_CHECKING = False
if TYPE_CHECKING:
    from mlflow_lint.context import Context

S3: Path = ("artifactStore", "s3")


def seed(ctx: Context) -> SeedRelease | None:
    """The seed release behind the context, or None when another adapter built the Deployment."""
    if not ctx.deployment.adapter.startswith("seed-"):
        return None
    return SeedRelease(ctx.values, ctx.chart)


CA_BUNDLE: Path = (*S3, "createCaSecret", "caBundle")
CA_SECRET: Path = (*S3, "existingCaSecret")


@rule(code="MLF206", name="ca-bundle-as-pem-text", severity=Severity.ERROR)
def ca_bundle_as_pem_text(ctx: Context) -> Iterator[Hit]:
    """`artifactStore.s3.createCaSecret.caBundle` is set: the chart puts PEM text where a file path belongs.

    Why it matters: the chart exports the bundle as env var AWS_CA_BUNDLE; botocore reads
    that variable as the PATH of a CA file, so every S3 call fails.
    Example: `artifactStore.s3.createCaSecret.caBundle: "-----BEGIN CERTIFICATE-----..."`.
    Fix: put the PEM in a Secret or ConfigMap, mount it with extraVolumes/extraVolumeMounts,
    and set extraEnv `AWS_CA_BUNDLE` to the mounted file's path.
    """
    if seed(ctx) is not None and ctx.values.text(CA_BUNDLE):
        rendered = pod_env.provider_enabled(ctx, "s3") and not ctx.values.text(CA_SECRET)
        effect = (
            "AWS_CA_BUNDLE receives the PEM text, but botocore expects a file path: S3 calls fail"
            if rendered
            else "it is not rendered (S3 off or existingCaSecret set), and would be wrong if it were"
        )
        yield Hit(CA_BUNDLE, f"caBundle: {effect}", "mount the bundle as a file and set AWS_CA_BUNDLE to its path")


@rule(code="MLF207", name="existing-ca-secret-unused", severity=Severity.WARNING)
def existing_ca_secret_unused(ctx: Context) -> Iterator[Hit]:
    """`artifactStore.s3.existingCaSecret` is set, but the chart never mounts or uses it.

    Why it matters: the CA never reaches botocore, so TLS to an S3 endpoint with a private
    CA fails; the only effect of the key is to suppress AWS_CA_BUNDLE.
    Example: `artifactStore.s3.existingCaSecret: my-ca`.
    Fix: mount the Secret with extraVolumes/extraVolumeMounts and set extraEnv
    `AWS_CA_BUNDLE` to the file's path (e.g. `/etc/ssl/mlflow/ca-bundle.crt`).
    """
    name = ctx.values.text(CA_SECRET) if seed(ctx) is not None else ""
    if name and not _ca_bundle_path_set(ctx):
        yield Hit(CA_SECRET, f"Secret `{name}` is neither mounted nor referenced by the chart; the CA is unused")


def _ca_bundle_path_set(ctx: Context) -> bool:
    found = pod_env.extra_env(ctx).get("AWS_CA_BUNDLE")
    return found is not None and bool(found.value or found.value is None)


@rule(code="MLF208", name="empty-aws-ca-bundle", severity=Severity.WARNING)
def empty_aws_ca_bundle(ctx: Context) -> Iterator[Hit]:
    """v1 with S3 enabled and no CA renders an empty AWS_CA_BUNDLE.

    Why it matters: older botocore treats the empty bundle as "do not verify" and silently
    turns TLS verification off; current botocore (1.44+) refuses it with InvalidConfigError.
    Example: v1 values with `artifactStore.s3.enabled: true` and no caBundle/existingCaSecret.
    Fix: set extraEnv `AWS_CA_BUNDLE` to a real CA file path (e.g.
    `/etc/ssl/certs/ca-certificates.crt`), which overrides the chart's empty value.
    """
    if not ctx.is_v1 or seed(ctx) is None:
        return
    found = pod_env.effective_env(ctx).get("AWS_CA_BUNDLE")
    if found is not None and found.value == "" and found.path == CA_BUNDLE:
        yield Hit(
            (*S3, "enabled"),
            'v1 renders AWS_CA_BUNDLE="": old botocore disables TLS verification, '
            "botocore 1.44+ fails with InvalidConfigError",
            "set extraEnv AWS_CA_BUNDLE to a CA file path",
        )


@rule(code="MLF209", name="gcp-key-never-mounted", severity=Severity.ERROR)
def gcp_key_never_mounted(ctx: Context) -> Iterator[Hit]:
    """A GCP key file (createSecret.keyFile or existingSecret) that the chart never makes usable.

    Why it matters: the chart exports the key as an env var literally named `keyfile.json`
    and never sets GOOGLE_APPLICATION_CREDENTIALS or mounts a file, so the Google SDK does
    not see the key; GCS access fails unless Workload Identity works.
    Example: `artifactStore.gcp: {enabled: true, existingSecret: gcp-key}`.
    Fix: mount the key Secret with extraVolumes/extraVolumeMounts and set extraEnv
    GOOGLE_APPLICATION_CREDENTIALS to the file's path, or use GKE Workload Identity
    (`iam.gke.io/gcp-service-account` annotation).
    """
    if (
        seed(ctx) is None
        or not pod_env.provider_enabled(ctx, "gcp")
        or "GOOGLE_APPLICATION_CREDENTIALS" in pod_env.effective_env(ctx)
    ):
        return
    for key in ("existingSecret", "createSecret"):
        path: Path = (
            ("artifactStore", "gcp", key)
            if key == "existingSecret"
            else ("artifactStore", "gcp", "createSecret", "keyFile")
        )
        if ctx.values.text(path):
            yield Hit(
                path,
                f"`{format_path(path)}` only becomes an env var named `keyfile.json`; "
                "GOOGLE_APPLICATION_CREDENTIALS is never set and no file is mounted, so the key is unused",
            )
            return


@rule(code="MLF210", name="v1-oss-endpoint-env-name", severity=Severity.ERROR)
def v1_oss_endpoint_env_name(ctx: Context) -> Iterator[Hit]:
    """v1 exports the OSS endpoint as MLFLOW_OSS_ENDPOINT; the OSS plugin reads MLFLOW_OSS_ENDPOINT_URL.

    Why it matters: aliyunstoreplugin asserts that MLFLOW_OSS_ENDPOINT_URL is set, so every
    OSS operation fails even though `artifactStore.oss.endpoint` is filled in.
    Example: v1 values with `artifactStore.oss: {enabled: true, endpoint: oss-cn-beijing.aliyuncs.com}`.
    Fix: add extraEnv `MLFLOW_OSS_ENDPOINT_URL` with the endpoint, or use the v2 chart.
    """
    path: Path = ("artifactStore", "oss", "endpoint")
    if not ctx.is_v1 or seed(ctx) is None or not pod_env.provider_enabled(ctx, "oss") or not ctx.values.text(path):
        return  # no endpoint at all: oss-config-incomplete reports it
    if pod_env.lookup(ctx, "MLFLOW_OSS_ENDPOINT_URL").likely_absent:
        yield Hit(
            path,
            "v1 exports the endpoint as MLFLOW_OSS_ENDPOINT, but the OSS plugin reads MLFLOW_OSS_ENDPOINT_URL",
            "add extraEnv MLFLOW_OSS_ENDPOINT_URL",
        )


@rule(code="MLF211", name="oss-config-incomplete", severity=Severity.ERROR)
def oss_config_incomplete(ctx: Context) -> Iterator[Hit]:
    """OSS is used without an endpoint or without access keys.

    Why it matters: the v2 chart refuses to render OSS without `artifactStore.oss.endpoint`,
    and aliyunstoreplugin 1.0.0 asserts that MLFLOW_OSS_ENDPOINT_URL, MLFLOW_OSS_KEY_ID and
    MLFLOW_OSS_KEY_SECRET are all non-empty; a RAM role (RRSA) alone therefore cannot work,
    despite the README's recommendation.
    Example: `artifactStore.oss.enabled: true` with only a `pod-identity.alibabacloud.com/role-name` annotation.
    Fix: set `artifactStore.oss.endpoint` and give the keys via createSecret or existingSecret.
    """
    if seed(ctx) is None:
        return
    oss_used = "oss" in (checks.location_schemes(ctx) or set())
    enabled = pod_env.provider_enabled(ctx, "oss")
    if not enabled and not oss_used:
        return
    anchor: Path = ("artifactStore", "oss", "enabled")
    if enabled and not ctx.values.text(("artifactStore", "oss", "endpoint")):
        yield Hit(
            anchor,
            "OSS is enabled without `artifactStore.oss.endpoint`; the chart fails to render "
            "(v2) and the plugin needs MLFLOW_OSS_ENDPOINT_URL",
        )
    elif not enabled and pod_env.lookup(ctx, "MLFLOW_OSS_ENDPOINT_URL").likely_absent:
        yield Hit(_oss_location(ctx), "OSS artifacts need MLFLOW_OSS_ENDPOINT_URL, which is not set")
    for name in ("MLFLOW_OSS_KEY_ID", "MLFLOW_OSS_KEY_SECRET"):
        found = pod_env.lookup(ctx, name)
        if found.certainly_absent or (found.found is not None and found.found.value == ""):
            yield Hit(
                anchor if enabled else _oss_location(ctx),
                f"{name} is not set; aliyunstoreplugin requires access keys (a RAM role alone does not work)",
            )


def _oss_location(ctx: Context) -> Path:
    for _, setting in checks.used_locations(ctx):
        if scheme_of(setting.value or "") == "oss":
            return setting.path
    return ("artifactStore", "oss")


@rule(code="MLF212", name="v1-artifact-settings-dropped", severity=Severity.ERROR)
def v1_artifact_settings_dropped(ctx: Context) -> Iterator[Hit]:
    """v1 `artifactStore.enabled: false` silently drops the artifact root and all credentials.

    Why it matters: v1 renders MLFLOW_DEFAULT_ARTIFACT_ROOT, MLFLOW_ARTIFACTS_DESTINATION and
    the credentials it generates (createSecret) only inside `artifactStore.enabled` (a
    provider's existingSecret is still passed), yet `false` is exactly the
    `--no-serve-artifacts` mode in which a default root is needed.
    Example: v1 values with `artifactStore: {enabled: false, defaultArtifactRoot: s3://bucket/x}`.
    Fix: keep `artifactStore.enabled: true`, or pass the root as extraArgs
    `--default-artifact-root=...` and credentials via extraEnv/extraEnvFrom.
    """
    release = seed(ctx)
    if release is None or not release.v1 or release.v1_artifacts_enabled():
        return
    for key in ("defaultArtifactRoot", "artifactsDestination"):
        if ctx.values.text(("artifactStore", key)):
            yield Hit(
                ("artifactStore", key), f"artifactStore.{key} is not rendered because artifactStore.enabled is false"
            )
    for provider in PROVIDERS:  # an existingSecret is still rendered (envFrom); createSecret is not
        if release.provider_switch(provider) and not release.text(("artifactStore", provider, "existingSecret")):
            yield Hit(
                checks.enabled_path(ctx, provider),
                f"{checks.NAMES[provider]} credentials are not rendered because artifactStore.enabled is false",
            )


@rule(code="MLF411", name="v1-all-servers-disabled", severity=Severity.WARNING)
def v1_all_servers_disabled(ctx: Context) -> Iterator[Hit]:
    """v1 with `trackingServer.enabled: false` and `artifactStore.enabled: false`.

    Why it matters: v1 then renders no mode flag at all, and MLflow runs its default: a full
    tracking server that also serves artifacts; the pod does not go away.
    Example: `trackingServer: {enabled: false}` and `artifactStore: {enabled: false}`.
    Fix: to remove the server, uninstall the release or set `replicaCount: 0`.
    """
    if (
        ctx.is_v1
        and seed(ctx) is not None
        and ctx.values.get(("trackingServer", "enabled")) is False
        and ctx.values.get(("artifactStore", "enabled")) is False
    ):
        yield Hit(
            ("trackingServer", "enabled"),
            "with both servers disabled v1 renders no mode flag; MLflow runs a "
            "full tracking server with artifact serving anyway",
        )
