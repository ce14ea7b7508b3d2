"""Human output: `file:line:col: severity CODE message`, then the summary.

Two layouts (`--output-format`): `full`, the default as in ruff, adds the source line with a
marker under the offending token, the hint and a `help:` line naming `mlflow-lint explain
CODE` (formatters/excerpt.py); `concise` is one line per finding plus an indented hint.
`--statistics` prints one line per rule with its count instead of the findings; `--quiet`
leaves out everything but the findings.
"""

from __future__ import annotations

from collections import Counter

from mlflow_lint.engine import Report
from mlflow_lint.finding import Finding, Severity
from mlflow_lint.formatters import Output
from mlflow_lint.formatters.escape import printable

_COLORS = {Severity.ERROR: "\033[31m", Severity.WARNING: "\033[33m", Severity.INFO: "\033[36m"}
_BOLD, _DIM, _RESET = "\033[1m", "\033[2m", "\033[0m"


def render(report: Report, out: Output) -> str:
    if out.statistics:
        lines = statistics(report)
    elif out.concise:
        lines = [_line(f, out) for f in report.active()]
    else:
        lines = [_full(f, out) for f in report.active()]
    if out.quiet:
        return "".join(line + "\n" for line in lines)
    if out.show_suppressed:
        lines.extend(
            f"{_line(f, out)}\n  suppressed: {printable(f.suppressed)}"
            for f in report.findings
            if f.suppressed is not None
        )
    lines.extend(stale_lines(report))
    lines.extend(probe_lines(report, out))
    lines.append(summary(report, out))
    return "\n".join(lines) + "\n"


def _headline(finding: Finding, out: Output) -> str:
    where = f"{printable(finding.file)}:{finding.line}:{finding.column}:"
    severity, code = finding.severity.label, finding.code
    if out.color:
        where = f"{_BOLD}{where}{_RESET}"
        severity = f"{_COLORS[finding.severity]}{severity}{_RESET}"
        code = f"{_BOLD}{code}{_RESET}"
    return f"{where} {severity} {code} {printable(finding.message)}"


def _line(finding: Finding, out: Output) -> str:
    """The concise layout: the headline and an indented hint."""
    text = _headline(finding, out)
    if finding.hint:
        hint = f"  hint: {printable(finding.hint)}"
        text += "\n" + (f"{_DIM}{hint}{_RESET}" if out.color else hint)
    return text


def _full(finding: Finding, out: Output) -> str:
    """The full layout: the headline, the excerpt with hint and help, a blank line after it."""
    from mlflow_lint.formatters import excerpt  # a clean report shows no source

    shown = excerpt.lines(finding, out.color)
    if not shown:  # no source line (another file, an unreadable one): the concise form and help
        return _line(finding, out) + f"\n  help: `mlflow-lint explain {finding.code}`\n"
    return "\n".join([_headline(finding, out), *shown]) + "\n"


def statistics(report: Report) -> list[str]:
    """`--statistics`: count, code, name and severity per rule, most frequent first (as in ruff)."""
    counts = Counter((f.code, f.name, f.severity.label) for f in report.active())
    width = len(str(max(counts.values(), default=0)))
    return [
        f"{n:>{width}}  {code}  {name}  ({severity})"
        for (code, name, severity), n in sorted(counts.items(), key=lambda item: (-item[1], item[0]))
    ]


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
    if report.input_errors:
        unread = len(report.input_errors)
        notes.append(
            f"{unread} input{'s' if unread != 1 else ''} could not be read: see the error"
            f"{'s' if unread != 1 else ''} above"
        )
        tail = f" ({', '.join(notes)})"
        if not report.files:
            return f"Nothing was linted ({', '.join(notes)})."
    if not report.files and not report.findings:
        return "No files to lint."
    if not active:
        return f"No problems found in {files}.{tail}"
    parts = [
        f"{counts[s]} {s.label}{'s' if counts[s] != 1 and s != Severity.INFO else ''}"
        for s in (Severity.ERROR, Severity.WARNING, Severity.INFO)
    ]
    return f"Found {', '.join(parts)} in {files}.{tail}"


def stale_lines(report: Report) -> list[str]:
    """Info lines for baseline entries that no longer match, so the baseline can shrink."""
    outcome = report.baseline
    if outcome is None or not outcome.stale:
        return []
    lines = [
        f"{printable(key.file)}: info baseline entry {key.code} at `{printable(key.path) or '(file)'}` is stale"
        f"{f' (x{n})' if n > 1 else ''}"
        for key, n in outcome.stale
    ]
    lines.append(
        f"{len(outcome.stale)} stale baseline entr{'y' if len(outcome.stale) == 1 else 'ies'} "
        f"in {outcome.file}; rewrite it with --write-baseline to drop them"
    )
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
