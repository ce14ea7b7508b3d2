"""Inline suppression: `# mlflow-lint: disable=CODE[,CODE] -- reason`.

A directive after content covers its own line; alone on a line it covers the next line
that holds content. `disable-file=CODE` covers the whole file. Codes may be codes, names or
code prefixes. The same syntax works in INI files (`#` or `;`). Suppressed findings are
kept and marked (with the reason); a directive that suppresses nothing is reported as
MLF003, like ruff's RUF100. Directives are read with one regex over the raw lines.
"""

from __future__ import annotations

import re

from mlflow_lint.finding import Finding
from mlflow_lint.rules import is_selector, selects
from mlflow_lint.rules.base import Rule

# Pattern texts, compiled by `re` on first use: only a file with a directive needs them.
_DIRECTIVE = (
    r"[#;]\s*mlflow-lint:\s*(?P<kind>disable-file|disable)\s*=\s*(?P<codes>[A-Za-z0-9_\-]+(?:\s*,\s*[A-Za-z0-9_\-]+)*)"
    r"(?:\s+--\s*(?P<reason>.*?))?\s*$"
)
_MALFORMED = r"[#;]\s*mlflow-lint:"


class Directive:
    """One `mlflow-lint:` comment; `used` is set when it suppresses a finding."""

    __slots__ = ("line", "reason", "selectors", "target", "used")

    def __init__(self, line: int, target: int, selectors: tuple[str, ...], reason: str) -> None:
        self.line = line  # where the comment is
        self.target = target  # line it covers; 0 for the whole file
        self.selectors = selectors
        self.reason = reason
        self.used = False

    def covers(self, finding: Finding) -> bool:
        return (self.target == 0 or self.target == finding.line) and any(_matches(s, finding) for s in self.selectors)


def _matches(selector: str, finding: Finding) -> bool:
    return selects(selector, finding.code, finding.name) > 0


def parse(text: str) -> tuple[list[Directive], list[tuple[int, str]]]:
    """Directives of a file, plus (line, message) for malformed or unknown ones."""
    directives: list[Directive] = []
    problems: list[tuple[int, str]] = []
    lines = text.splitlines()
    for number, line in enumerate(lines, start=1):
        if "mlflow-lint:" not in line:
            continue
        match = re.search(_DIRECTIVE, line)
        if match is None:
            if re.search(_MALFORMED, line):
                problems.append((number, "malformed directive; write `# mlflow-lint: disable=CODE -- reason`"))
            continue
        selectors = tuple(s.strip() for s in match["codes"].split(","))
        for selector in selectors:
            if not is_selector(selector):
                problems.append((number, f"the directive names the unknown rule `{selector}`"))
        standalone = line[: match.start()].strip() == ""
        target = 0 if match["kind"] == "disable-file" else number
        if standalone and target:
            target = _next_content_line(lines, number)
        directives.append(Directive(number, target, selectors, (match["reason"] or "").strip()))
    return directives, problems


def _next_content_line(lines: list[str], after: int) -> int:
    for number in range(after + 1, len(lines) + 1):
        stripped = lines[number - 1].strip()
        if stripped and not stripped.startswith(("#", ";")):
            return number
    return after


def apply(findings: list[Finding], directives: list[Directive]) -> list[Finding]:
    """Mark the findings that a directive covers; directives learn that they were used."""
    out = []
    for finding in findings:
        for directive in directives:
            if directive.covers(finding):
                directive.used = True
                finding = finding._replace(suppressed=directive.reason or "suppressed inline")
                break
        out.append(finding)
    return out


def unused(directives: list[Directive], enabled: list[Rule]) -> list[Directive]:
    """Directives that suppressed nothing although a rule they name is enabled."""
    return [
        d for d in directives if not d.used and any(selects(s, r.code, r.name) for s in d.selectors for r in enabled)
    ]
