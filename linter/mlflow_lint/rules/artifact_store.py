"""MLF2xx: the artifact store (roots, destinations, providers, credentials sources)."""

from __future__ import annotations

from collections.abc import Iterator

from mlflow_lint import server_settings as ss
from mlflow_lint.charts.seed_rules import (
    ca_bundle_as_pem_text,
    empty_aws_ca_bundle,
    existing_ca_secret_unused,
    gcp_key_never_mounted,
    oss_config_incomplete,
    v1_artifact_settings_dropped,
    v1_oss_endpoint_env_name,
)
from mlflow_lint.finding import Hit, Severity
from mlflow_lint.paths import Path
from mlflow_lint.rules import artifact_helpers as checks
from mlflow_lint.rules.base import Rule, rule
from mlflow_lint.uri_checks import artifact_uri_problems, is_placeholder, scheme_of, scheme_problem
from mlflow_lint.uris import parse_artifact_uri, redact

TYPE_CHECKING = False
if TYPE_CHECKING:
    from mlflow_lint.context import Context


def _written(ctx: Context) -> Iterator[tuple[str, str, Path]]:
    for role, uri, path in ss.written_artifact_uris(ctx):
        if not is_placeholder(uri):
            yield role, uri, path


@rule(code="MLF201", name="invalid-artifact-uri", severity=Severity.ERROR)
def invalid_artifact_uri(ctx: Context) -> Iterator[Hit]:
    """An artifact root or destination that the artifact repository for its scheme rejects.

    Why it matters: MLflow fails when the first artifact is logged or listed ("WASBS URI
    must be of the form ...", a missing bucket, `runs:/` used as a root), long after the
    deployment looked healthy.
    Example: `trackingServer.defaultArtifactRoot: wasbs://mlflow.blob.core.windows.net/x` (no
    `<container>@`), `s3:///path` (no bucket), or `artifactsDestination: mlflow-artifacts:/`.
    Fix: use the scheme's form: `s3://<bucket>/<path>`, `gs://<bucket>/<path>`,
    `wasbs://<container>@<account>.blob.core.windows.net/<path>`, `oss://<bucket>/<path>`...
    Version boundaries (MLflow's registry, tests/oracle): `wasbs` hosts end in `blob.core.windows.net` or
    `blob.core.chinacloudapi.cn`, plus `blob.core.usgovcloudapi.net` from 3.12.0 (3.17.2 checked, 2.22.5
    refuses it); `abfss` is registered from 2.22.0 and takes any domain suffix after `<account>.`
    (sovereign clouds, private endpoints); `b2` from 3.12.0.
    """
    mode = ss.serve_mode(ctx).value
    for role, uri, path in _written(ctx):
        if scheme_problem(scheme_of(uri), ctx.mlflow):
            continue  # artifact-scheme-unsupported says why
        for problem in artifact_uri_problems(uri, role, ctx.mlflow):
            yield Hit(path, f"artifact {role} `{redact(uri)}`: {problem}")
        if role == "root" and scheme_of(uri) == "mlflow-artifacts" and mode == "no-serve-artifacts":
            yield Hit(
                path,
                f"artifact root `{redact(uri)}` sends clients to the server's artifact proxy, but the "
                f"server does not serve artifacts ({ss.serve_mode(ctx).source})",
            )


@rule(code="MLF202", name="artifact-scheme-unsupported", severity=Severity.ERROR)
def artifact_scheme_unsupported(ctx: Context) -> Iterator[Hit]:
    """An artifact URI whose scheme the running MLflow version has no repository for.

    Why it matters: MLflow raises "Could not find a registered artifact repository for ..."
    when an artifact is logged; which schemes exist depends on the version (`abfss` from
    2.22.0, `b2` from 3.12.0; `oss` only with the aliyunstoreplugin package).
    Example: `trackingServer.defaultArtifactRoot: b2://bucket@s3.us-west-004.backblazeb2.com/x` on 2.14.1.
    Fix: use a supported scheme, or an image with a newer MLflow (`image.tag`).
    """
    for role, uri, path in _written(ctx):
        problem = scheme_problem(scheme_of(uri), ctx.mlflow)
        if problem:
            yield Hit(path, f"artifact {role} `{redact(uri)}`: {problem}")


@rule(code="MLF203", name="artifact-provider-unused", severity=Severity.WARNING)
def artifact_provider_unused(ctx: Context) -> Iterator[Hit]:
    """A provider's credentials are enabled, but no artifact root or destination uses that provider.

    Why it matters: the `artifactStore.<provider>.enabled` flags only render credentials;
    nothing ties them to the artifact location, so artifacts silently go elsewhere (often
    the pod's own disk) while the credentials sit unused.
    Example: `artifactStore.s3.enabled: true` with no `s3://` defaultArtifactRoot or artifactsDestination.
    Fix: set the root (no-serve mode) or destination (serve mode) to the provider's URI,
    e.g. `trackingServer.defaultArtifactRoot: s3://bucket/mlflow`.
    """
    schemes = checks.location_schemes(ctx)
    if schemes is None:
        return
    used = {checks.PROVIDER_OF.get(s) for s in schemes}
    for provider in checks.enabled_providers(ctx):
        if provider not in used:
            shown = (
                ", ".join(f"{role} `{redact(s.value or '')}`" for role, s in checks.used_locations(ctx))
                or "MLflow's default location (no root or destination is set)"
            )
            yield Hit(
                checks.enabled_path(ctx, provider),
                f"{checks.NAMES[provider]} credentials are rendered, but "
                f"the server uses {shown} ({ss.serve_mode(ctx).value} mode)",
            )


@rule(code="MLF204", name="multiple-artifact-providers", severity=Severity.WARNING)
def multiple_artifact_providers(ctx: Context) -> Iterator[Hit]:
    """More than one of artifactStore.s3/gcp/azure/oss is enabled.

    Why it matters: a server has one default artifact root and one destination; extra
    providers only add credentials to the pod (and to the release Secret) for nothing.
    Example: `artifactStore.s3.enabled: true` and `artifactStore.gcp.enabled: true`.
    Fix: enable only the provider your artifact URI uses.
    """
    enabled = checks.enabled_providers(ctx)
    for provider in enabled[1:]:
        yield Hit(
            checks.enabled_path(ctx, provider),
            f"{len(enabled)} artifact providers are enabled ({', '.join(enabled)}); the server uses one location",
        )


@rule(code="MLF205", name="artifact-credentials-missing", severity=Severity.WARNING)
def artifact_credentials_missing(ctx: Context) -> Iterator[Hit]:
    """Artifacts go to a cloud store but no credential source for it reaches the pod.

    Why it matters: with no access keys (createSecret or existingSecret), no workload-identity
    annotation on the ServiceAccount and no credential env vars, the SDK finds no credentials
    (unless the node itself has a role) and every upload or listing fails.
    Example: `trackingServer.defaultArtifactRoot: s3://bucket/mlflow` and nothing under `artifactStore.s3`.
    Fix: enable the provider with an existingSecret, or annotate the ServiceAccount
    (`eks.amazonaws.com/role-arn`, `iam.gke.io/gcp-service-account`,
    `azure.workload.identity/client-id`).
    """
    reported: set[str] = set()
    for provider in checks.enabled_providers(ctx):
        if provider != "oss" and not checks.has_credentials(ctx, provider):
            reported.add(provider)
            yield Hit(
                checks.enabled_path(ctx, provider),
                f"{checks.NAMES[provider]} is enabled but neither "
                f"createSecret, existingSecret, the annotation `{checks.ANNOTATIONS[provider]}` nor credential "
                "env vars are given",
            )
    for role, setting in checks.used_locations(ctx):
        needed = checks.PROVIDER_OF.get(scheme_of(setting.value or ""))
        if needed and needed != "oss" and needed not in reported and not checks.has_credentials(ctx, needed):
            reported.add(needed)
            yield Hit(
                setting.path,
                f"artifact {role} `{redact(setting.value or '')}` needs "
                f"{checks.NAMES[needed]} credentials, and none reach the pod",
            )


@rule(code="MLF213", name="local-artifacts-with-replicas", severity=Severity.ERROR)
def local_artifacts_with_replicas(ctx: Context) -> Iterator[Hit]:
    """A pod-local artifact root or destination with replicaCount > 1.

    Why it matters: each replica stores (and lists) artifacts on its own disk, so an
    artifact uploaded through one pod is missing when the next request lands on another.
    Example: `replicaCount: 2` with `trackingServer.mode: serve-artifacts` and no artifactsDestination.
    Fix: use object storage (s3://, gs://, wasbs://...) or a ReadWriteMany volume mounted
    at the path in every pod.
    """
    count = ss.replicas(ctx)
    if count <= 1:
        return
    for role, setting in checks.used_locations(ctx):
        local = setting.value
        if local is not None and parse_artifact_uri(local).is_local and not ss.volume_for(ctx, local):
            yield Hit(
                ctx.deployment.where("replicas"),
                f"{count} replicas but the artifact {role} `{local}` ({setting.source}) is on each pod's own disk",
            )


@rule(code="MLF214", name="local-default-artifact-root", severity=Severity.WARNING)
def local_default_artifact_root(ctx: Context) -> Iterator[Hit]:
    """The default artifact root is a local path, so clients write artifacts to their own disks.

    Why it matters: the root is handed to clients, which write to it directly; only
    `mlflow-artifacts:` roots are proxied by the server. A `./mlruns` or `/mnt/...` root
    means each client writes to its own machine and the UI cannot show the artifacts.
    Example: `artifactStore.defaultArtifactRoot: ./mlruns` (from the seed README).
    Fix: use object storage (`s3://...`), or serve artifacts: leave the root empty (it
    defaults to `mlflow-artifacts:/`) and set the destination to the local or mounted path.
    """
    if ss.serve_mode(ctx).value == "artifacts-only":
        return
    root = ss.default_artifact_root(ctx)
    if root.value and not root.is_default and parse_artifact_uri(root.value).is_local:
        yield Hit(
            root.path,
            f"default artifact root `{root.value}` is a local path ({root.source}): clients "
            "write artifacts to their own disk",
        )


@rule(code="MLF215", name="pod-local-artifacts-destination", severity=Severity.WARNING)
def pod_local_artifacts_destination(ctx: Context) -> Iterator[Hit]:
    """The server serves artifacts into the container's filesystem (no destination, or a path on no volume).

    Why it matters: without `artifactsDestination` the server stores uploads in
    `./mlartifacts` inside the container (the seed README's "default" is only true in
    serve mode), and they are lost when the pod is replaced.
    Example: `trackingServer.mode: serve-artifacts` with no artifactsDestination.
    Fix: set the destination to object storage (`s3://bucket/mlartifacts`) or to a path on a
    mounted PersistentVolumeClaim.
    """
    for role, setting in checks.used_locations(ctx):
        value = setting.value
        if role != "destination" or value is None or not parse_artifact_uri(value).is_local:
            continue
        if setting.is_default and not ctx.values.is_set_by_user(setting.path):
            continue  # the chart's default mode (v1 serves artifacts): an empty values file lints clean
        if not ss.volume_for(ctx, value):
            yield Hit(
                setting.path,
                f"artifacts are served into `{value}` ({setting.source}), i.e. "
                f"{ss.container_path(value)} in the container and on no volume: lost on restart",
            )


@rule(code="MLF216", name="malformed-workload-identity-annotation", severity=Severity.ERROR)
def malformed_workload_identity_annotation(ctx: Context) -> Iterator[Hit]:
    """A workload-identity annotation on the ServiceAccount whose value has the wrong form.

    Why it matters: the cloud's webhook ignores or rejects a malformed value, so the pod
    gets no cloud identity and artifact access fails with "access denied" or "no credentials".
    Example: `eks.amazonaws.com/role-arn: my-mlflow-role` (a name, not an ARN), or
    `pod-identity.alibabacloud.com/role-name: acs:ram::123:role/x` (an ARN, not a name).
    Fix: IRSA `arn:aws:iam::<12 digits>:role/<name>`; GKE `<name>@<project>.iam.gserviceaccount.com`;
    Azure the client ID GUID; Alibaba the RAM role name.
    """
    for path, key, form in checks.bad_annotations(ctx):
        yield Hit(path, f"annotation `{key}` must be {form}")


RULES: tuple[Rule, ...] = (
    invalid_artifact_uri,
    artifact_scheme_unsupported,
    artifact_provider_unused,
    multiple_artifact_providers,
    artifact_credentials_missing,
    ca_bundle_as_pem_text,
    existing_ca_secret_unused,
    empty_aws_ca_bundle,
    gcp_key_never_mounted,
    v1_oss_endpoint_env_name,
    oss_config_incomplete,
    v1_artifact_settings_dropped,
    local_artifacts_with_replicas,
    local_default_artifact_root,
    pod_local_artifacts_destination,
    malformed_workload_identity_annotation,
)
