"""SARIF: valid against the official 2.1.0 schema, every rule in the driver, stable fingerprints."""

from __future__ import annotations

import json
from functools import cache
from pathlib import Path
from typing import Any

import jsonschema
import pytest

from mlflow_lint.engine import Report
from mlflow_lint.finding import Finding, Severity
from mlflow_lint.formatters import Output
from mlflow_lint.formatters.sarif import render
from mlflow_lint.rules import ALL_RULES
from tests.conftest import REPO

SCHEMA = REPO / "tests" / "data" / "sarif-schema-2.1.0.json"
VALUES = "trackingServer:\n  prot: 5000\nservice:\n  typo: 1  # mlflow-lint: disable=MLF005 -- legacy key\n"


@cache
def validator() -> jsonschema.Draft4Validator:
    schema = json.loads(SCHEMA.read_text(encoding="utf-8"))
    assert schema["$schema"] == "http://json-schema.org/draft-04/schema#"
    jsonschema.Draft4Validator.check_schema(schema)
    return jsonschema.Draft4Validator(schema, format_checker=jsonschema.Draft4Validator.FORMAT_CHECKER)


def assert_valid(log: dict[str, Any]) -> None:
    errors = sorted(validator().iter_errors(log), key=lambda e: list(e.absolute_path))
    assert not errors, "\n".join(f"{list(e.absolute_path)}: {e.message}" for e in errors[:10])


@pytest.fixture
def sarif(run_cli, tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    """Lint `text` as tmp/<name> from tmp (so the URI is relative) and return the SARIF log."""
    monkeypatch.chdir(tmp_path)

    def lint(text: str, *flags: str, name: str = "values.yaml") -> dict[str, Any]:
        """Only MLF005 unless flags say otherwise, so rules added later do not change results."""
        Path(name).parent.mkdir(parents=True, exist_ok=True)
        Path(name).write_text(text, encoding="utf-8")
        _, out, _ = run_cli("--isolated", "--format", "sarif", *(flags or ("--select", "MLF005")), name)
        return json.loads(out)

    return lint


def test_valid_against_the_official_schema(sarif) -> None:
    log = sarif(VALUES)
    assert_valid(log)
    assert log["version"] == "2.1.0" and len(log["runs"]) == 1


def test_valid_with_every_rule_on_realistic_values(sarif) -> None:
    for example in sorted((REPO / "examples").glob("*.yaml")):
        text = example.read_text(encoding="utf-8") + "trackingServer:\n  prot: 1\n"
        assert_valid(sarif(text, "--ignore", "MLF006"))


def test_schema_rejects_a_broken_log() -> None:
    """The validation has teeth: a result without a message is refused."""
    broken = {"version": "2.1.0", "runs": [{"tool": {"driver": {"name": "x"}}, "results": [{"ruleId": "X"}]}]}
    assert list(validator().iter_errors(broken))


def test_driver_lists_every_rule_with_its_docs(sarif) -> None:
    rules = sarif(VALUES)["runs"][0]["tool"]["driver"]["rules"]
    assert [r["id"] for r in rules] == [r.code for r in ALL_RULES]
    for descriptor, rule in zip(rules, ALL_RULES, strict=True):
        assert descriptor["name"] == rule.name
        assert descriptor["shortDescription"]["text"] == rule.summary
        assert descriptor["fullDescription"]["text"].startswith(rule.summary)
        assert descriptor["help"]["text"] == rule.doc
        assert "**Fix:**" in descriptor["help"]["markdown"]
        level = {Severity.ERROR: "error", Severity.WARNING: "warning", Severity.INFO: "note"}[rule.severity]
        assert descriptor["defaultConfiguration"]["level"] == level


def test_results_locations_and_rule_index(sarif) -> None:
    log = sarif(VALUES, name="deploy/my values.yaml")
    run = log["runs"][0]
    unknown = next(r for r in run["results"] if "suppressions" not in r)
    assert run["tool"]["driver"]["rules"][unknown["ruleIndex"]]["id"] == unknown["ruleId"] == "MLF005"
    assert unknown["level"] == "error"
    location = unknown["locations"][0]
    assert location["physicalLocation"]["artifactLocation"] == {
        "uri": "deploy/my%20values.yaml",
        "uriBaseId": "%SRCROOT%",
    }
    assert location["physicalLocation"]["region"] == {"startLine": 2, "startColumn": 3}
    assert location["logicalLocations"] == [{"fullyQualifiedName": "trackingServer.prot", "kind": "property"}]
    assert "did you mean" in unknown["message"]["text"]


def test_suppressed_findings_carry_suppressions(sarif) -> None:
    results = sarif(VALUES)["runs"][0]["results"]
    suppressed = [r for r in results if "suppressions" in r]
    assert [s["suppressions"] for s in suppressed] == [[{"kind": "inSource", "justification": "legacy key"}]]


def test_fingerprints_do_not_change_when_lines_move(sarif) -> None:
    before = sarif(VALUES)["runs"][0]["results"]
    after = sarif("# a comment\n\n# another\n" + VALUES)["runs"][0]["results"]
    assert [r["partialFingerprints"] for r in before] == [r["partialFingerprints"] for r in after]
    assert [r["locations"][0]["physicalLocation"]["region"]["startLine"] for r in after] == [5, 7]
    assert len({r["partialFingerprints"]["mlflowLint/v1"] for r in before}) == 2


def _report(*findings: Finding, errors: tuple[str, ...] = ()) -> Report:
    return Report(findings=list(findings), files=1, linted=["values.yaml"], input_errors=list(errors))


def test_whole_file_findings_and_files_outside_the_working_directory(tmp_path: Path, monkeypatch) -> None:
    monkeypatch.chdir(tmp_path)
    outside = str(tmp_path.parent / "elsewhere.yaml")
    log = json.loads(
        render(
            _report(
                Finding("MLF011", "unreadable-encoding", Severity.ERROR, "values.yaml", 0, 0, "", "not UTF-8"),
                Finding("MLF010", "multiple-documents", Severity.INFO, outside, 3, 0, "", "two documents"),
            ),
            Output(),
        )
    )
    assert_valid(log)
    first, second = (r["locations"][0]["physicalLocation"] for r in log["runs"][0]["results"])
    assert first["region"] == {"startLine": 1}
    assert second["artifactLocation"] == {"uri": Path(outside).as_uri()}
    assert second["region"] == {"startLine": 3}
    assert log["runs"][0]["results"][1]["level"] == "note"


def test_input_errors_become_notifications(tmp_path: Path) -> None:
    log = json.loads(render(_report(errors=("missing.yaml: no such file",)), Output()))
    assert_valid(log)
    invocation = log["runs"][0]["invocations"][0]
    assert invocation["executionSuccessful"] is False
    assert invocation["toolExecutionNotifications"][0]["message"]["text"] == "missing.yaml: no such file"


def test_repeated_keys_get_distinct_fingerprints() -> None:
    unused = [
        Finding("MLF003", "unused-suppression", Severity.WARNING, "values.yaml", line, 1, "", "unused")
        for line in (2, 9, 30)
    ]
    results = json.loads(render(_report(*unused), Output()))["runs"][0]["results"]
    prints = [r["partialFingerprints"]["mlflowLint/v1"] for r in results]
    assert prints[1:] == [f"{prints[0]}:2", f"{prints[0]}:3"] and ":" not in prints[0]
