"""MLF9xx: live probes (findings made from probe results).

These rules have no `check`: with `--probe` the engine runs the probes (`mlflow_lint.probes`)
and turns each `fail`, `error` and missing-SDK `skipped` result into a finding at the values
key that configured the target. Exit codes: an MLF901 is an error (exit 1, "configuration is
wrong"); MLF900 and MLF902 mean "could not check" and give exit 4 when nothing else fails.
"""

from __future__ import annotations

from mlflow_lint.finding import Severity
from mlflow_lint.rules.base import Rule, engine_rule

PROBE_SKIPPED = engine_rule(
    "MLF900",
    "probe-skipped",
    Severity.WARNING,
    """
    A live probe could not run because its client library (SDK or database driver) is missing.

    Why it matters: `--probe` was asked to prove this target works, and nothing was proven;
    a CI gate must not read that as a pass (the exit code is 4 when nothing else fails).
    Example: `--probe` with `backendStore.createSecret.backendStoreUri: postgresql+psycopg://...`
    where the linter's environment has no SQLAlchemy or psycopg.
    Fix: install the extra named in the message, e.g. `pip install 'mlflow-lint[db]'`, or for
    pre-commit add `additional_dependencies: [sqlalchemy, psycopg[binary], pymysql]`; or
    select only the probes you can run (`--probe artifacts`).
    """,
)

PROBE_FAILED = engine_rule(
    "MLF901",
    "probe-failed",
    Severity.ERROR,
    """
    A live probe reached the target and it said no: the pod would fail the same way.

    Why it matters: wrong credentials, a missing bucket or database, denied access, a wrong
    region or an outdated database schema stop MLflow at start-up or on the first artifact
    upload, after the deploy looked fine.
    Example: `AWS_SECRET_ACCESS_KEY` in `extraEnv` that S3 rejects with SignatureDoesNotMatch,
    or a PostgreSQL database migrated by MLflow 2.10 while `image.tag` is v2.14.1 and
    `backendStore.databaseUpgrade` is false.
    Fix: correct the value at the reported line (credentials, bucket, database, region), or
    for an outdated schema set `backendStore.databaseUpgrade: true` (back up first) or run
    `mlflow db upgrade <uri>`.
    """,
)

PROBE_INCONCLUSIVE = engine_rule(
    "MLF902",
    "probe-inconclusive",
    Severity.WARNING,
    """
    A live probe could not decide: the target was unreachable, timed out, or TLS/DNS failed.

    Why it matters: nothing was proven about this target. From where the linter runs the
    endpoint may simply be out of reach (a cluster-internal host), or the pod will fail
    too; the exit code is 4 when nothing else fails, so CI can tell this from a wrong
    configuration (exit 1).
    Example: `MLFLOW_S3_ENDPOINT_URL: http://minio.storage.svc:9000` probed from a laptop
    (DNS fails), or a server that accepts connections and never answers within `--probe-timeout`.
    Fix: run the probe where the pod's network is visible (a job in the cluster, a VPN),
    correct the host or port, or raise `--probe-timeout` for a slow endpoint.
    """,
)

RULES: tuple[Rule, ...] = (PROBE_SKIPPED, PROBE_FAILED, PROBE_INCONCLUSIVE)
