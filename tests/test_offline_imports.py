"""An offline lint imports no probe SDK and not jsonschema (cold-start budget)."""

from __future__ import annotations

import json
import subprocess
import sys

from tests.conftest import REPO

HEAVY = ["boto3", "botocore", "sqlalchemy", "google.cloud.storage", "azure.storage.blob", "oss2", "paramiko",
         "psycopg", "pymysql", "jsonschema", "mlflow_lint.probes"]


def test_offline_lint_imports_no_heavy_module() -> None:
    script = (
        "import json, sys\n"
        "from mlflow_lint.cli import main\n"
        f"code = main(['--isolated', '--format', 'json', {str(REPO / 'examples' / 'values.yaml')!r}])\n"
        f"print(json.dumps(sorted(m for m in {HEAVY!r} if m in sys.modules)), file=sys.stderr)\n"
    )
    result = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, check=False)
    assert json.loads(result.stderr.strip().splitlines()[-1]) == []
