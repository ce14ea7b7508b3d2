"""Machine output, documented in the README ("JSON contract"); `version` changes on any break."""

from __future__ import annotations

import json
from typing import Any

from mlflow_lint import __version__
from mlflow_lint.engine import Report
from mlflow_lint.finding import Finding, Severity
from mlflow_lint.formatters import Output

SCHEMA_VERSION = 1


def render(report: Report, out: Output) -> str:
    return json.dumps(as_dict(report), indent=2, ensure_ascii=False) + "\n"


def as_dict(report: Report) -> dict[str, Any]:
    active = report.active()
    summary: dict[str, int] = {s.label: sum(1 for f in active if f.severity == s) for s in
                               (Severity.ERROR, Severity.WARNING, Severity.INFO)}
    summary["files"] = report.files
    summary["suppressed"] = len(report.findings) - len(active)
    return {
        "version": SCHEMA_VERSION,
        "tool": {"name": "mlflow-lint", "version": __version__},
        "findings": [finding_dict(f) for f in report.findings],
        "summary": summary,
    }


def finding_dict(finding: Finding) -> dict[str, Any]:
    return {
        "code": finding.code,
        "name": finding.name,
        "severity": finding.severity.label,
        "file": finding.file,
        "line": finding.line,
        "column": finding.column,
        "path": finding.path,
        "message": finding.message,
        "hint": finding.hint,
        "suppressed": finding.suppressed is not None,
        "suppression_reason": finding.suppressed,
        "fingerprint": finding.fingerprint,
    }
