"""The `full` text layout's excerpt: the source line, a marker under the offending token, help.

    values.yaml:8:3: error MLF005 unknown key `prot` under `trackingServer`; ...
      |
    8 |   prot: 5000
      |   ^^^^
      = hint: Helm ignores keys the chart does not know, so this setting has no effect
      = help: `mlflow-lint explain MLF005` says why it matters and how to fix it

The line comes from the engine already redacted (excerpts.py); here it is only escaped.
"""

from __future__ import annotations

import re

from mlflow_lint.finding import Finding
from mlflow_lint.formatters.escape import printable

_DIM, _RED, _BLUE, _RESET = "\033[2m", "\033[31m", "\033[34m", "\033[0m"
_KEY = r"[^\s:#,\[\]{}][^:#,\[\]{}]*?:(?=\s|$)"  # compiled by `re` on first use
_PLAIN = r"[^#]*?(?=\s+#|\s*$)"


def token_width(rest: str) -> int:
    """How many characters of `rest` (the line from the finding's column) to underline."""
    if not rest:
        return 1
    if rest[0] in "\"'":
        end = rest.find(rest[0], 1)
        return end + 1 if end > 0 else len(rest.rstrip())
    key = re.match(_KEY, rest)
    if key:
        return len(key.group()) - 1
    if rest[0] in "[{":
        return 1
    plain = re.match(_PLAIN, rest)
    return max(1, len(plain.group()) if plain else len(rest.rstrip()))


def lines(finding: Finding, color: bool) -> list[str]:
    """The excerpt lines (without the headline); [] when the finding has no source line."""
    if not finding.source:
        return []
    number = str(finding.line)
    gutter = " " * len(number)
    bar = f"{_BLUE}|{_RESET}" if color else "|"
    out = [
        f"{gutter} {bar}",
        f"{_BLUE if color else ''}{number}{_RESET if color else ''} {bar} {printable(finding.source).rstrip()}",
    ]
    offset = finding.column - 1 - finding.source_start
    while 0 <= offset < len(finding.source) - 1 and finding.source[offset] in " \t":  # a whole-line finding
        offset += 1
    if finding.column > 0 and 0 <= offset <= len(finding.source):
        lead = len(printable(finding.source[:offset]))
        width = len(printable(finding.source[offset : offset + token_width(finding.source[offset:])]))
        marker = "^" * max(width, 1)
        out.append(f"{gutter} {bar} {' ' * lead}{_RED + marker + _RESET if color else marker}")
    if finding.hint:
        out.append(f"{gutter} = hint: {printable(finding.hint)}")
    out.append(f"{gutter} = help: `mlflow-lint explain {finding.code}` says why it matters and how to fix it")
    return out
