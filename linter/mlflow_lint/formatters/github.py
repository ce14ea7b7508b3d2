"""GitHub Actions workflow commands: one annotation per finding, then the plain summary.

`::error file=values.yaml,line=3,col=5,title=MLF005 unknown-key::message` (`warning`, and
`notice` for info). Escaping follows GitHub's toolkit (`@actions/core`): data escapes `%`, CR
and LF; properties also escape `:` and `,`. Suppressed findings are not annotated.
With `--probe`, each probe that passed or was skipped is a `::notice` at the values line
that configured it, and the probe section is printed inside a `::group::` block.
"""

from __future__ import annotations

from mlflow_lint.engine import Report
from mlflow_lint.finding import Finding, Severity
from mlflow_lint.formatters import Output
from mlflow_lint.formatters.escape import printable
from mlflow_lint.formatters.locations import display_path
from mlflow_lint.formatters.text import probe_lines, stale_lines, summary

COMMANDS = {Severity.ERROR: "error", Severity.WARNING: "warning", Severity.INFO: "notice"}


def render(report: Report, out: Output) -> str:
    lines = [command(f) for f in report.active()]
    lines.extend(probe_commands(report))
    lines.extend(stale_lines(report))
    lines.append(summary(report, Output(color=False)))
    return "\n".join(lines) + "\n"


def probe_commands(report: Report) -> list[str]:
    """A `::notice` per probe that passed, was skipped or only planned (a `fail` or `error` is
    already an MLF901/MLF902 annotation), then the whole probe section in a collapsed group."""
    lines = []
    for p in report.probes:
        if p.status in ("ok", "skipped", "planned"):
            props = [f"file={escape_property(printable(display_path(p.file)))}"] if p.file else []
            props += [f"line={p.line}"] if p.file and p.line > 0 else []
            props.append(f"title={escape_property(f'probe {p.name} {p.status}')}")
            target = f" `{p.target}`" if p.target else ""
            lines.append(f"::notice {','.join(props)}::{escape_data(printable(f'{p.role}{target}: {p.reason}'))}")
    section = probe_lines(report, Output(color=False))
    if section:
        # One line per entry: a reason can never start a line of its own, so never a command.
        lines += [
            f"::group::mlflow-lint {section[0].rstrip(':').lower()}",
            *(" ".join(line.splitlines()) for line in section[1:]),
            "::endgroup::",
        ]
    return lines


def command(finding: Finding) -> str:
    """The workflow command that annotates one finding."""
    props = [f"file={escape_property(printable(display_path(finding.file)))}"]
    if finding.line > 0:
        props.append(f"line={finding.line}")
        if finding.column > 0:
            props.append(f"col={finding.column}")
    props.append(f"title={escape_property(f'{finding.code} {finding.name}')}")
    message, hint = printable(finding.message), printable(finding.hint)
    text = f"{message}\nhint: {hint}" if hint else message
    return f"::{COMMANDS[finding.severity]} {','.join(props)}::{escape_data(text)}"


def escape_data(text: str) -> str:
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def escape_property(text: str) -> str:
    return escape_data(text).replace(":", "%3A").replace(",", "%2C")
