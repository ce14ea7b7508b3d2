"""Human output: `file:line:col: severity CODE message`, the hint, then a summary."""

from __future__ import annotations

from mlflow_lint.engine import Report
from mlflow_lint.finding import Finding, Severity
from mlflow_lint.formatters import Output
from mlflow_lint.formatters.escape import printable

_COLORS = {Severity.ERROR: "\033[31m", Severity.WARNING: "\033[33m", Severity.INFO: "\033[36m"}
_BOLD, _DIM, _RESET = "\033[1m", "\033[2m", "\033[0m"


def render(report: Report, out: Output) -> str:
    lines = [_line(f, out) for f in report.active()]
    if out.show_suppressed:
        lines.extend(f"{_line(f, out)}\n  suppressed: {printable(f.suppressed)}" for f in report.findings
                     if f.suppressed is not None)
    lines.extend(stale_lines(report))
    lines.extend(probe_lines(report, out))
    lines.append(summary(report, out))
    return "\n".join(lines) + "\n"


def _line(finding: Finding, out: Output) -> str:
    where = f"{printable(finding.file)}:{finding.line}:{finding.column}:"
    severity, code = finding.severity.label, finding.code
    if out.color:
        where = f"{_BOLD}{where}{_RESET}"
        severity = f"{_COLORS[finding.severity]}{severity}{_RESET}"
        code = f"{_BOLD}{code}{_RESET}"
    text = f"{where} {severity} {code} {printable(finding.message)}"
    if finding.hint:
        hint = f"  hint: {printable(finding.hint)}"
        text += "\n" + (f"{_DIM}{hint}{_RESET}" if out.color else hint)
    return text


def summary(report: Report, out: Output) -> str:
    """One line: counts per severity, files, and how many findings were suppressed."""
    active = report.active()
    counts = {s: sum(1 for f in active if f.severity == s) for s in Severity}
    files = f"{report.files} file{'s' if report.files != 1 else ''}"
    suppressed = len(report.findings) - len(active)
    notes = [f"{suppressed} suppressed"] if suppressed else []
    if report.baseline is not None and report.baseline.matched:
        notes.append(f"{report.baseline.matched} in baseline")
    tail = f" ({', '.join(notes)})" if notes else ""
    if not active:
        return f"No problems found in {files}.{tail}"
    parts = [f"{counts[s]} {s.label}{'s' if counts[s] != 1 and s != Severity.INFO else ''}"
             for s in (Severity.ERROR, Severity.WARNING, Severity.INFO)]
    return f"Found {', '.join(parts)} in {files}.{tail}"


def stale_lines(report: Report) -> list[str]:
    """Info lines for baseline entries that no longer match, so the baseline can shrink."""
    outcome = report.baseline
    if outcome is None or not outcome.stale:
        return []
    lines = [f"{printable(key.file)}: info baseline entry {key.code} at `{printable(key.path) or '(file)'}` is stale"
             f"{f' (x{n})' if n > 1 else ''}" for key, n in outcome.stale]
    lines.append(f"{len(outcome.stale)} stale baseline entr{'y' if len(outcome.stale) == 1 else 'ies'} "
                 f"in {outcome.file}; rewrite it with --write-baseline to drop them")
    return lines


_STATUS_COLORS = {"ok": "\033[32m", "fail": "\033[31m", "error": "\033[33m", "skipped": "\033[2m"}


def probe_lines(report: Report, out: Output) -> list[str]:
    """The probe section (only with --probe/--probe-plan): one line per target, then totals."""
    if not report.probes:
        return []
    planned = all(p.status == "planned" for p in report.probes if p.status != "skipped")
    lines = ["Probe plan (nothing was contacted):" if planned else "Probes:"]
    for p in report.probes:
        status = f"{_STATUS_COLORS.get(p.status, '')}{p.status}{_RESET}" if out.color else p.status
        target = f" `{printable(p.target)}`" if p.target else ""
        timing = f" [{p.duration_ms} ms]" if p.status not in ("planned", "skipped") else ""
        lines.append(f"  {status:7} {p.name} ({p.role}){target} at {printable(p.path)}: {printable(p.reason)}{timing}")
    counts = {s: sum(1 for p in report.probes if p.status == s) for s in ("ok", "fail", "error", "skipped")}
    if not planned:
        lines.append("  " + ", ".join(f"{n} {s}" for s, n in counts.items()))
    return lines
