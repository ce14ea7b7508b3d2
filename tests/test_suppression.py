"""Inline suppression: own line, line above, whole file, reasons kept, unused reported."""

from __future__ import annotations


def _active(report: dict) -> list[tuple[str, int]]:
    return [(f["code"], f["line"]) for f in report["findings"] if not f["suppressed"]]


def test_directive_on_the_line_keeps_the_finding_marked_with_its_reason(lint_text) -> None:
    report = lint_text('trackingServer:\n  port: "5000"  # mlflow-lint: disable=MLF002 -- templated later\n')
    assert _active(report) == []
    [finding] = report["findings"]
    assert finding["suppressed"] is True and finding["suppression_reason"] == "templated later"
    assert report["summary"]["suppressed"] == 1 and report["summary"]["error"] == 0


def test_directive_alone_covers_the_next_content_line(lint_text) -> None:
    text = 'trackingServer:\n  # mlflow-lint: disable=schema-violation\n\n  port: "5000"\n  workers: no\n'
    assert _active(lint_text(text)) == [("MLF002", 5)]


def test_disable_file_and_prefixes(lint_text) -> None:
    text = '# mlflow-lint: disable-file=MLF0 -- generated file\ntrackingServer:\n  port: "5000"\nbogus: 1\n'
    assert _active(lint_text(text)) == []


def test_unused_and_unknown_directives_are_reported(lint_text) -> None:
    text = "replicaCount: 1  # mlflow-lint: disable=MLF002\nimage: {}  # mlflow-lint: disable=MLF999\n"
    assert _active(lint_text(text)) == [("MLF003", 1), ("MLF003", 2)]


def test_malformed_directive_is_reported(lint_text) -> None:
    assert _active(lint_text("replicaCount: 1  # mlflow-lint: disabel MLF002\n")) == [("MLF003", 1)]
