"""Live probes (`--probe`): prove that what the values point at answers as the pod needs.

Opt-in, lazy, bounded. Nothing here runs without `--probe`/`--probe-plan`, and this module
imports nothing heavy: `PROBES` maps a probe name to a "module:function" string that the
runner imports only for the targets it actually probes, and each probe imports its SDK
inside the function (a missing SDK is a `skipped` result with the install line).

Flow: `plan.plan(ctx, groups)` derives the targets from the values (URIs as the pod sees
them, credentials from where the pod gets them), `runner.run(targets, options)` runs the
probes in parallel under a hard per-probe deadline, `phase.run_phase()` turns the outcomes
into `ProbeResult`s (redacted) and MLF9xx hits for the engine.
"""

from __future__ import annotations

PROBES: dict[str, str] = {
    "database": "mlflow_lint.probes.database:probe",
    "auth_db": "mlflow_lint.probes.auth:probe_db",
    "auth_function": "mlflow_lint.probes.auth:probe_function",
    "s3": "mlflow_lint.probes.s3:probe",
    "gcs": "mlflow_lint.probes.gcs:probe",
    "azure_blob": "mlflow_lint.probes.azure_blob:probe",
    "oss": "mlflow_lint.probes.oss:probe",
    "ftp": "mlflow_lint.probes.ftp:probe",
    "sftp": "mlflow_lint.probes.sftp:probe",
    "local": "mlflow_lint.probes.local:probe",
    "hdfs": "mlflow_lint.probes.hdfs:probe",
}

# What `--probe db,artifacts,auth` selects.
GROUPS = ("db", "artifacts", "auth")

# Seconds per probe (ProbeOptions' default; cli.py's --probe-timeout default repeats the value).
DEFAULT_TIMEOUT = 10.0
