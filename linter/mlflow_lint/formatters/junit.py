"""JUnit XML, the test-report format Jenkins, GitLab and Azure DevOps read.

One `<testsuite>` per linted file; one `<testcase>` per finding, named by its rule and
position, with one `<failure>` (every severity: JUnit knows no warnings; the exit code still
follows `--fail-on`). One case per finding because readers (GitLab, Jenkins, Azure DevOps)
show only the first failure of a case. A file without findings gets one passing test case so
that it shows up as checked. A suppressed finding is a `<skipped>` test case. Files that could not
be read are `<error>` test cases in a suite of their own. With `--probe`, the suite
`mlflow-lint probes` has one test case per probe: `ok` passes, `fail` is a `<failure>`,
`error` an `<error>`, `skipped` (and `planned`, with `--probe-plan`) is `<skipped>`.
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET

from mlflow_lint.engine import Report
from mlflow_lint.finding import Finding
from mlflow_lint.formatters import Output
from mlflow_lint.formatters.escape import printable
from mlflow_lint.formatters.locations import display_path

CLEAN_CASE = "mlflow-lint"
PROBE_SUITE = "mlflow-lint probes"
# Characters XML 1.0 cannot carry, even escaped (control characters in quoted values).
_NOT_XML = re.compile("[^\t\n\r\x20-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")


def render(report: Report, out: Output) -> str:
    root = ET.Element("testsuites", name="mlflow-lint")
    for name, findings in _by_file(report).items():
        root.append(_suite(name, findings))
    if report.probes:
        root.append(_probe_suite(report))
    if report.input_errors:
        root.append(_error_suite(report.input_errors))
    _count(root, root.findall("testsuite"))
    ET.indent(root)
    return '<?xml version="1.0" encoding="UTF-8"?>\n' + ET.tostring(root, encoding="unicode") + "\n"


def _by_file(report: Report) -> dict[str, list[Finding]]:
    """Linted files in order (clean ones too), then files only findings name (Secret manifests)."""
    files: dict[str, list[Finding]] = {printable(display_path(name)): [] for name in report.linted}
    for finding in report.findings:
        files.setdefault(printable(display_path(finding.file)), []).append(finding)
    return files


def _suite(name: str, findings: list[Finding]) -> ET.Element:
    suite = ET.Element("testsuite", name=name)
    if not findings:
        ET.SubElement(suite, "testcase", name=CLEAN_CASE, classname=name, file=name)
    for finding in sorted(findings, key=lambda f: (f.line, f.column, f.code, f.path)):
        suite.append(_case(name, finding))
    return suite


def _case(file: str, finding: Finding) -> ET.Element:
    """One finding: a failure, or skipped when an inline directive suppresses it."""
    title = f"{finding.code} {finding.name} at {finding.line}:{finding.column}"
    if finding.path:
        title += f" ({finding.path})"
    case = ET.Element("testcase", name=_clean(printable(title)), classname=file, file=file, line=str(finding.line))
    if finding.suppressed is not None:
        ET.SubElement(case, "skipped", message=_clean(f"suppressed ({finding.suppressed}): {_headline(finding)}"))
        return case
    failure = ET.SubElement(case, "failure", message=_clean(_headline(finding)), type=finding.severity.label)
    failure.text = _clean(_details(finding))
    return case


def _headline(finding: Finding) -> str:
    return (
        f"{printable(finding.file)}:{finding.line}:{finding.column}: {finding.severity.label} {finding.code} "
        f"{printable(finding.message)}"
    )


def _details(finding: Finding) -> str:
    lines = [_headline(finding)]
    if finding.path:
        lines.append(f"values path: {printable(finding.path)}")
    if finding.hint:
        lines.append(f"hint: {printable(finding.hint)}")
    return "\n".join(lines)


def _probe_suite(report: Report) -> ET.Element:
    """One test case per probe: ok passes, fail is a failure, error an error, skipped/planned skipped."""
    suite = ET.Element("testsuite", name=PROBE_SUITE)
    for p in report.probes:
        target = f" `{printable(p.target)}`" if p.target else ""
        case = ET.SubElement(
            suite,
            "testcase",
            name=_clean(f"{p.name} ({p.role})"),
            classname=PROBE_SUITE,
            time=f"{p.duration_ms / 1000:.3f}",
        )
        if p.file:
            case.set("file", printable(display_path(p.file)))
        where = f" at {display_path(p.file)}:{p.line} ({p.path})" if p.file else f" at {p.path}"
        text = _clean(f"{p.role}{target}{printable(where)}: {printable(p.reason)}")
        tag = {"fail": "failure", "error": "error"}.get(p.status)
        if tag:
            element = ET.SubElement(case, tag, message=text, type=f"probe-{p.status}")
            element.text = _clean(f"{text}\ncredentials: {p.credentials}" if p.credentials else text)
        elif p.status in ("skipped", "planned"):
            ET.SubElement(case, "skipped", message=text if p.status == "skipped" else _clean(f"planned: {text}"))
        else:
            ET.SubElement(case, "system-out").text = text
    return suite


def _error_suite(problems: list[str]) -> ET.Element:
    suite = ET.Element("testsuite", name="mlflow-lint input")
    for problem in problems:
        case = ET.SubElement(suite, "testcase", name=printable(problem.split(": ", 1)[0]), classname="input")
        ET.SubElement(case, "error", message=printable(problem), type="input-error")
    return suite


def _count(root: ET.Element, suites: list[ET.Element]) -> None:
    """tests/failures/errors/skipped on every suite and on the root, as the readers expect."""
    totals = dict.fromkeys(("tests", "failures", "errors", "skipped"), 0)
    for suite in suites:
        cases = suite.findall("testcase")
        # Counts are of test cases (as JUnit readers count them), not of findings.
        numbers = {"tests": len(cases)} | {
            key: sum(1 for c in cases if c.find(tag) is not None)
            for key, tag in (("failures", "failure"), ("errors", "error"), ("skipped", "skipped"))
        }
        for key, value in numbers.items():
            suite.set(key, str(value))
            totals[key] += value
    for key, value in totals.items():
        root.set(key, str(value))


def _clean(text: str) -> str:
    return _NOT_XML.sub("\ufffd", text)
