"""The rule shape: a decorated generator with its documentation in its docstring."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from functools import cache

from mlflow_lint.finding import Hit, Severity
from mlflow_lint.records import NamedTuple

TYPE_CHECKING = False
if TYPE_CHECKING:
    from mlflow_lint.context import Context

Check = Callable[["Context"], Iterator[Hit]]

DOC_HEADINGS = ("Why it matters:", "Example:", "Fix:")


class Rule(NamedTuple):
    """A rule: stable code, kebab-case name of the bad pattern, default severity, docs."""

    code: str
    name: str
    severity: Severity
    docstring: str  # as written; `doc` is the cleaned text, made only when something shows it
    check: Check | None = None  # None: findings come from the engine (YAML, schema...)
    needs: frozenset[str] = frozenset()  # inputs beyond values: "ini", "secrets"

    @property
    def doc(self) -> str:
        """The documentation, dedented and trimmed."""
        return cleandoc(self.docstring)

    @property
    def summary(self) -> str:
        """The first line of the documentation."""
        return self.doc.strip().splitlines()[0] if self.doc.strip() else ""


def rule(code: str, name: str, severity: Severity, needs: tuple[str, ...] = ()) -> Callable[[Check], Rule]:
    """Turn a generator function into a Rule; its docstring is the rule's documentation."""

    def wrap(func: Check) -> Rule:
        return Rule(code, name, severity, func.__doc__ or "", func, frozenset(needs))

    return wrap


def engine_rule(code: str, name: str, severity: Severity, doc: str) -> Rule:
    """A rule whose findings the engine itself produces (syntax, schema, suppression)."""
    return Rule(code, name, severity, doc)


@cache
def cleandoc(doc: str) -> str:
    """`inspect.cleandoc` without importing inspect (a cold-start cost): dedent, trim."""
    lines = doc.expandtabs().splitlines()
    indents = [len(line) - len(line.lstrip()) for line in lines[1:] if line.strip()]
    margin = min(indents, default=0)
    body = [lines[0].strip()] + [line[margin:].rstrip() for line in lines[1:]] if lines else []
    while body and not body[0]:
        body.pop(0)
    while body and not body[-1]:
        body.pop()
    return "\n".join(body)
