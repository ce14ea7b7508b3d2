"""Shared fixtures: an autouse guard that makes offline tests unable to open sockets."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import hypothesis
import pytest

from mlflow_lint.cli import main

REPO = Path(__file__).resolve().parents[1]

pytest_plugins = ["tests.services.fixtures"]

# Property tests (tests/fuzz, tests/hostile): the same examples on every CI run, no flaky deadlines.
hypothesis.settings.register_profile("ci", derandomize=True, deadline=None, print_blob=True)
if os.environ.get("CI") == "true":
    hypothesis.settings.load_profile("ci")


def python_stdout(script: str) -> str:
    """Run `script` in a fresh interpreter (nothing imported yet); its stdout, once it exited 0."""
    result = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, check=False)
    assert result.returncode == 0, result.stderr
    return result.stdout


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption("--update-golden", action="store_true", help="rewrite tests/formatters/golden/ files")


@pytest.fixture
def update_golden(request: pytest.FixtureRequest) -> bool:
    return bool(request.config.getoption("--update-golden"))


@pytest.fixture(autouse=True)
def _not_in_github_actions(monkeypatch: pytest.MonkeyPatch) -> None:
    """`--format auto` means `github` under GitHub Actions; tests expect text unless they set it."""
    monkeypatch.delenv("GITHUB_ACTIONS", raising=False)


@pytest.fixture(autouse=True)
def _no_network(request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """Offline tests must not connect anywhere; tests marked `services` may (to loopback)."""
    if request.node.get_closest_marker("services") is None:

        def refuse(*args: object, **kwargs: object) -> None:
            raise AssertionError(f"offline test tried to open a network connection: {args[1:]!r}")

        monkeypatch.setattr(socket.socket, "connect", refuse)
        monkeypatch.setattr(socket.socket, "connect_ex", refuse)
        monkeypatch.setattr(socket, "create_connection", refuse)
        monkeypatch.setattr(socket, "getaddrinfo", refuse)
    yield


@pytest.fixture
def run_cli(capsys: pytest.CaptureFixture[str]):
    """Run `mlflow-lint` in-process: returns (exit code, stdout, stderr)."""

    def run(*argv: str) -> tuple[int, str, str]:
        code = main(list(argv))
        captured = capsys.readouterr()
        return code, captured.out, captured.err

    return run


@pytest.fixture
def lint_text(tmp_path: Path, run_cli):
    """Lint a YAML string (written to a file) and return the JSON report as a dict."""
    import json

    def lint(text: str, *flags: str, name: str = "values.yaml") -> dict:
        path = tmp_path / name
        path.write_text(text, encoding="utf-8")
        _, out, _ = run_cli("--isolated", "--format", "json", *flags, str(path))
        return json.loads(out)

    return lint
