"""basic_auth.ini: its `database_uri` probed like the backend, its `authorization_function`
imported with the MLflow installed here.

The auth database is migrated by MLflow itself at every start (`migrate_if_needed`), so its
revision is reported, not judged. Up to MLflow 3.3 the auth schema keeps its revision in
`alembic_version`, the same table as the tracking schema (3.8+ use `alembic_version_auth`):
an auth database that also holds the tracking tables is a `fail` there. The function is
imported in a subprocess (bounded by the deadline; importing `mlflow.server.auth` reads
configuration at import time, which must not touch the linter's process).
"""

from __future__ import annotations

import importlib.util
import subprocess
import sys

from mlflow_lint.probes import database
from mlflow_lint.probes.base import ERROR, FAIL, OK, SKIPPED, Budget, Outcome, Target
from mlflow_lint.uris import parse_db_uri
from mlflow_lint.versions import parse_version

TRACKING_TABLES = {"experiments", "runs", "metrics"}
_IMPORT = (
    "import importlib, sys\n"
    "try:\n    m = importlib.import_module(sys.argv[1])\n"
    "except ImportError:\n    sys.exit(3)\n"
    "sys.exit(0 if callable(getattr(m, sys.argv[2], None)) else 4)\n"
)


def probe_db(target: Target, budget: Budget) -> Outcome:
    """Connect, SELECT 1, and report the auth schema revision."""
    db = parse_db_uri(target.uri)
    if db is None:
        return Outcome(FAIL, "database_uri is not a database URI")
    version = parse_version(target.settings.get("mlflow_version", "")) or (0, 0, 0)
    table = "alembic_version_auth" if version >= (3, 8, 0) else "alembic_version"
    facts = database.read_facts(db, budget, table)
    if isinstance(facts, Outcome):
        return facts
    where = database.place(db)
    if table == "alembic_version" and set(facts.tables) >= TRACKING_TABLES:
        return Outcome(FAIL, f"connected to {where}: it holds the tracking schema too, and before MLflow 3.8 both "
                             "schemas record their revision in `alembic_version`; use a separate database")
    state = f"auth schema revision {facts.revision}" if facts.revision else "no auth tables yet"
    return Outcome(OK, f"connected to {where}: {state} (MLflow migrates the auth database at start-up)")


def probe_function(target: Target, budget: Budget) -> Outcome:
    """Import `module:function` with the installed MLflow, in a subprocess under the deadline."""
    module, _, func = target.uri.partition(":")
    if not module or not func:
        return Outcome(FAIL, f"`{target.uri}` is not of the form module.path:function")
    if importlib.util.find_spec("mlflow") is None:
        return Outcome(SKIPPED, f"MLflow is not installed where the linter runs: `pip install "
                                f"mlflow=={target.settings.get('mlflow_version', '')}` to check `{target.uri}`")
    try:
        done = subprocess.run([sys.executable, "-c", _IMPORT, module, func], capture_output=True,
                              timeout=budget.remaining(), check=False)
    except subprocess.TimeoutExpired:
        return Outcome(ERROR, f"importing `{module}` took longer than the deadline")
    installed = _installed_version()
    if done.returncode == 0:
        return Outcome(OK, f"`{target.uri}` exists in the installed MLflow {installed}")
    if done.returncode in (3, 4):
        what = "module" if done.returncode == 3 else "function"
        return Outcome(FAIL, f"the {what} of `{target.uri}` does not exist in the installed MLflow {installed}: "
                             "every request would fail with a 500")
    return Outcome(ERROR, f"importing `{module}` failed (exit {done.returncode}) with the installed MLflow {installed}")


def _installed_version() -> str:
    from importlib.metadata import PackageNotFoundError, version

    for name in ("mlflow", "mlflow-skinny"):
        try:
            return version(name)
        except PackageNotFoundError:
            continue
    return "(unknown version)"
