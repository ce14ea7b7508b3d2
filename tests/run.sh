#!/usr/bin/env bash
# Run the whole test suite from a fresh machine: a virtual environment with every extra,
# the servers the probe tests start on loopback (.ci/install-services.sh), then pytest.
#
# Usage: bash tests/run.sh [pytest arguments...]
#   VENV  where the test environment lives (default: <repo>/.venv-test; reused if present)
set -euo pipefail

REPO="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
VENV="${VENV:-$REPO/.venv-test}"
cd "$REPO"

if [[ ! -x "$VENV/bin/python" ]]; then
    python3 -m venv "$VENV"
fi
"$VENV/bin/python" -m pip install -q --disable-pip-version-check -e ".[test,probes,services]"
bash "$REPO/.ci/install-services.sh" "$VENV"

# Hypothesis keeps its example database out of the tree; a bounded, derandomised run in CI.
export HYPOTHESIS_STORAGE_DIRECTORY="${TMPDIR:-/tmp}/mlflow-lint-hypothesis"
exec "$VENV/bin/python" -m pytest -p no:cacheprovider "$@"
