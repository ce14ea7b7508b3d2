"""One escaping rule for every report field that a value file can influence.

Keys, values and paths come from files a pull request controls. Printed raw, a newline forges
report lines and an escape sequence rewrites the terminal, so every formatter passes such
text through `printable` before it reaches a report or a file.
"""

from __future__ import annotations

import re

TYPE_CHECKING = False
if TYPE_CHECKING:
    from collections.abc import Callable

# C0 controls (tab included: it would misalign columns), DEL, C1 controls, and the Unicode
# line and paragraph separators and bidirectional overrides that reorder what a reader sees.
_CONTROLS = "\x00-\x1f\x7f-\x9f\u2028\u2029\u202a-\u202e\u2066-\u2069"
# Most fields are plain text: a translate-table check needs no regex (compiled only when one is not).
_PLAIN = {
    code: None
    for code in [*range(0x20), *range(0x7F, 0xA0), 0x2028, 0x2029, *range(0x202A, 0x202F), *range(0x2066, 0x206A)]
}
_substitute: list[Callable[[str], str]] = []


def _escaped(match: re.Match[str]) -> str:
    code = ord(match.group())
    return f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}"


def printable(text: str) -> str:
    """`text` with every control character written as a visible escape (`\\x1b`, `\\u202e`)."""
    if len(text.translate(_PLAIN)) == len(text):
        return text
    if not _substitute:
        pattern = re.compile(f"[{_CONTROLS}]")
        _substitute.append(lambda value: pattern.sub(_escaped, value))
    return _substitute[0](text)
