"""Output formats: name -> render function, each rendering a whole report.

A render function takes the report and an `Output` (is the stream a colour terminal?) and
returns the text to write. Modules are imported only when their format is chosen.
"""

from __future__ import annotations

import importlib
import os
from collections.abc import Callable

from mlflow_lint.engine import Report
from mlflow_lint.records import NamedTuple

FORMATTERS: dict[str, str] = {
    "text": "mlflow_lint.formatters.text:render",
    "json": "mlflow_lint.formatters.json_:render",
    "sarif": "mlflow_lint.formatters.sarif:render",
    "github": "mlflow_lint.formatters.github:render",
    "junit": "mlflow_lint.formatters.junit:render",
}


class Output(NamedTuple):
    """Facts about the destination that change how a report looks."""

    color: bool = False
    concise: bool = False  # text: one line per finding instead of the source excerpt (--output-format)
    statistics: bool = False  # text: counts per rule instead of the findings (--statistics)
    quiet: bool = False  # text: findings only, no summary or notes (--quiet)
    show_suppressed: bool = False  # text: list suppressed findings too (always counted)


Render = Callable[[Report, Output], str]


def resolve_name(name: str) -> str:
    """`auto` is `github` inside GitHub Actions (when available), else `text`."""
    if name == "auto":
        return "github" if os.environ.get("GITHUB_ACTIONS") == "true" and "github" in FORMATTERS else "text"
    return name


def get(name: str) -> Render:
    """The render function of format `name` (KeyError if unknown)."""
    module_name, func = FORMATTERS[resolve_name(name)].split(":")
    render: Render = getattr(importlib.import_module(module_name), func)
    return render
