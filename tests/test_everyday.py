"""Everyday command-line use as ruff and yamllint users expect it (issue 16)."""

from __future__ import annotations

import io
import json
from pathlib import Path

import jsonschema
import pytest

from mlflow_lint.display import use_color

BROKEN = "trackingServer:\n  prot: 5000\n  hots: 0.0.0.0\nreplicaCount: two\n"


@pytest.fixture
def broken(tmp_path: Path) -> str:
    path = tmp_path / "values.yaml"
    path.write_text(BROKEN, encoding="utf-8")
    return str(path)


def test_full_layout_is_the_default(run_cli, broken: str) -> None:
    code, out, _ = run_cli("--isolated", "--select", "MLF005", broken)
    assert code == 1
    assert out.splitlines()[:6] == [
        f"{broken}:2:3: error MLF005 unknown key `prot` under `trackingServer`; did you mean `trackingServer.port`?",
        "  |",
        "2 |   prot: 5000",
        "  |   ^^^^",
        "  = hint: Helm ignores keys the chart does not know, so this setting has no effect",
        "  = help: `mlflow-lint explain MLF005` says why it matters and how to fix it",
    ]


def test_concise_layout_keeps_one_line_per_finding(run_cli, broken: str) -> None:
    _, out, _ = run_cli("--isolated", "--select", "MLF005", "--output-format", "concise", broken)
    assert [line for line in out.splitlines() if not line.startswith("  hint:")][:2] == [
        f"{broken}:2:3: error MLF005 unknown key `prot` under `trackingServer`; did you mean `trackingServer.port`?",
        f"{broken}:3:3: error MLF005 unknown key `hots` under `trackingServer`; did you mean `trackingServer.host`?",
    ]


def test_output_format_also_names_machine_formats(run_cli, broken: str) -> None:
    _, out, _ = run_cli("--isolated", "--output-format", "json", broken)
    assert json.loads(out)["summary"]["error"] >= 3


def test_statistics_count_per_rule(run_cli, broken: str) -> None:
    code, out, _ = run_cli("--isolated", "--select", "MLF002,MLF005", "--statistics", broken)
    assert code == 1
    assert out.splitlines() == [
        "2  MLF005  unknown-key  (error)",
        "1  MLF002  schema-violation  (error)",
        "Found 3 errors, 0 warnings, 0 info in 1 file.",
    ]


def test_quiet_prints_findings_only(run_cli, broken: str, tmp_path: Path) -> None:
    _, out, _ = run_cli("--isolated", "--select", "MLF005", "--quiet", "--output-format", "concise", broken)
    assert not any(line.startswith("Found") for line in out.splitlines()) and out.count("MLF005") == 2
    clean = tmp_path / "clean-values.yaml"
    clean.write_text("replicaCount: 1\n")
    assert run_cli("--isolated", "-q", str(clean)) == (0, "", "")


def test_exit_zero_keeps_the_report(run_cli, broken: str) -> None:
    code, out, _ = run_cli("--isolated", "--exit-zero", broken)
    assert code == 0 and "MLF005" in out
    assert run_cli("--isolated", "--exit-zero", "missing.yaml")[0] == 2  # usage problems still say so


@pytest.mark.parametrize(
    ("choice", "env", "tty", "expected"),
    [
        ("always", {"NO_COLOR": "1"}, False, True),
        ("never", {"FORCE_COLOR": "1"}, True, False),
        ("auto", {}, True, True),
        ("auto", {}, False, False),
        ("auto", {"NO_COLOR": "1"}, True, False),
        ("auto", {"FORCE_COLOR": "1"}, False, True),
        ("auto", {"FORCE_COLOR": "0"}, False, False),
        ("auto", {"TERM": "dumb"}, True, False),
    ],
)
def test_color_choice(choice: str, env: dict[str, str], tty: bool, expected: bool) -> None:
    class Stream(io.StringIO):
        def isatty(self) -> bool:
            return tty

    assert use_color(Stream(), choice, env) is expected


def test_color_always_and_never_on_the_command_line(run_cli, broken: str) -> None:
    assert "\033[" in run_cli("--isolated", "--color", "always", broken)[1]
    assert "\033[" not in run_cli("--isolated", "--color", "never", broken)[1]


def test_show_settings_names_the_config_file(run_cli, tmp_path: Path) -> None:
    (tmp_path / ".mlflow-lint.yaml").write_text("ignore: [MLF4]\nfail-on: warning\n")
    (tmp_path / "values.yaml").write_text(BROKEN)
    code, out, _ = run_cli("--show-settings", "--select", "MLF", str(tmp_path / "values.yaml"))
    assert code == 0
    assert f"config file:    {tmp_path / '.mlflow-lint.yaml'}" in out.splitlines()
    assert "fail-on:        warning" in out.splitlines()
    assert "MLF005" not in out  # nothing was linted


def test_a_missing_file_is_said_not_hidden_behind_a_summary(run_cli) -> None:
    code, out, err = run_cli("--isolated", "missing.yaml")
    assert code == 2 and "missing.yaml: no such file" in err
    assert "No problems found" not in out and "could not be read" in out


def test_unknown_selector_names_the_closest_rules(run_cli, broken: str) -> None:
    code, _, err = run_cli("--isolated", "--select", "NOPE", broken)
    assert code == 2 and "unknown rule selector `NOPE`" in err and len(err) < 200
    _, _, err = run_cli("--isolated", "--ignore", "unknwn-key", broken)
    assert "did you mean `unknown-key` (MLF005)" in err


@pytest.mark.parametrize("command", ["rules", "explain", "schema"])
def test_subcommand_help_exits_0(run_cli, command: str) -> None:
    code, out, _ = run_cli(command, "--help")
    assert code == 0 and out.startswith(f"usage: mlflow-lint {command}")


def test_explain_an_unknown_rule(run_cli) -> None:
    code, _, err = run_cli("explain", "unknwn-key")
    assert code == 2 and "unknown rule `unknwn-key`; did you mean `unknown-key`" in err


@pytest.mark.parametrize("chart", ["seed-v1", "seed-v2"])
def test_schema_command_prints_a_valid_json_schema(run_cli, chart: str) -> None:
    code, out, _ = run_cli("schema", "--chart", chart)
    schema = json.loads(out)
    assert code == 0 and "trackingServer" in schema["properties"]
    jsonschema.validators.validator_for(schema).check_schema(schema)
    validator = jsonschema.validators.validator_for(schema)(schema)
    assert validator.is_valid({"replicaCount": 1}) and not validator.is_valid({"replicaCount": "two"})


def test_schema_default_is_the_latest_revision(run_cli) -> None:
    assert run_cli("schema")[1] == run_cli("schema", "--chart", "seed-v2")[1]


def test_a_collection_as_key_is_an_error_and_the_rest_is_checked(lint_text) -> None:
    report = lint_text("? [x]\n: 1\n? {a: 1}\n: 2\ntrackingServer:\n  prot: 1\n")
    found = [(f["code"], f["line"], f["severity"]) for f in report["findings"]]
    assert found == [("MLF001", 1, "error"), ("MLF001", 3, "error"), ("MLF005", 6, "error")]
    assert "invalid map key" in report["findings"][0]["message"]


@pytest.mark.parametrize(
    ("text", "words"),
    [
        ("? 1\n: x\n", "read by Helm as an integer"),
        ("extraEnv:\n- name: MLFLOW_S3_UPLOAD_EXTRA_ARGS\n  value: '[1]'\n", "is a list in JSON"),
    ],
)
def test_types_are_named_in_words_not_python(lint_text, text: str, words: str) -> None:
    messages = " ".join(f["message"] for f in lint_text(text)["findings"])
    assert words in messages
    assert not any(python in messages for python in ("NoneType", " int ", " a int", " str ", "dict"))
