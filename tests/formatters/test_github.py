"""GitHub workflow commands: levels, optional line/column, and the toolkit's escaping."""

from __future__ import annotations

from mlflow_lint.engine import Report
from mlflow_lint.finding import Finding, Severity
from mlflow_lint.formatters import Output
from mlflow_lint.formatters.github import command, escape_data, escape_property, render


def test_escaping_follows_the_actions_toolkit() -> None:
    assert escape_data("100% a:b,c\r\nnext") == "100%25 a:b,c%0D%0Anext"
    assert escape_property("100% a:b,c\r\nnext") == "100%25 a%3Ab%2Cc%0D%0Anext"


def test_command_for_each_severity() -> None:
    error = Finding("MLF005", "unknown-key", Severity.ERROR, "dir,1/v:a.yaml", 8, 3, "x", "50% off\nnow", "fix it")
    assert command(error) == (
        "::error file=dir%2C1/v%3Aa.yaml,line=8,col=3,title=MLF005 unknown-key::50%25 off\\x0anow%0Ahint: fix it"
    )  # a newline from the input is escaped
    warning = Finding("MLF003", "unused-suppression", Severity.WARNING, "v.yaml", 2, 0, "", "unused")
    assert command(warning) == "::warning file=v.yaml,line=2,title=MLF003 unused-suppression::unused"
    info = Finding("MLF010", "multiple-documents", Severity.INFO, "v.yaml", 0, 0, "", "two documents")
    assert command(info) == "::notice file=v.yaml,title=MLF010 multiple-documents::two documents"


def test_suppressed_findings_are_not_annotated() -> None:
    findings = [
        Finding("MLF005", "unknown-key", Severity.ERROR, "v.yaml", 1, 1, "a", "unknown a"),
        Finding("MLF005", "unknown-key", Severity.ERROR, "v.yaml", 2, 1, "b", "unknown b", suppressed="ok"),
    ]
    out = render(Report(findings=findings, files=1, linted=["v.yaml"]), Output(color=True))
    assert out.splitlines() == [
        "::error file=v.yaml,line=1,col=1,title=MLF005 unknown-key::unknown a",
        "Found 1 error, 0 warnings, 0 info in 1 file. (1 suppressed)",
    ]
