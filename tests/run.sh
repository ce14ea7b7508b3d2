#!/usr/bin/env bash
# Run the whole test suite from a fresh machine: a virtual environment with every extra,
# the servers the probe tests start on loopback (.ci/install-services.sh), then pytest.
#
# Usage: bash tests/run.sh [pytest arguments...]
#   VENV  where the test environment lives (default: <repo>/.venv-test; reused if present)
#   MLFLOW_LINT_ORACLE_CACHE  where the oracle tier's MLflow venvs live (see tests/oracle/mlflow_venvs.py)
#   MLFLOW_LINT_ORACLE=0      do not build them (for runs that deselect the tier: -m "not oracle")
set -euo pipefail

REPO="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
VENV="${VENV:-$REPO/.venv-test}"
cd "$REPO"

if [[ ! -x "$VENV/bin/python" ]]; then
    python3 -m venv "$VENV"
fi
"$VENV/bin/python" -m pip install -q --disable-pip-version-check -e ".[test,probes,services]"

# The oracle tier (tests/oracle) asks real MLflow, one cached venv per version outside the clone
# ($MLFLOW_LINT_ORACLE_CACHE, default /var/cache/mlflow-lint/oracle). Build or check them in the
# background while the services install and the rest of the suite runs; the oracle tests run last and
# wait for them. MLFLOW_LINT_ORACLE=0 skips the build (when deselecting the tier with -m "not oracle").
if [[ "${MLFLOW_LINT_ORACLE:-1}" != 0 ]]; then
    oracle_log="${TMPDIR:-/tmp}/mlflow-lint-oracle-venvs.log"
    echo "run.sh: building/checking the oracle's MLflow venvs in the background (log: $oracle_log)"
    "$VENV/bin/python" "$REPO/tests/oracle/mlflow_venvs.py" >"$oracle_log" 2>&1 &
fi
bash "$REPO/.ci/install-services.sh" "$VENV"

# Hypothesis keeps its example database out of the tree; a bounded, derandomised run in CI.
export HYPOTHESIS_STORAGE_DIRECTORY="${TMPDIR:-/tmp}/mlflow-lint-hypothesis"
exec "$VENV/bin/python" -m pytest -p no:cacheprovider "$@"
