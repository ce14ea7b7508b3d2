"""No surprise network: the offline suite gives the same results in a namespace with no interfaces.

`unshare -n` (root, or user namespaces) gives the child a network namespace whose only
interface is a loopback that is down: any connection, DNS lookup included, fails at once.
The offline tests must not notice; `--probe` must report `error`, not hang, within its deadline.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import time
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]
SUBSET = ["tests/rules", "tests/test_cli.py", "tests/test_document.py", "tests/test_schema.py"]
PROBE_TIMEOUT = 3.0

pytestmark = pytest.mark.slow


def _unshare() -> list[str]:
    unshare = shutil.which("unshare")
    if unshare is None:
        pytest.skip("unshare (util-linux) is not installed")
    probe = subprocess.run([unshare, "-n", "true"], capture_output=True, text=True, check=False)
    if probe.returncode != 0:
        pytest.skip(f"`unshare -n` is not permitted here: {probe.stderr.strip()}")
    return [unshare, "-n"]


def _outcomes(prefix: list[str], report: Path) -> dict[str, str]:
    """Run the offline subset (optionally inside the namespace) and read each test's outcome."""
    env = {**os.environ, "CI": "true"}  # the derandomised hypothesis profile: the same examples both times
    command = [
        *prefix,
        sys.executable,
        "-m",
        "pytest",
        "-q",
        "-p",
        "no:cacheprovider",
        "-m",
        "not services",
        f"--junitxml={report}",
        *SUBSET,
    ]
    done = subprocess.run(command, cwd=REPO, env=env, capture_output=True, text=True, timeout=300, check=False)
    assert report.exists(), done.stdout[-2000:] + done.stderr[-2000:]
    outcomes = {}
    for case in ET.parse(report).iter("testcase"):
        kinds = [child.tag for child in case if child.tag in ("failure", "error", "skipped")]
        outcomes[f"{case.get('classname')}::{case.get('name')}"] = kinds[0] if kinds else "passed"
    return outcomes


def test_offline_suite_is_identical_without_network(tmp_path: Path) -> None:
    prefix = _unshare()
    outside = _outcomes([], tmp_path / "outside.xml")
    inside = _outcomes(prefix, tmp_path / "inside.xml")
    assert len(outside) > 100
    assert inside == outside
    assert set(outside.values()) <= {"passed", "skipped"}


VALUES = """\
image:
  tag: v2.14.1
backendStore:
  createSecret:
    backendStoreUri: {uri}
trackingServer:
  mode: serve-artifacts
  artifactsDestination: s3://mlflow-artifacts/prod
extraEnv:
  - name: MLFLOW_S3_ENDPOINT_URL
    value: "http://10.1.2.3:9000"
  - name: AWS_ACCESS_KEY_ID
    value: AKIAZ7EXAMPLEKEYNS01
  - name: AWS_SECRET_ACCESS_KEY
    value: wJalrXUtnFEMI/K7MDENG/bPxRfiCYnamespace01
"""


@pytest.mark.parametrize(
    "uri",
    [
        "postgresql://mlflow:Zq8-very-long-db-pass@db.example.internal:5432/mlflow",  # DNS fails
        "mysql+pymysql://mlflow:Zq8-very-long-db-pass@10.1.2.3:3306/mlflow",  # connect fails
    ],
)
def test_probe_reports_error_not_a_hang(tmp_path: Path, uri: str) -> None:
    prefix = _unshare()
    if (
        "--probe"
        not in subprocess.run(
            [sys.executable, "-m", "mlflow_lint", "--help"], capture_output=True, text=True, check=False
        ).stdout
    ):
        pytest.skip("this build has no --probe")
    values = tmp_path / "values.yaml"
    values.write_text(VALUES.format(uri=uri), encoding="utf-8")
    command = [
        *prefix,
        sys.executable,
        "-m",
        "mlflow_lint",
        "--isolated",
        "--format",
        "json",
        "--probe",
        "--probe-timeout",
        str(PROBE_TIMEOUT),
        str(values),
    ]
    started = time.monotonic()
    done = subprocess.run(command, capture_output=True, text=True, timeout=PROBE_TIMEOUT + 30, check=False)
    seconds = time.monotonic() - started
    assert done.returncode in (1, 4), done.stderr
    probes = json.loads(done.stdout)["probes"]
    assert probes and {p["status"] for p in probes} == {"error"}, probes
    # The deadline + 1 s, plus interpreter start and SDK imports on a loaded machine: generous, since
    # a probe without a deadline would wait on the unreachable address for minutes.
    assert seconds < PROBE_TIMEOUT + 1 + 8
