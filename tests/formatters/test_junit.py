"""JUnit XML: well-formed, one suite per file, one test case per finding."""

from __future__ import annotations

import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

from mlflow_lint.engine import Report
from mlflow_lint.finding import Finding, Severity
from mlflow_lint.formatters import Output
from mlflow_lint.formatters.junit import render
from tests.conftest import REPO

INPUTS = ("tests/data/values/formatters-findings.yaml", "tests/data/values/formatters-clean.yaml")


@pytest.fixture
def junit(run_cli, monkeypatch: pytest.MonkeyPatch) -> ET.Element:
    monkeypatch.chdir(REPO)
    _, out, _ = run_cli("--isolated", "--select", "MLF002,MLF003,MLF005,MLF006", "--format", "junit", *INPUTS)
    return ET.fromstring(out)


def test_structure(junit: ET.Element) -> None:
    assert junit.tag == "testsuites"
    suites = junit.findall("testsuite")
    assert [s.get("name") for s in suites] == list(INPUTS)
    cases = {c.get("name"): c for c in suites[0].findall("testcase")}
    # One test case per finding (readers show only the first failure of a case), in file order.
    assert list(cases) == [
        "MLF003 unused-suppression at 3:1",
        "MLF002 schema-violation at 4:15 (replicaCount)",
        "MLF005 unknown-key at 8:3 (trackingServer.prot)",
        "MLF005 unknown-key at 12:3 (service.nodePortt)",
        "MLF006 duplicate-key at 13:3 (service.type)",
        "MLF002 schema-violation at 16:12 (extraEnv[0].value)",
    ]
    assert all(c.get("classname") == INPUTS[0] for c in cases.values())
    assert all(len(c.findall("failure")) + len(c.findall("skipped")) == 1 for c in cases.values())
    suppressed = [name for name, c in cases.items() if c.find("skipped") is not None]
    assert suppressed == [
        "MLF005 unknown-key at 12:3 (service.nodePortt)",
        "MLF006 duplicate-key at 13:3 (service.type)",
    ]
    assert "suppressed" in cases[suppressed[0]].find("skipped").get("message", "")  # type: ignore[union-attr]
    [clean] = suites[1].findall("testcase")
    assert list(clean) == [] and clean.get("classname") == INPUTS[1]


def test_counts_add_up(junit: ET.Element) -> None:
    suites = junit.findall("testsuite")
    for element in [junit, *suites]:
        cases = element.iter("testcase")
        counted = {"tests": 0, "failures": 0, "errors": 0, "skipped": 0}
        for case in cases:
            counted["tests"] += 1
            for key, tag in (("failures", "failure"), ("errors", "error"), ("skipped", "skipped")):
                counted[key] += case.find(tag) is not None
        assert {k: int(element.get(k, "-1")) for k in counted} == counted
    assert junit.get("tests") == "7" and junit.get("failures") == "4" and junit.get("skipped") == "2"


def test_failure_text_has_location_path_and_hint(junit: ET.Element) -> None:
    failure = junit.find(".//testcase[@name='MLF005 unknown-key at 8:3 (trackingServer.prot)']/failure")
    assert failure is not None and failure.get("type") == "error"
    assert failure.get("message", "").startswith(f"{INPUTS[0]}:8:3: error MLF005 unknown key `prot`")
    assert "values path: trackingServer.prot" in (failure.text or "")
    assert "hint: Helm ignores keys" in (failure.text or "")


def test_control_characters_and_input_errors(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    finding = Finding("MLF002", "schema-violation", Severity.ERROR, "v.yaml", 1, 1, "a", 'bad \x01 value <&>"')
    report = Report(findings=[finding], files=1, linted=["v.yaml"], input_errors=["gone.yaml: no such file"])
    root = ET.fromstring(render(report, Output()))
    assert root.find(".//failure").get("message").endswith('bad \\x01 value <&>"')  # escaped, visible
    error = root.find("testsuite[@name='mlflow-lint input']/testcase/error")
    assert error is not None and error.get("message") == "gone.yaml: no such file"
    assert root.get("errors") == "1"


def test_missing_file_still_writes_the_report(run_cli, tmp_path: Path) -> None:
    out_file = tmp_path / "report.xml"
    code, _, err = run_cli("--isolated", "--format", "junit", "-o", str(out_file), str(tmp_path / "gone.yaml"))
    assert code == 2 and "no such file" in err
    assert ET.parse(out_file).getroot().find(".//error") is not None
