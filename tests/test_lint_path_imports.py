"""A typical lint imports nothing it does not use (cold-start budget, issue 7)."""

from __future__ import annotations

import json
import subprocess
import sys

from tests.conftest import REPO

# Each is loaded on first need only: dataclasses (with inspect) by nothing on the lint path, an
# INI parser when basic auth is on or an INI is given, a digest when a secret is found,
# Secret manifests with --secrets.
LAZY = ["dataclasses", "inspect", "configparser", "hashlib", "mlflow_lint.ini_parse", "mlflow_lint.k8s_secrets"]


def test_typical_lint_leaves_unused_modules_unimported() -> None:
    script = (
        "import json, sys\n"
        "from mlflow_lint.cli import main\n"
        f"main(['--isolated', {str(REPO / 'examples' / 'values.yaml')!r}])\n"
        f"print(json.dumps(sorted(m for m in {LAZY!r} if m in sys.modules)), file=sys.stderr)\n"
    )
    result = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, check=False)
    assert json.loads(result.stderr.strip().splitlines()[-1]) == []
