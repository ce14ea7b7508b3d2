"""An offline lint imports no probe SDK, not jsonschema, and nothing else it does not use.

Probe SDKs and jsonschema would break the "offline lint never imports them" promise; the
second list is the cold-start budget (issue 7): each module is loaded on first need only
(dataclasses and inspect by nothing on the lint path, an INI parser when basic auth is on or
an INI is given, a digest when a secret is found, Secret manifests with --secrets, pathlib,
shutil, copy and difflib by nothing a clean example needs).
"""

from __future__ import annotations

import json
import subprocess
import sys

import pytest

from tests.conftest import REPO

HEAVY = [
    "boto3",
    "botocore",
    "sqlalchemy",
    "google.cloud.storage",
    "azure.storage.blob",
    "oss2",
    "paramiko",
    "psycopg",
    "pymysql",
    "jsonschema",
    "mlflow_lint.probes",
]
LAZY = [
    "dataclasses",
    "inspect",
    "configparser",
    "hashlib",
    "mlflow_lint.ini_parse",
    "mlflow_lint.k8s_secrets",
    "pathlib",
    "shutil",
    "difflib",
    "typing",
    "contextlib",
    # ruamel's emitter side, which libyaml's extension would import for four error classes
    "ruamel.yaml.constructor",
    "ruamel.yaml.emitter",
    "ruamel.yaml.serializer",
    "ruamel.yaml.representer",
    "ruamel.yaml.main",
]


def _imported_after_a_lint(modules: list[str], *flags: str) -> list[str]:
    script = (
        "import json, sys\n"
        "from mlflow_lint.cli import main\n"
        f"main(['--isolated', *{list(flags)!r}, {str(REPO / 'examples' / 'values.yaml')!r}])\n"
        f"print(json.dumps(sorted(m for m in {modules!r} if m in sys.modules)), file=sys.stderr)\n"
    )
    result = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, check=False)
    return json.loads(result.stderr.strip().splitlines()[-1])


@pytest.mark.parametrize("fmt", ["text", "json"])
def test_offline_lint_imports_no_heavy_module(fmt: str) -> None:
    assert _imported_after_a_lint(HEAVY, "--format", fmt) == []


def test_typical_lint_leaves_unused_modules_unimported() -> None:
    assert _imported_after_a_lint(LAZY) == []
