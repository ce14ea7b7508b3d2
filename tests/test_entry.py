"""The `mlflow-lint` process (entry.run): exit codes and output survive skipping the teardown."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

from tests.conftest import python_stdout

# > a 64 KiB pipe buffer; under a seed key, so that each is an unknown key of the seed chart
MANY_FINDINGS = "trackingServer:\n" + "".join(f"  unknownKey{index}: 1\n" for index in range(1500))


def lint(*argv: str, cwd: Path | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "mlflow_lint", "--isolated", *argv],
        capture_output=True,
        text=True,
        cwd=cwd,
        check=False,
        timeout=120,
    )


def test_the_exit_code_is_the_lints(tmp_path: Path) -> None:
    (tmp_path / "clean.yaml").write_text("replicaCount: 1\n")
    (tmp_path / "bad.yaml").write_text('trackingServer:\n  port: "5000"\n')
    assert lint("clean.yaml", cwd=tmp_path).returncode == 0
    assert lint("bad.yaml", cwd=tmp_path).returncode == 1
    missing = lint("missing.yaml", cwd=tmp_path)
    assert missing.returncode == 2 and "missing.yaml" in missing.stderr


def test_buffered_output_is_flushed_before_the_process_ends(tmp_path: Path) -> None:
    values = tmp_path / "values.yaml"
    values.write_text(MANY_FINDINGS)
    done = lint("--format", "json", str(values))
    report = json.loads(done.stdout)  # complete: not cut at a buffer boundary
    assert done.returncode == 1 and len(report["findings"]) >= 1500 and done.stderr == ""


def test_a_reader_that_goes_away_gets_no_traceback(tmp_path: Path) -> None:
    values = tmp_path / "values.yaml"
    values.write_text(MANY_FINDINGS)
    reader = "import sys; sys.stdin.buffer.read(10)"  # reads a little, then exits: `| head -c 10`
    with subprocess.Popen([sys.executable, "-c", reader], stdin=subprocess.PIPE) as head:
        done = subprocess.run(
            [sys.executable, "-m", "mlflow_lint", "--isolated", "--format", "json", str(values)],
            stdout=head.stdin,
            stderr=subprocess.PIPE,
            text=True,
            check=False,
            timeout=120,
        )
        assert head.stdin is not None
        head.stdin.close()
    assert done.returncode in (0, 1) and done.stderr == ""  # no "BrokenPipeError", no "Exception ignored"


def test_the_library_entry_point_leaves_the_collector_as_it_found_it() -> None:
    lint = "c.main(['--isolated', '/nonexistent.yaml'])"
    script = (
        f"import gc, mlflow_lint.cli as c; {lint}; a = gc.isenabled(); gc.disable(); {lint}; print(a, gc.isenabled())"
    )
    assert python_stdout(script).splitlines()[-1] == "True False"
