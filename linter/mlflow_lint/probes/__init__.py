"""Live probes (`--probe`): prove that what the values point at answers as the pod needs.

Opt-in, lazy, bounded. Nothing here runs without `--probe`/`--probe-plan`, and this module
imports nothing heavy: `PROBES` maps a probe name to a "module:DECLARATION" string that the
runner imports only for the targets it actually probes, and each probe imports its SDK
inside the function (a missing SDK is a `skipped` result with the install line).

Flow: `plan.plan(ctx, groups)` derives the targets from the values (URIs as the pod sees
them, credentials from where the pod gets them), `runner.run(targets, options)` runs the
probes in parallel under a hard per-probe deadline, `phase.run_phase()` turns the outcomes
into `ProbeResult`s (redacted) and MLF9xx hits for the engine.
"""

from __future__ import annotations

# Probe name -> "module:DECLARATION". Each probe's module declares everything about it in one
# `base.Declaration` (function, group, SDK, extra, import cost, action, credential variables,
# identity annotation, provider endpoints); `declaration(name)` imports only that module.
PROBES: dict[str, str] = {
    "database": "mlflow_lint.probes.database:PROBE",
    "auth_db": "mlflow_lint.probes.auth:PROBE_DB",
    "auth_function": "mlflow_lint.probes.auth:PROBE_FUNCTION",
    "s3": "mlflow_lint.probes.s3:PROBE",
    "gcs": "mlflow_lint.probes.gcs:PROBE",
    "azure_blob": "mlflow_lint.probes.azure_blob:PROBE",
    "oss": "mlflow_lint.probes.oss:PROBE",
    "ftp": "mlflow_lint.probes.ftp:PROBE",
    "sftp": "mlflow_lint.probes.sftp:PROBE",
    "local": "mlflow_lint.probes.local:PROBE",
    "hdfs": "mlflow_lint.probes.hdfs:PROBE",
}

# What `--probe db,artifacts,auth` selects.
GROUPS = ("db", "artifacts", "auth")

# Seconds per probe (ProbeOptions' default; cli.py's --probe-timeout default repeats the value).
DEFAULT_TIMEOUT = 10.0

TYPE_CHECKING = False
if TYPE_CHECKING:
    from mlflow_lint.probes.base import Declaration


def declaration(name: str) -> Declaration:
    """The declaration of probe `name` (imports its module, which imports no SDK)."""
    import importlib

    module, attribute = PROBES[name].split(":")
    found: Declaration = getattr(importlib.import_module(module), attribute)
    return found
