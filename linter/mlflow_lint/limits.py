"""Cheap checks run on the text before ruamel.yaml sees it.

ruamel's pure-Python scanner keeps one "possible simple key" per open flow collection on
the current line and walks all of them for every token, so a line of nested `[`/`{` costs
O(tokens x depth): 5,000 nested `[` took 4 s to fail with RecursionError, and its own
`max_depth` still reads ~1,000 characters past the limit first (1-2 s). Counting brackets
here costs milliseconds and stops such files before the first token.

The count is approximate on purpose (no YAML tokenizer in Python would be cheap): quoted
strings and comments are skipped, and in block context a bracket counts only where a node
can start (after whitespace or at a line start). Real values files nest fewer than 10
levels, so a false alarm needs hundreds of unclosed brackets in one plain scalar.
"""

from __future__ import annotations

import re

from mlflow_lint.records import NamedTuple

# A quote opens a quoted scalar only where a node starts; `it's` is a plain scalar.
_TOKENS_PATTERN = (
    r"""(?:^|(?<=[\s\[{,:]))(?:"(?:[^"\\]|\\.)*"?|'(?:[^']|'')*'?)"""  # quoted scalar (may run to EOF)
    r"""|(?:^|(?<=\s))\#[^\n]*"""  # comment
    r"""|(?P<leaves>(?:\[[^\[\]{}"'#]*\]|\{[^\[\]{}"'#]*\})(?:[\s,]*(?:\[[^\[\]{}"'#]*\]|\{[^\[\]{}"'#]*\}))*)"""
    r"""|(?P<open>[\[{]+)|(?P<close>[\]}]+)"""
)


class TooDeep(NamedTuple):
    """Where the flow nesting first went past the limit (1-based) and how deep it got."""

    line: int
    column: int
    depth: int

    def message(self, limit: int) -> str:
        return f"flow collections (`[`/`{{`) nest deeper than {limit} levels"


def flow_depth_exceeded(text: str, limit: int) -> TooDeep | None:
    """The first `[`/`{` that nests flow collections deeper than `limit`, or None."""
    if text.count("[") + text.count("{") <= limit:  # nearly every file: no scan at all
        return None
    depth = 0
    tokens = re.compile(_TOKENS_PATTERN, re.MULTILINE | re.DOTALL)  # compiled only for bracket-heavy files
    for match in tokens.finditer(text):
        opened, closed = match["open"], match["close"]
        if match["leaves"] and depth >= limit:  # `[1], [2]`: innermost collections, one level each
            return _at(text, match.start(), depth + 1)
        if opened:
            start = match.start()
            if depth == 0 and start > 0 and not text[start - 1].isspace():
                continue  # `a[0]` in a block plain scalar opens nothing
            depth += len(opened)
            if depth > limit:
                return _at(text, start + len(opened) - (depth - limit), depth)
        elif closed:
            depth = max(0, depth - len(closed))
    return None


def _at(text: str, offset: int, depth: int) -> TooDeep:
    line_start = text.rfind("\n", 0, offset) + 1
    return TooDeep(text.count("\n", 0, offset) + 1, offset - line_start + 1, depth)
