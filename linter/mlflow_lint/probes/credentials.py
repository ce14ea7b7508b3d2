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
from urllib.parse import urlsplit

from mlflow_lint import pod_env
from mlflow_lint.context import Context
from mlflow_lint.paths import format_path
from mlflow_lint.probes import declaration
from mlflow_lint.probes.base import Target


def attach(ctx: Context, target: Target) -> Target:
    """`target` with its credentials, settings and credential source filled in."""
    if target.probe == "sftp" and not urlsplit(target.uri).password:
        return replace(target, ambient=True, credentials="the linter's own SSH keys and agent (no password in the URI)")
    if target.probe in ("ftp", "sftp"):
        return replace(target, credentials="inside the artifact URI (stored in the tracking DB, visible to users)")
    declared = declaration(target.probe)
    secret_names, setting_names = declared.credential_variables, declared.setting_variables
    if not secret_names:
        return replace(target, credentials="none needed")
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
    return _with_credentials(ctx, target, secrets, settings, sources)


def _with_credentials(
    ctx: Context, target: Target, secrets: dict[str, str], settings: dict[str, str], sources: list[str]
) -> Target:
    key_path = settings.get("GOOGLE_APPLICATION_CREDENTIALS", "")
    if target.probe == "gcs" and key_path and not secrets:
        # A path in the pod; the probe never reads a file the values name (it could be any file here).
        return replace(
            target,
            skip=f"the key file GOOGLE_APPLICATION_CREDENTIALS=`{key_path}` is a path inside the "
            "pod, and the probe never reads files the values name: pass the Secret that "
            "holds the key with --secrets",
        )
    ambient = (
        not sources
        and declaration(target.probe).ambient
        and not (target.probe == "gcs" and settings.get("STORAGE_EMULATOR_HOST"))
    )
    return replace(
        target,
        secrets=secrets,
        settings=settings,
        ambient=ambient,
        credentials=_describe(ctx, target.probe, sources) if ambient or sources else "none (anonymous)",
    )


def _describe(ctx: Context, probe: str, sources: list[str]) -> str:
    if sources:
        return "; ".join(sources)
    account = ctx.deployment.service_account
    key = declaration(probe).identity_annotation
    if key in account.annotations:
        return f"the linter's own environment (the values rely on workload identity: {format_path(account.path)} {key})"
    return "the linter's own environment (the values give the pod no credentials)"
