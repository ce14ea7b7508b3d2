"""The command line: exit codes, output contracts, several files, colour."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import REPO

BAD = 'trackingServer:\n  port: "5000"\n'


@pytest.fixture
def files(tmp_path: Path) -> dict[str, Path]:
    out = {}
    for name, text in {
        "clean.yaml": "replicaCount: 1\n",
        "bad.yaml": BAD,
        "broken.yaml": "a: [1\n",
        "warn.yaml": "a: 1\n---\nb: 2\n",
    }.items():
        (tmp_path / name).write_text(text)
        out[name] = tmp_path / name
    return out


def test_exit_0_when_clean(run_cli, files) -> None:
    code, out, _ = run_cli("--isolated", "--select", "MLF0", str(files["clean.yaml"]))
    assert code == 0 and "No problems found in 1 file." in out


def test_exit_1_on_errors_and_yaml_syntax(run_cli, files) -> None:
    assert run_cli("--isolated", str(files["bad.yaml"]))[0] == 1
    code, out, _ = run_cli("--isolated", str(files["broken.yaml"]))
    assert code == 1 and ":2:1: error MLF001" in out


def test_fail_on_decides_the_exit_code(run_cli, files) -> None:
    assert run_cli("--isolated", "--select", "MLF010", str(files["warn.yaml"]))[0] == 0
    assert run_cli("--isolated", "--select", "MLF010", "--fail-on", "warning", str(files["warn.yaml"]))[0] == 1


@pytest.mark.parametrize("argv", [["--no-such-flag", "x.yaml"], ["missing.yaml"], []])
def test_exit_2_on_usage_problems(run_cli, argv: list[str]) -> None:
    with pytest.raises(SystemExit) if argv[:1] == ["--no-such-flag"] else _nothing() as caught:
        code = run_cli("--isolated", *argv)[0]
    assert (caught.value.code if caught else code) == 2


class _nothing:
    value = None

    def __enter__(self):
        return None

    def __exit__(self, *exc: object) -> bool:
        return False


def test_other_files_are_still_linted_when_one_is_missing(run_cli, files) -> None:
    code, out, err = run_cli("--isolated", str(files["bad.yaml"]), "missing.yaml")
    assert code == 2 and "MLF002" in out and "missing.yaml: no such file" in err


def test_exit_3_on_internal_error_without_traceback(run_cli, files, monkeypatch) -> None:
    import mlflow_lint.engine as engine

    def boom(*args: object, **kwargs: object) -> None:
        raise RuntimeError("secret-ish detail")

    monkeypatch.setattr(engine, "lint_values", boom)
    code, _out, err = run_cli("--isolated", str(files["clean.yaml"]))
    assert code == 3 and "internal error (RuntimeError); please report" in err
    assert "Traceback" not in err and "secret-ish" not in err
    code, _, err = run_cli("--isolated", "--debug", str(files["clean.yaml"]))
    assert code == 3 and "Traceback" in err


def test_several_files_are_linted_independently(run_cli, files) -> None:
    _code, out, _ = run_cli("--isolated", "--select", "MLF0", "--format", "json", *map(str, files.values()))
    report = json.loads(out)
    assert report["summary"]["files"] == 4
    assert {Path(f["file"]).name for f in report["findings"]} == {"bad.yaml", "broken.yaml", "warn.yaml"}


def test_json_contract(run_cli, files) -> None:
    _, out, _ = run_cli("--isolated", "--select", "MLF0", "--format", "json", str(files["bad.yaml"]))
    report = json.loads(out)
    assert report["version"] == 1 and report["tool"]["name"] == "mlflow-lint"
    finding = report["findings"][0]
    for key in ("code", "name", "severity", "file", "line", "column", "path", "message", "hint"):
        assert key in finding
    assert (finding["code"], finding["name"], finding["line"], finding["column"], finding["path"]) == (
        "MLF002",
        "schema-violation",
        2,
        9,
        "trackingServer.port",
    )
    assert {"error": 1, "warning": 0, "info": 0, "files": 1}.items() <= report["summary"].items()


def test_text_format_has_position_severity_code_hint_and_summary(run_cli, files) -> None:
    _, out, _ = run_cli("--isolated", "--select", "MLF0", str(files["bad.yaml"]))
    first, *_rest = out.splitlines()
    assert first.startswith(f"{files['bad.yaml']}:2:9: error MLF002 ")
    assert out.rstrip().endswith("Found 1 error, 0 warnings, 0 info in 1 file.")


def test_color_only_on_a_tty_and_never_with_no_color(files) -> None:
    script = (
        "import sys, mlflow_lint.cli as c; sys.stdout.isatty = lambda: True; "
        f"sys.exit(c.main(['--isolated', {str(files['bad.yaml'])!r}]))"
    )
    env = {**os.environ, "NO_COLOR": ""}
    colored = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, env=env)
    assert "\033[" in colored.stdout
    env["NO_COLOR"] = "1"
    plain = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, env=env)
    assert "\033[" not in plain.stdout
    piped = subprocess.run(
        [sys.executable, "-m", "mlflow_lint", "--isolated", str(files["bad.yaml"])], capture_output=True, text=True
    )
    assert piped.returncode == 1 and "\033[" not in piped.stdout


def test_rules_and_explain(run_cli) -> None:
    code, out, _ = run_cli("rules")
    assert code == 0 and "MLF005  unknown-key" in out
    code, out, _ = run_cli("explain", "MLF005")
    assert code == 0 and "Why it matters:" in out and "Fix:" in out
    assert run_cli("explain", "unknown-key")[1] == out
    assert run_cli("explain", "MLF999")[0] == 2
    rows = json.loads(run_cli("rules", "--format", "json")[1])
    assert any(r["code"] == "MLF001" for r in rows)


def test_examples_lint_clean_from_another_directory(tmp_path: Path) -> None:
    for example in sorted((REPO / "examples").glob("*.yaml")):
        result = subprocess.run(
            [sys.executable, "-m", "mlflow_lint", str(example)], cwd=tmp_path, capture_output=True, text=True
        )
        assert result.returncode == 0, result.stdout + result.stderr


def test_many_files_are_linted_in_worker_processes_with_the_same_results(run_cli, tmp_path: Path) -> None:
    from mlflow_lint import engine

    names = []
    for index in range(engine.PARALLEL_MIN_FILES + 3):
        path = tmp_path / f"v{index}.yaml"
        path.write_text(BAD if index % 3 == 0 else "replicaCount: 1\n")
        names.append(str(path))
    names.append(str(tmp_path / "missing.yaml"))
    code, out, err = run_cli("--isolated", "--select", "MLF0", "--format", "json", *names)
    report = json.loads(out)
    assert code == 2 and "missing.yaml: no such file" in err
    assert report["summary"]["files"] == len(names) - 1
    lines = sorted((Path(f["file"]).name, f["line"]) for f in report["findings"])
    assert lines == sorted((f"v{i}.yaml", 2) for i in range(0, engine.PARALLEL_MIN_FILES + 3, 3))
