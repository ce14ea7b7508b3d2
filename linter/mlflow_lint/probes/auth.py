"""basic_auth.ini: its `database_uri` probed like the backend, its `authorization_function`
imported with the MLflow installed here.

The auth database is migrated by MLflow itself at every start (`migrate_if_needed`), so its
revision is reported, not judged. Up to MLflow 3.3 the auth schema keeps its revision in
`alembic_version`, the same table as the tracking schema (3.8+ use `alembic_version_auth`):
an auth database that also holds the tracking tables is a `fail` there. The function is
imported in a subprocess (bounded by the deadline; importing `mlflow.server.auth` reads
configuration at import time, which must not touch the linter's process). That interpreter is
isolated (`-I`, an empty working directory, no credentials in its environment) and imports
only packages installed in its site-packages: a name that points into the checkout is
reported as not verified, never imported.
"""

from __future__ import annotations

import importlib.util
import os
import re
import subprocess
import sys
import tempfile

from mlflow_lint.probes import database
from mlflow_lint.probes.base import ERROR, FAIL, OK, SKIPPED, Budget, Declaration, Outcome, Target
from mlflow_lint.uris import parse_db_uri
from mlflow_lint.versions import parse_version

TRACKING_TABLES = {"experiments", "runs", "metrics"}
NAME = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*(?:\.[A-Za-z_][A-Za-z0-9_]*)*$")
NOT_INSTALLED = 5
# Runs in `python -I` (no user site, no PYTHON* variables, no script or working directory on
# sys.path) from an empty temporary directory: the module is imported only if its top-level
# package lies in this interpreter's site-packages, so nothing a checkout holds can be run.
_IMPORT = """\
import importlib, importlib.util, os, sys, sysconfig
name, func = sys.argv[1], sys.argv[2]
roots = {os.path.realpath(sysconfig.get_path(k)) for k in ("purelib", "platlib")}
spec = importlib.util.find_spec(name.split(".")[0])
if spec is None:
    sys.exit(3)
places = [spec.origin] if spec.origin and spec.has_location else list(spec.submodule_search_locations or [])
if not places or not all(any(os.path.realpath(p).startswith(r + os.sep) for r in roots) for p in places):
    sys.exit(5)
try:
    m = importlib.import_module(name)
except ImportError:
    sys.exit(3)
sys.exit(0 if callable(getattr(m, func, None)) else 4)
"""


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
        return Outcome(
            FAIL,
            f"connected to {where}: it holds the tracking schema too, and before MLflow 3.8 both "
            "schemas record their revision in `alembic_version`; use a separate database",
        )
    state = f"auth schema revision {facts.revision}" if facts.revision else "no auth tables yet"
    return Outcome(OK, f"connected to {where}: {state} (MLflow migrates the auth database at start-up)")


def probe_function(target: Target, budget: Budget) -> Outcome:
    """Import `module:function` with the installed MLflow, in an isolated interpreter under the deadline."""
    module, _, func = target.uri.partition(":")
    if not module or not func:
        return Outcome(FAIL, f"`{target.uri}` is not of the form module.path:function")
    if not NAME.match(module) or not NAME.match(func) or "." in func:
        return _not_verified(target, "it is not a plain dotted module name and function name")
    if importlib.util.find_spec("mlflow") is None:
        return Outcome(
            SKIPPED,
            f"MLflow is not installed where the linter runs: `pip install "
            f"mlflow=={target.settings.get('mlflow_version', '')}` to check `{target.uri}`",
        )
    try:
        done = _isolated(module, func, budget)
    except subprocess.TimeoutExpired:
        return Outcome(ERROR, f"importing `{module}` took longer than the deadline")
    installed = _installed_version()
    if done.returncode == 0:
        return Outcome(OK, f"`{target.uri}` exists in the installed MLflow {installed}")
    if done.returncode == NOT_INSTALLED:
        return _not_verified(
            target,
            f"`{module.split('.')[0]}` is not a package installed in the linter's "
            "site-packages, and the probe imports nothing else (not from the checkout, "
            "not from the working directory)",
        )
    if done.returncode in (3, 4):
        what = "module" if done.returncode == 3 else "function"
        return Outcome(
            FAIL,
            f"the {what} of `{target.uri}` does not exist in the installed MLflow {installed}: "
            "every request would fail with a 500",
        )
    return Outcome(ERROR, f"importing `{module}` failed (exit {done.returncode}) with the installed MLflow {installed}")


def _not_verified(target: Target, why: str) -> Outcome:
    return Outcome(SKIPPED, f"`{target.uri}` was not verified: {why}", True)


def _isolated(module: str, func: str, budget: Budget) -> subprocess.CompletedProcess[bytes]:
    """`python -I` in an empty temporary directory with an environment that holds no credentials."""
    with tempfile.TemporaryDirectory(prefix="mlflow-lint-auth-") as empty:
        env = {"PATH": os.defpath, "HOME": empty, "LC_ALL": "C.UTF-8", "PYTHONDONTWRITEBYTECODE": "1"}
        return subprocess.run(
            [sys.executable, "-I", "-c", _IMPORT, module, func],
            capture_output=True,
            cwd=empty,
            env=env,
            stdin=subprocess.DEVNULL,
            timeout=budget.remaining(),
            check=False,
        )


def _installed_version() -> str:
    from importlib.metadata import PackageNotFoundError, version

    for name in ("mlflow", "mlflow-skinny"):
        try:
            return version(name)
        except PackageNotFoundError:
            continue
    return "(unknown version)"


PROBE_DB = Declaration(
    name="auth_db",
    group="auth",
    run=probe_db,
    action="connect, SELECT 1 (MLflow migrates the auth database itself)",
    sdk=("sqlalchemy",),
    extra="db",
    packages="sqlalchemy, psycopg[binary], pymysql",
    import_seconds={"sqlalchemy": 0.23, "psycopg": 0.14, "pymysql": 0.07},
)
PROBE_FUNCTION = Declaration(
    name="auth_function",
    group="auth",
    run=probe_function,
    action="import it with the installed MLflow (python -I, an empty directory, no credentials)",
)
