"""limits.flow_depth_exceeded: a cheap bound on flow nesting, checked before ruamel reads the text."""

from __future__ import annotations

import time
from pathlib import Path

import pytest

from mlflow_lint.limits import flow_depth_exceeded

LIMIT = 200
EXAMPLES = sorted((Path(__file__).resolve().parents[2] / "examples").glob("*.yaml"))


@pytest.mark.parametrize(
    ("text", "line", "column"),
    [
        ("a: " + "[" * 5000 + "]" * 5000, 1, 4 + LIMIT),
        ("a: " + "[{" * 2500 + "}]" * 2500, 1, 4 + LIMIT),
        ("a: " + "[" * 5000, 1, 4 + LIMIT),  # never closed
        ("a:\n  b: " + "[ " * 300 + "]" * 300, 2, 6 + 2 * LIMIT),
        ("a: " + "[" * LIMIT + "[1], [2]" + "]" * LIMIT, 1, 4 + LIMIT),
        ("a:\n- [\n" + "[\n" * 300, 2 + LIMIT, 1),  # one opener per line
    ],
)
def test_too_deep_is_located(text: str, line: int, column: int) -> None:
    found = flow_depth_exceeded(text, LIMIT)
    assert found is not None
    assert (found.line, found.column) == (line, column)
    assert found.depth > LIMIT
    assert str(LIMIT) in found.message(LIMIT)


@pytest.mark.parametrize(
    "text",
    [
        "a: " + "[" * LIMIT + "]" * LIMIT,
        "a: " + "[" * (LIMIT - 1) + "[1], [2], {x: 3}" + "]" * (LIMIT - 1),
        "a: x" + "[" * 5000,  # brackets inside a block plain scalar
        'a: "' + "[" * 5000 + '"',  # inside a double-quoted scalar
        "a: '" + "{" * 5000 + "'",
        "# " + "[" * 5000,  # a comment
        "a: |\n  it's " + "[" * 10 + "\n",
        "a: " + "[]" * 100_000,  # many collections, all shallow
        "a: " + "[[]]" * 50_000,
    ],
)
def test_shallow_or_not_flow(text: str) -> None:
    assert flow_depth_exceeded(text, LIMIT) is None


@pytest.mark.parametrize("path", EXAMPLES, ids=lambda p: p.name)
def test_examples_pass(path: Path) -> None:
    assert flow_depth_exceeded(path.read_text(encoding="utf-8"), LIMIT) is None


def test_cheap_on_4_mib_of_brackets() -> None:
    for text in ("[]" * 2_000_000, "a: [" + "1," * 2_000_000 + "]", "[" * 4_000_000):  # the 4 MiB file cap
        # CPU time of this process, not wall clock: other work on a busy machine does not count.
        started = time.process_time()
        flow_depth_exceeded(text, LIMIT)
        assert time.process_time() - started < 2.5
