"""One escaping rule for every report field that a value file can influence.

Keys, values and paths come from files a pull request controls. Printed raw, a newline forges
report lines and an escape sequence rewrites the terminal, so every formatter passes such
text through `printable` before it reaches a report or a file.
"""

from __future__ import annotations

import re

# C0 controls (tab included: it would misalign columns), DEL, C1 controls, and the Unicode
# line and paragraph separators and bidirectional overrides that reorder what a reader sees.
_CONTROL = re.compile("[\x00-\x1f\x7f-\x9f\u2028\u2029\u202a-\u202e\u2066-\u2069]")


def _escaped(match: re.Match[str]) -> str:
    code = ord(match.group())
    return f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}"


def printable(text: str) -> str:
    """`text` with every control character written as a visible escape (`\\x1b`, `\\u202e`)."""
    return _CONTROL.sub(_escaped, text) if _CONTROL.search(text) else text
