"""The `rules` and `explain` subcommands (rule catalogue and per-rule documentation)."""

from __future__ import annotations

import json
import sys

from mlflow_lint.charts.published import charts_of
from mlflow_lint.rules import ALL_RULES, lookup


def list_rules(argv: list[str]) -> int:
    """`mlflow-lint rules [--format json]`: one line per rule."""
    if argv and argv != ["--format", "json"] and argv != ["--format", "text"]:
        print("usage: mlflow-lint rules [--format text|json]", file=sys.stderr)
        return 2
    if argv[-1:] == ["json"]:
        rows = [
            {"code": r.code, "name": r.name, "severity": r.severity.label, "charts": list(charts_of(r.code)),
             "summary": r.summary, "doc": r.doc}
            for r in ALL_RULES
        ]
        print(json.dumps(rows, indent=2))
        return 0
    width = max(len(r.name) for r in ALL_RULES)
    charts = {r.code: ",".join(charts_of(r.code)) for r in ALL_RULES}
    chart_width = max(len(c) for c in charts.values())
    for r in ALL_RULES:
        print(f"{r.code}  {r.name:<{width}}  {r.severity.label:<7}  {charts[r.code]:<{chart_width}}  {r.summary}")
    return 0


def explain(argv: list[str]) -> int:
    """`mlflow-lint explain CODE|NAME`: the rule's documentation."""
    if len(argv) != 1:
        print("usage: mlflow-lint explain CODE|NAME", file=sys.stderr)
        return 2
    rule = lookup(argv[0])
    if rule is None:
        print(f"mlflow-lint: unknown rule {argv[0]!r}; `mlflow-lint rules` lists them", file=sys.stderr)
        return 2
    print(f"{rule.code} {rule.name} (default severity: {rule.severity.label})\n")
    print(rule.doc)
    return 0
