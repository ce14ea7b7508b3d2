"""Agreement figures of the oracle tier, per MLflow version, at the end of the run."""

from __future__ import annotations

import json
import os
from collections import Counter

import pytest


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line("markers", "oracle: asks real MLflow (cached venvs per version) what it does")


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """The oracle tier runs last: tests/run.sh builds its MLflow venvs meanwhile in the background."""
    items.sort(key=lambda item: "tests/oracle/" in item.nodeid.replace("\\", "/"))


def pytest_terminal_summary(terminalreporter: pytest.TerminalReporter) -> None:
    from tests.oracle.test_oracle import RESULTS

    if not RESULTS:
        return
    by_version: dict[str, Counter[str]] = {}
    for row in RESULTS:
        by_version.setdefault(row["version"], Counter())[row["outcome"]] += 1
    terminalreporter.write_sep("-", "oracle: MLflow fails iff the linter reports an error")
    for version, counts in sorted(by_version.items()):
        total = sum(counts.values())
        terminalreporter.write_line(
            f"MLflow {version}: {total} cases, {counts['agree']} agree, {counts['strict']} deliberate strictness, "
            f"{counts['false-alarm']} false alarms, {counts['miss']} misses"
        )
    for row in RESULTS:
        if row["outcome"] == "strict":
            terminalreporter.write_line(f"  strict: {row['case']}@{row['version']}: {', '.join(row['linter_errors'])}")
    target = os.environ.get("MLFLOW_LINT_ORACLE_REPORT")
    if target:
        with open(target, "w", encoding="utf-8") as handle:
            json.dump(RESULTS, handle, indent=1)
