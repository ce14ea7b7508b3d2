"""SARIF 2.1.0 for GitHub code scanning (and any other SARIF consumer), built as plain dicts.

The driver lists every rule of the catalogue, so code scanning can show the documentation of
any alert. Locations are relative to the working directory under `%SRCROOT%` (run the linter
from the repository root, as GitHub resolves them against the checkout). `partialFingerprints`
carry `Finding.fingerprint` (code, file, path identity; no line, nothing of a secret), so alerts keep
their identity when lines move. Suppressed findings stay in the log with `suppressions`.
With `--probe`, each probe result is a `toolExecutionNotification` of the invocation (level
note/warning/error, the values line that configured it, the JSON record in `properties.probe`).
"""

from __future__ import annotations

import json
import re
from collections import Counter
from pathlib import Path
from urllib.parse import quote

from mlflow_lint import __version__
from mlflow_lint.engine import Report
from mlflow_lint.finding import Finding, Severity
from mlflow_lint.formatters import Output
from mlflow_lint.formatters.escape import printable
from mlflow_lint.formatters.json_ import probe_dict
from mlflow_lint.formatters.locations import relative_path
from mlflow_lint.rules import ALL_RULES
from mlflow_lint.rules.base import DOC_HEADINGS, Rule

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any

    from mlflow_lint.probes.base import ProbeResult

SCHEMA_URI = "https://json.schemastore.org/sarif-2.1.0.json"
FINGERPRINT_KEY = "mlflowLint/v1"
LEVELS = {Severity.ERROR: "error", Severity.WARNING: "warning", Severity.INFO: "note"}
FAMILIES = {
    "0": "file",
    "1": "backend-store",
    "2": "artifact-store",
    "3": "secrets",
    "4": "server",
    "5": "basic-auth-ini",
    "6": "environment",
    "7": "secret-manifests",
    "9": "probes",
}
_HEADING = re.compile("^(" + "|".join(re.escape(h) for h in DOC_HEADINGS) + ")", re.MULTILINE)


def render(report: Report, out: Output) -> str:
    return json.dumps(as_dict(report), indent=2, ensure_ascii=False) + "\n"


def as_dict(report: Report) -> dict[str, Any]:
    """The whole SARIF log: one run of mlflow-lint."""
    index = {rule.code: i for i, rule in enumerate(ALL_RULES)}
    new = report.baseline is not None
    results = [result(f, index.get(f.code), new) for f in report.findings]
    _number_repeats(results)
    run: dict[str, Any] = {
        "tool": {
            "driver": {"name": "mlflow-lint", "version": __version__, "rules": [rule_descriptor(r) for r in ALL_RULES]}
        },
        "invocations": [_invocation(report)],
        "columnKind": "unicodeCodePoints",
        "results": results,
    }
    return {"$schema": SCHEMA_URI, "version": "2.1.0", "runs": [run]}


def rule_descriptor(rule: Rule) -> dict[str, Any]:
    """A reportingDescriptor from the rule's docstring."""
    sections = doc_sections(rule.doc)
    why = sections.get("Why it matters:", "")
    return {
        "id": rule.code,
        "name": rule.name,
        "shortDescription": {"text": rule.summary},
        "fullDescription": {"text": f"{sections['']} {why}".strip()},
        "help": {"text": rule.doc, "markdown": _markdown(rule, sections)},
        "defaultConfiguration": {"level": LEVELS[rule.severity]},
        "properties": {"tags": ["mlflow", FAMILIES.get(rule.code[3:4], "other")]},
    }


def doc_sections(doc: str) -> dict[str, str]:
    """'' -> the summary paragraph, then each heading -> its text, lines joined by spaces."""
    parts = _HEADING.split(doc)
    sections = {"": _join(parts[0])}
    for heading, text in zip(parts[1::2], parts[2::2], strict=True):
        sections[heading] = _join(text)
    return sections


def _join(text: str) -> str:
    return " ".join(text.split())


def _markdown(rule: Rule, sections: dict[str, str]) -> str:
    lines = [f"**{rule.code} `{rule.name}`**: {sections['']}"]
    lines.extend(f"**{h}** {sections[h]}" for h in DOC_HEADINGS if h in sections)
    return "\n\n".join(lines)


def result(finding: Finding, rule_index: int | None, new: bool) -> dict[str, Any]:
    """One SARIF result; `new` marks results reported against a baseline."""
    message, hint = printable(finding.message), printable(finding.hint)
    text = f"{message}\nhint: {hint}" if hint else message
    data: dict[str, Any] = {"ruleId": finding.code}
    if rule_index is not None:
        data["ruleIndex"] = rule_index
    data.update(
        {
            "level": LEVELS[finding.severity],
            "message": {"text": text},
            "locations": [_location(finding)],
            "partialFingerprints": {FINGERPRINT_KEY: finding.fingerprint},
        }
    )
    if finding.suppressed is not None:
        data["suppressions"] = [{"kind": "inSource", "justification": printable(finding.suppressed)}]
    if new:
        data["baselineState"] = "new"
    return data


def _number_repeats(results: list[dict[str, Any]]) -> None:
    """Findings with the same key (e.g. two unused directives in one file) get `:2`, `:3`...

    Code scanning merges results with equal fingerprints; numbering them in file order keeps
    them apart and still stable when lines move.
    """
    seen: Counter[str] = Counter()
    for item in results:
        prints = item["partialFingerprints"]
        seen[prints[FINGERPRINT_KEY]] += 1
        if seen[prints[FINGERPRINT_KEY]] > 1:
            prints[FINGERPRINT_KEY] += f":{seen[prints[FINGERPRINT_KEY]]}"


def _location(finding: Finding) -> dict[str, Any]:
    # GitHub requires a startLine: a finding about the whole file (line 0) points at line 1.
    region: dict[str, Any] = {"startLine": max(finding.line, 1)}
    if finding.line > 0 and finding.column > 0:
        region["startColumn"] = finding.column
    physical = {"artifactLocation": artifact_location(finding.file), "region": region}
    location: dict[str, Any] = {"physicalLocation": physical}
    if finding.path:
        location["logicalLocations"] = [{"fullyQualifiedName": printable(finding.path), "kind": "property"}]
    return location


def artifact_location(name: str) -> dict[str, Any]:
    """Relative to `%SRCROOT%` (the working directory); an absolute file: URI outside it."""
    rel = relative_path(name)
    if rel is None:
        return {"uri": Path(name).resolve().as_uri()}
    return {"uri": quote(rel, safe="/"), "uriBaseId": "%SRCROOT%"}


def _invocation(report: Report) -> dict[str, Any]:
    notes = [{"level": "error", "message": {"text": printable(problem)}} for problem in report.input_errors]
    notes.extend(probe_notification(p) for p in report.probes)
    data: dict[str, Any] = {"executionSuccessful": not report.input_errors}
    if notes:
        data["toolExecutionNotifications"] = notes
    return data


# A probe that failed is also an MLF901 result; the notification is the probe's own record.
PROBE_LEVELS = {"ok": "note", "planned": "note", "skipped": "note", "fail": "error", "error": "warning"}


def probe_notification(probe: ProbeResult) -> dict[str, Any]:
    """One --probe result as a toolExecutionNotification, the full record in `properties.probe`."""
    target = f" `{probe.target}`" if probe.target else ""
    data: dict[str, Any] = {
        "level": PROBE_LEVELS.get(probe.status, "note"),
        "message": {"text": printable(f"probe {probe.name} ({probe.role}){target}: {probe.status}: {probe.reason}")},
        "descriptor": {"id": f"probe/{probe.name}"},
        "properties": {"probe": probe_dict(probe)},
    }
    if probe.file:
        region = {"startLine": max(probe.line, 1)}
        data["locations"] = [
            {"physicalLocation": {"artifactLocation": artifact_location(probe.file), "region": region}}
        ]
    return data
