"""GitHub Actions workflow commands: one annotation per finding, then the plain summary.

`::error file=values.yaml,line=3,col=5,title=MLF005 unknown-key::message` (`warning`, and
`notice` for info). Escaping follows GitHub's toolkit (`@actions/core`): data escapes `%`, CR
and LF; properties also escape `:` and `,`. Suppressed findings are not annotated.
"""

from __future__ import annotations

from mlflow_lint.engine import Report
from mlflow_lint.finding import Finding, Severity
from mlflow_lint.formatters import Output
from mlflow_lint.formatters.locations import display_path
from mlflow_lint.formatters.text import stale_lines, summary

COMMANDS = {Severity.ERROR: "error", Severity.WARNING: "warning", Severity.INFO: "notice"}


def render(report: Report, out: Output) -> str:
    lines = [command(f) for f in report.active()]
    lines.extend(stale_lines(report))
    lines.append(summary(report, Output(color=False)))
    return "\n".join(lines) + "\n"


def command(finding: Finding) -> str:
    """The workflow command that annotates one finding."""
    props = [f"file={escape_property(display_path(finding.file))}"]
    if finding.line > 0:
        props.append(f"line={finding.line}")
        if finding.column > 0:
            props.append(f"col={finding.column}")
    props.append(f"title={escape_property(f'{finding.code} {finding.name}')}")
    text = f"{finding.message}\nhint: {finding.hint}" if finding.hint else finding.message
    return f"::{COMMANDS[finding.severity]} {','.join(props)}::{escape_data(text)}"


def escape_data(text: str) -> str:
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def escape_property(text: str) -> str:
    return escape_data(text).replace(":", "%3A").replace(",", "%2C")
