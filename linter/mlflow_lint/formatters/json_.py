"""Machine output, documented in the README ("JSON contract"); `version` changes on any break."""

from __future__ import annotations

import json

from mlflow_lint import __version__
from mlflow_lint.engine import Report
from mlflow_lint.finding import Finding, Severity
from mlflow_lint.formatters import Output

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any

    from mlflow_lint.baseline import BaselineOutcome
    from mlflow_lint.probes.base import ProbeResult

SCHEMA_VERSION = 1


def render(report: Report, out: Output) -> str:
    return json.dumps(as_dict(report), indent=2, ensure_ascii=False) + "\n"


def as_dict(report: Report) -> dict[str, Any]:
    active = report.active()
    summary: dict[str, int] = {
        s.label: sum(1 for f in active if f.severity == s) for s in (Severity.ERROR, Severity.WARNING, Severity.INFO)
    }
    summary["files"] = report.files
    summary["suppressed"] = len(report.findings) - len(active)
    data = {
        "version": SCHEMA_VERSION,
        "tool": {"name": "mlflow-lint", "version": __version__},
        "findings": [finding_dict(f) for f in report.findings],
        "summary": summary,
    }
    if report.probes:  # only with --probe/--probe-plan (additive, same version)
        data["probes"] = [probe_dict(p) for p in report.probes]
    if report.baseline is not None:  # only with --baseline/--write-baseline (additive, same version)
        summary["baselined"] = report.baseline.matched
        data["baseline"] = baseline_dict(report.baseline)
    return data


def baseline_dict(outcome: BaselineOutcome) -> dict[str, Any]:
    """The baseline file, how many findings it covered, and its stale entries."""
    stale = [{"code": k.code, "file": k.file, "path": k.path, "count": n} for k, n in outcome.stale]
    return {"file": outcome.file, "matched": outcome.matched, "stale": stale}


def probe_dict(result: ProbeResult) -> dict[str, Any]:
    """One probe result; `target` and `reason` are redacted, credentials are named, never shown."""
    return {
        "name": result.name,
        "target": result.target,
        "status": result.status,
        "reason": result.reason,
        "duration_ms": result.duration_ms,
        "path": result.path,
        "role": result.role,
        "credentials": result.credentials,
        "file": result.file,
        "line": result.line,
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
